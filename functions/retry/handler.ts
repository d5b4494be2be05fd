import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { getStringFromEnv } from '#commons/env.ts';
import { startExecutionWith } from '#commons/start-execution.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { type RetryDeps, type RetryPass, retryDue } from './retry.ts';

/** Invoked by the EventBridge Scheduler schedule; `{ "job": "<id>" }` forces one job's re-run now. */
export const createHandler =
  (deps: () => RetryDeps) =>
  async (event: unknown): Promise<RetryPass> => {
    const only =
      typeof (event as { job?: unknown })?.job === 'string' ? (event as { job: string }).job : undefined;
    return retryDue(deps(), only);
  };

let cached: RetryDeps | undefined;

function depsFromEnv(): RetryDeps {
  if (cached) return cached;
  const sfn = new SFNClient({});
  const logger = new Logger({ serviceName: 'crm-import' });
  const stateMachineArn = getStringFromEnv('STATE_MACHINE_ARN');
  cached = {
    store: new ObjectStore(createS3Client(), getStringFromEnv('BUCKET_NAME')),
    clock: Date.now,
    startExecution: startExecutionWith(sfn, stateMachineArn),
    log: (message, extra) => logger.info(message, extra ?? {}),
  };
  return cached;
}

export const handler = createHandler(depsFromEnv);
