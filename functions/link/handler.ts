import { depsFromEnv } from '#commons/env.ts';
import type { PipelineDeps } from '#commons/pipeline.ts';
import { type JobState, jobStateSchema } from '#domain/job-state.ts';
import { link } from './link.ts';

export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown): Promise<JobState> =>
    link(jobStateSchema.parse(event), deps());

export const handler = createHandler(depsFromEnv);
