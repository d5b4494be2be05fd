import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import { countOf } from '#domain/count-words.ts';
import type { Entity } from '#domain/entities.ts';
import { firstExecutionHistory } from '#domain/execution-history.ts';
import { type Counters, type ExecutionInput, emptyCounters, type JobState } from '#domain/job-state.ts';
import type { SplitPlan } from '#domain/plan.ts';
import { JobStore } from '#storage/job-store.ts';
import { defaultMarker, splitDone } from './split-state.ts';

/**
 * The split of a scheduled re-run: its rows are the original job's retryable and held rows, already
 * mapped, read from that job's failures.json. Rows that failed for good stay out: they wait for the user.
 */
export async function splitRetry(
  input: ExecutionInput & { retryOf: string },
  deps: PipelineDeps,
): Promise<JobState> {
  const job = new JobStore(storeFor(deps, input.bucket), input.jobId);
  const from = job.job(input.retryOf);
  const original = await from.findPlan();
  const writer = job.chunkWriter(deps.config.chunkRows ?? 500);
  const counts: Record<string, Counters> = {};
  for await (const row of from.rowsToRerun()) {
    const c = counts[row.entity] ?? emptyCounters();
    counts[row.entity] = c;
    c.rows += 1;
    await writer.add(row);
  }
  await writer.close();
  const rows = Object.fromEntries(Object.entries(counts).map(([entity, c]) => [entity, c.rows]));
  const plan: SplitPlan = {
    jobId: input.jobId,
    files: [],
    chunks: writer.parts as Partial<Record<Entity, number>>,
    rows,
    marker: original?.marker ?? defaultMarker(deps.clock()),
    retryOf: input.retryOf,
  };
  await job.putPlan(plan);
  return splitDone(
    input,
    counts,
    (total) => `re-running ${countOf(total, 'row')} of ${input.retryOf}`,
    firstExecutionHistory(deps.config.maxHistoryEvents),
  );
}
