import { depsFromEnv } from '#commons/env.ts';
import type { PipelineDeps } from '#commons/pipeline.ts';
import { executionInputSchema, type JobState, jobStateSchema } from '#domain/job-state.ts';
import { splitRetry } from './retry-rows.ts';
import { split } from './split.ts';

/** What split reads of the Lambda context: the time left before the timeout. */
export interface SplitContext {
  getRemainingTimeInMillis?: () => number;
}

/**
 * The Lambda handler, built around its dependencies so the local runtime binds the same module. It gets
 * the execution input on its first call, then the state it returned while the split is not done.
 */
export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown, context?: SplitContext): Promise<JobState> => {
    const remainingMs = context?.getRemainingTimeInMillis?.bind(context);
    const options = remainingMs ? { remainingMs } : {};
    if ((event as { stage?: unknown })?.stage === 'split')
      return split(jobStateSchema.parse(event), deps(), options);
    const input = executionInputSchema.parse(event);
    return input.retryOf
      ? splitRetry({ ...input, retryOf: input.retryOf }, deps())
      : split(input, deps(), options);
  };

export const handler = createHandler(depsFromEnv);
