import type { PipelineDeps } from '#commons/pipeline.ts';
import { buildSummary, type Summary, type SummaryInput } from '#domain/report.ts';
import { DEFAULT_RETRY_POLICY, nextRetryAt, type PendingRetry } from '#domain/retry-schedule.ts';
import { pendingRetryKey } from '#storage/job-keys.ts';
import type { JobStore } from '#storage/job-store.ts';

/**
 * After a report: while the job has retryable or held rows and re-runs are left, leave a marker the
 * schedule picks up when it is due (backing off each time); otherwise take the marker away.
 */
export async function scheduleRetry(
  root: JobStore,
  bucket: string,
  input: SummaryInput,
  deps: PipelineDeps,
): Promise<Summary['retry']> {
  const policy = deps.config.retry ?? DEFAULT_RETRY_POLICY;
  const classes = buildSummary(input).failures ?? { retryable: 0, held: 0, permanent: 0 };
  const { runs } = await root.lineage();
  const job = root.jobId;
  const store = root.objects;
  const waiting = classes.retryable + classes.held > 0;
  if (!waiting && !runs.length) {
    await store.delete(pendingRetryKey(job));
    return undefined;
  }
  const exhausted = waiting && runs.length >= policy.maxAttempts;
  if (!waiting || exhausted) {
    await store.delete(pendingRetryKey(job));
    return { attempts: runs.length, max: policy.maxAttempts, exhausted, runs };
  }
  const nextAt = nextRetryAt(deps.clock(), runs.length, policy);
  const marker: PendingRetry = { job, bucket, attempts: runs.length, nextAt };
  await store.putJson(pendingRetryKey(job), marker);
  return { attempts: runs.length, max: policy.maxAttempts, nextAt, exhausted: false, runs };
}
