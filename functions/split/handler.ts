import { executionInputSchema, type JobState } from '#domain/job-state.ts';
import { depsFromEnv } from '../commons/env.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';
import { splitRetry } from './retry-rows.ts';
import { split } from './split.ts';

/** The Lambda handler, built around its dependencies so the local runtime binds the same module. */
export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown): Promise<JobState> => {
    const input = executionInputSchema.parse(event);
    return input.retryOf ? splitRetry({ ...input, retryOf: input.retryOf }, deps()) : split(input, deps());
  };

export const handler = createHandler(depsFromEnv);
