import { mkdirSync } from 'node:fs';
import S3rver, { type S3rverEventRecord } from 's3rver';
import type { ObjectCreatedEvent } from '#functions/start/start.ts';

export interface LocalS3Options {
  /** Where objects are kept on disk; a run can be resumed from it. */
  directory: string;
  bucket: string;
  port?: number;
}

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Called for every object created, already in the shape EventBridge delivers. */
  onObjectCreated(listener: (event: ObjectCreatedEvent) => void): void;
  close(): Promise<void>;
}

/** A real S3-protocol server on 127.0.0.1, whose notifications are mapped to EventBridge's "Object Created". */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket }],
  });
  const { port } = await server.run();
  const listeners: ((event: ObjectCreatedEvent) => void)[] = [];
  server.on('event', (notification) => {
    for (const record of notification.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const event = toEventBridge(record);
      for (const listener of listeners) listener(event);
    }
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: options.bucket,
    onObjectCreated: (listener) => listeners.push(listener),
    close: async () => {
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}

/** S3 notification record -> the EventBridge event the deployed rule hands to `start`. */
export function toEventBridge(record: S3rverEventRecord): ObjectCreatedEvent {
  const object = record.s3.object;
  return {
    'detail-type': 'Object Created',
    source: 'aws.s3',
    detail: {
      bucket: { name: record.s3.bucket.name },
      object: {
        // S3 URL-encodes keys in its events ("red flower.csv" -> "red+flower.csv"); start decodes them.
        key: encodeS3Key(object.key),
        ...(object.eTag ? { etag: object.eTag } : {}),
        ...(object.sequencer ? { sequencer: object.sequencer } : {}),
      },
    },
  };
}

export const encodeS3Key = (key: string) =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
