import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionInput } from '#domain/job-state.ts';

/**
 * StartExecution of the import state machine under a chosen name. Resolves false when that name is
 * taken: Standard workflows accept the same name and input again while it runs, and refuse it after.
 */
export const startExecutionWith =
  (sfn: SFNClient, stateMachineArn: string) =>
  async (name: string, input: ExecutionInput): Promise<boolean> => {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return true;
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return false;
      throw error;
    }
  };
