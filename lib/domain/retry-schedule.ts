import { z } from 'zod';

/** A job waiting for the schedule to re-run its retryable and held rows. */
export const pendingRetrySchema = z.object({
  job: z.string(),
  bucket: z.string(),
  /** Re-runs started so far. */
  attempts: z.number().int().nonnegative(),
  /** Not before this time (ISO); a re-run in progress pushes it out of reach until its report lands. */
  nextAt: z.string(),
});
export type PendingRetry = z.infer<typeof pendingRetrySchema>;

export interface RetryPolicy {
  /** The first re-run waits this long after the report; each further one twice as long. */
  baseMinutes: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMinutes: 15, maxAttempts: 5 };

/** When the next re-run is due after `attempts` re-runs: base, 2 x base, 4 x base, ... */
export const nextRetryAt = (now: number, attempts: number, policy: RetryPolicy): string =>
  new Date(now + policy.baseMinutes * 60_000 * 2 ** attempts).toISOString();

export const retryJobId = (job: string, attempt: number) => `${job}-retry-${attempt}`;

/** A job's scheduled re-runs, in order (`jobs/<job>/lineage.json`, kept on the original job). */
export const lineageSchema = z.object({ runs: z.array(z.string()) });
export type Lineage = z.infer<typeof lineageSchema>;

/**
 * The jobs whose outcomes a job can reference: itself, and for a scheduled re-run the original job and
 * the re-runs before it (a person re-run today points at the company created last week).
 */
export function lineageJobs(jobId: string, retryOf: string | undefined, lineage?: Lineage): string[] {
  if (!retryOf) return [jobId];
  const runs = lineage?.runs ?? [];
  const before = runs.includes(jobId) ? runs.slice(0, runs.indexOf(jobId)) : runs;
  return [retryOf, ...before, jobId];
}
