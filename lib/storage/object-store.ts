import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** The few S3 operations the pipeline needs, on one bucket. Rows travel through here, never through state. */
export class ObjectStore {
  constructor(
    readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async getStream(key: string): Promise<Readable> {
    return (await this.openStream(key)).body;
  }

  /**
   * The object from byte `from` on (a Range GET), with its ETag. `ifMatch` makes S3 refuse (412) an object
   * that changed since that ETag was read; reading from past the end gives an empty stream.
   */
  async openStream(
    key: string,
    options: { from?: number; ifMatch?: string } = {},
  ): Promise<{ body: Readable; etag?: string }> {
    const from = options.from ?? 0;
    try {
      const out = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(from > 0 ? { Range: `bytes=${from}-` } : {}),
          ...(options.ifMatch ? { IfMatch: options.ifMatch } : {}),
        }),
      );
      return { body: out.Body as Readable, etag: out.ETag };
    } catch (error) {
      if (from > 0 && statusOf(error) === 416) return { body: Readable.from([]), etag: options.ifMatch };
      throw error;
    }
  }

  async getBytes(key: string): Promise<Buffer> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
  }

  async putBytes(key: string, body: Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: body.byteLength,
      }),
    );
  }

  async getText(key: string): Promise<string> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await out.Body?.transformToString('utf8')) ?? '';
  }

  /** The object's text, or undefined when there is no such key. */
  async findText(key: string): Promise<string | undefined> {
    try {
      return await this.getText(key);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async findJson<T>(key: string): Promise<T | undefined> {
    const text = await this.findText(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /**
   * Like findJson, but tells a missing object from one that does not parse: a local S3 server killed
   * mid-write leaves a truncated object, which the caller must treat as "this write may not have finished".
   */
  async readJson<T>(
    key: string,
  ): Promise<{ found: false } | { found: true; value: T } | { found: true; corrupt: true }> {
    let text: string | undefined;
    try {
      text = await this.findText(key);
    } catch (error) {
      // s3rver answers 500 InternalError for an object whose data or metadata file was cut short.
      if (statusOf(error) === 500) {
        return { found: true, corrupt: true };
      }
      throw error;
    }
    if (text === undefined) return { found: false };
    try {
      return { found: true, value: JSON.parse(text) as T };
    } catch {
      return { found: true, corrupt: true };
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async putText(key: string, body: string, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    // An explicit length: the SDK leaves it off an empty body and then warns about streams of unknown length.
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: Buffer.byteLength(body),
      }),
    );
  }

  /**
   * Writes text made a piece at a time (a report of a million rows) without holding all of it: gathered
   * into parts of PART_BYTES, sent as a multipart upload (or one PUT when it is small).
   */
  async putLines(key: string, lines: Iterable<string>, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(gather(lines)), ContentType: contentType },
      partSize: PART_BYTES,
      queueSize: 2,
    });
    await upload.done();
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.putText(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
  }

  async putNdjson(key: string, items: readonly unknown[]): Promise<void> {
    const body = items.map((item) => JSON.stringify(item)).join('\n');
    await this.putText(key, items.length ? `${body}\n` : '', 'application/x-ndjson');
  }

  /** An NDJSON object an item at a time, as it streams in: one far larger than a string can hold. */
  async *ndjsonItems<T>(key: string): AsyncGenerator<T> {
    const body = await this.getStream(key);
    try {
      for await (const line of createInterface({ input: body, crlfDelay: Infinity }))
        if (line.trim() !== '') yield JSON.parse(line) as T;
    } finally {
      // A reader that stops early must not leave the connection open.
      body.destroy();
    }
  }

  async getNdjson<T>(key: string): Promise<T[]> {
    return parseNdjson<T>(await this.getText(key));
  }

  async findNdjson<T>(key: string): Promise<T[] | undefined> {
    const text = await this.findText(key);
    return text === undefined ? undefined : parseNdjson<T>(text);
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /**
   * Every key under the prefix (after `after`, when given), in S3's (lexicographic) order. Pages are
   * asked for by the last key of the page before (ListObjects' marker): the local S3 server cannot make
   * ListObjectsV2 continuation tokens on Node 22 (it ciphers them with DES, which OpenSSL 3 dropped), so
   * a V2 listing of more than 1,000 keys fails there.
   */
  async list(prefix: string, after?: string): Promise<string[]> {
    const keys: string[] = [];
    let marker = after;
    for (;;) {
      const page = await this.s3.send(
        new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix, Marker: marker }),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      const last = keys.at(-1);
      if (!page.IsTruncated || last === undefined || last === marker) return keys;
      marker = last;
    }
  }
}

/** S3's smallest multipart part is 5 MiB; a little more keeps the part count low. */
const PART_BYTES = 8 * 1024 * 1024;

/** Pieces of text as Buffers of about 64 KiB: a stream of one small string a row would crawl. */
function* gather(lines: Iterable<string>): Generator<Buffer> {
  let batch = '';
  for (const line of lines) {
    batch += line;
    if (batch.length >= 64 * 1024) {
      yield Buffer.from(batch);
      batch = '';
    }
  }
  if (batch) yield Buffer.from(batch);
}

export const parseNdjson = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

const isMissing = (error: unknown): boolean =>
  error instanceof NoSuchKey ||
  error instanceof NotFound ||
  (error as { name?: string }).name === 'NoSuchKey' ||
  (error as { name?: string }).name === 'NotFound' ||
  statusOf(error) === 404;

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
