import { Logger } from '@aws-lambda-powertools/logger';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { getStringFromEnv } from '../commons/env.ts';
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
    startExecution: async (name, input) => {
      try {
        await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        return true;
      } catch (error) {
        // Standard workflows: same name + same input while running is accepted; otherwise the name is taken.
        if (error instanceof ExecutionAlreadyExists) return false;
        throw error;
      }
    },
    log: (message, extra) => logger.info(message, extra ?? {}),
  };
  return cached;
}

export const handler = createHandler(depsFromEnv);
