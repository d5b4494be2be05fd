import { executionInputSchema, type JobState } from '#domain/job-state.ts';
import { depsFromEnv } from '../commons/env.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';
import { split } from './split.ts';

/** The Lambda handler, built around its dependencies so the local runtime binds the same module. */
export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown): Promise<JobState> =>
    split(executionInputSchema.parse(event), deps());

export const handler = createHandler(depsFromEnv);
