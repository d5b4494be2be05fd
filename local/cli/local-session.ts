import { join, resolve } from 'node:path';
import { maxHistoryEventsFromEnv } from '#functions/commons/env.ts';
import type { RetryDeps } from '#functions/retry/retry.ts';
import { localDeps } from '#runtime/local-deps.ts';
import { LocalRuntime } from '#runtime/runtime.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { type Connection, connect } from './connection.ts';
import type { CommonOptions } from './options.ts';

export interface LocalSession {
  connection: Connection;
  runtime: LocalRuntime;
  store: ObjectStore;
  dataDir: string;
  /** The retry schedule's dependencies, bound to this runtime. */
  retryDeps: RetryDeps;
  close(): Promise<void>;
}

/** What every command that runs the pipeline locally starts with: the target, and the runtime over `--data-dir`. */
export async function openSession(options: CommonOptions, s3Port?: number): Promise<LocalSession> {
  const connection = await connect(options);
  const dataDir = resolve(options.dataDir);
  // A runtime that cannot start (its S3 port taken, say) must not leave the sandbox holding the process open.
  const runtime = await LocalRuntime.start({
    directory: join(dataDir, 's3'),
    s3Port,
    deps: (endpoint, dynamoEndpoint) =>
      localDeps(
        { target: options.target, ...connection, config: { maxHistoryEvents: maxHistoryEventsFromEnv() } },
        endpoint,
        dynamoEndpoint,
      ),
  }).catch(async (error: unknown) => {
    await connection.close();
    throw error;
  });
  const store = new ObjectStore(runtime.deps.s3, runtime.bucket);
  return {
    connection,
    runtime,
    store,
    dataDir,
    retryDeps: {
      store,
      clock: Date.now,
      startExecution: async (name, input) => runtime.startExecution(name, input),
    },
    close: async () => {
      await runtime.close();
      await connection.close();
    },
  };
}
