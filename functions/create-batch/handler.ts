import { z } from 'zod';
import { depsFromEnv } from '#commons/env.ts';
import type { PipelineDeps } from '#commons/pipeline.ts';
import { type JobState, jobStateSchema } from '#domain/job-state.ts';
import { createBatch } from './create-batch.ts';

const inputSchema = z.object({
  entity: z.enum(['company', 'person', 'deal', 'lead', 'client', 'contact', 'escrow']),
  state: jobStateSchema,
});

export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown): Promise<JobState> =>
    createBatch(inputSchema.parse(event), deps());

export const handler = createHandler(depsFromEnv);
