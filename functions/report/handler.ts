import { depsFromEnv } from '#commons/env.ts';
import type { PipelineDeps } from '#commons/pipeline.ts';
import { releaseWorkspace } from '#commons/workspace-lease.ts';
import { firstExecutionHistory } from '#domain/execution-history.ts';
import { executionInputSchema, type JobState, jobStateSchema } from '#domain/job-state.ts';
import { type ReportResult, report } from './report.ts';

/** The report also runs from a Catch, whose input may be as little as the execution input plus the error. */
const inputSchema = executionInputSchema.extend(
  jobStateSchema.partial().omit({ jobId: true, bucket: true, source: true }).shape,
);

export const createHandler =
  (deps: () => PipelineDeps) =>
  async (event: unknown): Promise<ReportResult> => {
    const input = inputSchema.parse(event);
    const state: JobState = {
      stage: 'report',
      done: true,
      wait: { seconds: 0, reason: '' },
      cursor: {},
      progress: { stage: 'report', step: '', done: 0, total: 0 },
      counts: {},
      requests: { sent: 0, throttled: 0 },
      history: firstExecutionHistory(),
      ...input,
    };
    // Nothing from here on writes to the target: the next job waiting for the workspace may start.
    if (state.holdsWorkspace) await releaseWorkspace(state, deps());
    return report(state, deps());
  };

export const handler = createHandler(depsFromEnv);
