import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportError } from '#domain/errors.ts';
import { fileKindOf, KIND_BYTES } from '#domain/file-kinds.ts';
import { bomOf, utf16Without } from '#domain/text-format.ts';
import type { TextState } from './decode.ts';

/** A file that is not a CSV at all (a workbook, a PDF): `people.csv is an Excel workbook: save it as CSV`. */
export class NotCsvError extends ImportError {
  constructor(what: string, advice: string) {
    super('NOT_CSV', `is ${what}: ${advice}`);
  }

  /** The message with the file's name in front. */
  of(file: string): string {
    return `${file} ${this.message}`;
  }
}

/**
 * The bytes of the CSV in a file, read from its top: a gzip-compressed file is decompressed as it streams
 * (memory stays flat, and `state.gzip` says byte offsets no longer mean anything); a workbook, a PDF or
 * any other binary file is refused with a NotCsvError. Without `sniff` (a read resumed mid-file, of a
 * file already known to be text) the bytes pass as they are.
 */
export async function* plainBytes(
  body: AsyncIterable<Buffer | string>,
  state: TextState,
  sniff: boolean,
): AsyncGenerator<Buffer> {
  const chunks = buffers(body);
  if (!sniff) {
    yield* chunks;
    return;
  }
  const head = await peek(chunks);
  const utf16 = bomOf(head)?.encoding.startsWith('utf-16') || utf16Without(head) !== undefined;
  const kind = fileKindOf(head, utf16);
  if (kind.kind === 'not-csv') throw new NotCsvError(kind.what, kind.advice);
  const all = (async function* () {
    if (head.length) yield head;
    yield* chunks;
  })();
  if (kind.kind === 'text') {
    yield* all;
    return;
  }
  state.gzip = true;
  const gunzip = pipeline(Readable.from(all), createGunzip(), () => undefined);
  // What was compressed is told apart in its turn: a gzip-compressed workbook is still a workbook.
  yield* plainBytes(gunzip, state, true);
}

async function* buffers(body: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of body) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** Up to KIND_BYTES from the start, taking whole chunks (so it may hold a little more). */
async function peek(chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < KIND_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(parts);
}
