import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { getStringFromEnv } from '#commons/env.ts';
import { startExecutionWith } from '#commons/start-execution.ts';
import { objectCreatedSchema, type StartDeps, type StartResult, start } from './start.ts';

export const createHandler =
  (deps: () => StartDeps) =>
  async (event: unknown): Promise<StartResult> =>
    start(objectCreatedSchema.parse(event), deps());

let cached: StartDeps | undefined;

function depsFromEnv(): StartDeps {
  if (cached) return cached;
  const sfn = new SFNClient({});
  const logger = new Logger({ serviceName: 'crm-import' });
  const stateMachineArn = getStringFromEnv('STATE_MACHINE_ARN');
  cached = {
    importsPrefix: process.env.IMPORTS_PREFIX ?? 'imports/',
    startExecution: startExecutionWith(sfn, stateMachineArn),
    log: (message, extra) => logger.info(message, extra ?? {}),
  };
  return cached;
}

export const handler = createHandler(depsFromEnv);
