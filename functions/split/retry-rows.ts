import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import type { Entity, SourceRow } from '#domain/entities.ts';
import { firstExecutionHistory } from '#domain/execution-history.ts';
import { type Counters, type ExecutionInput, emptyCounters, type JobState } from '#domain/job-state.ts';
import type { SplitPlan } from '#domain/plan.ts';
import type { FailureRow } from '#domain/report.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { chunkWriter } from '#storage/part-writer.ts';
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
  const original = await store.findJson<SplitPlan>(jobKeys(input.retryOf).plan);
  const writer = chunkWriter(store, input.jobId, deps.config.chunkRows ?? 500);
  const counts: Record<string, Counters> = {};
  for await (const row of rowsToRerun(store, input.retryOf)) {
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

/**
 * The rows the job's latest report left to re-run, streamed: a job whose API was down for a million rows
 * re-runs them all. A report written before those rows had a file of their own has them in failures.json.
 */
async function* rowsToRerun(store: ObjectStore, job: string): AsyncGenerator<SourceRow> {
  const keys = jobKeys(job);
  if (await store.exists(keys.retryRows)) {
    yield* store.ndjsonItems<SourceRow>(keys.retryRows);
    return;
  }
  for (const failure of (await store.findJson<FailureRow[]>(keys.report.failuresJson)) ?? [])
    if (failure.retryable && failure.source) yield failure.source;
}
