import { depsFromEnv } from '#commons/env.ts';
import type { PipelineDeps } from '#commons/pipeline.ts';
import { type JobState, jobStateSchema } from '#domain/job-state.ts';
import { takeWorkspace } from './workspace.ts';

export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown): Promise<JobState> =>
    takeWorkspace(jobStateSchema.parse(event), deps());

export const handler = createHandler(depsFromEnv);
