import type { Entity, SourceRow } from '#domain/entities.ts';
import { firstExecutionHistory } from '#domain/execution-history.ts';
import { type Counters, type ExecutionInput, emptyCounters, type JobState } from '#domain/job-state.ts';
import type { FailureRow } from '#domain/report.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { type PipelineDeps, storeFor } from '../commons/pipeline.ts';
import { chunkWriter } from './part-writer.ts';
import type { SplitPlan } from './split.ts';
import { defaultMarker, splitDone } from './split-state.ts';

/**
 * The split of a scheduled re-run: its rows are the original job's retryable and held rows, already
 * mapped, read from that job's failures.json. Rows that failed for good stay out: they wait for the user.
 */
export async function splitRetry(
  input: ExecutionInput & { retryOf: string },
  deps: PipelineDeps,
): Promise<JobState> {
  const store = storeFor(deps, input.bucket);
  const failures = (await store.findJson<FailureRow[]>(jobKeys(input.retryOf).report.failuresJson)) ?? [];
  const original = await store.findJson<SplitPlan>(jobKeys(input.retryOf).plan);
  const writer = chunkWriter(store, input.jobId, deps.config.chunkRows ?? 500);
  const counts: Record<string, Counters> = {};
  for (const failure of failures) {
    if (!failure.retryable || !failure.source) continue;
    const row: SourceRow = failure.source;
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
  await store.putJson(jobKeys(input.jobId).plan, plan);
  return splitDone(
    input,
    counts,
    (total) => `re-running ${total} rows of ${input.retryOf}`,
    firstExecutionHistory(deps.config.maxHistoryEvents),
  );
}
