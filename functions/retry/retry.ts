import type { ExecutionInput } from '#domain/job-state.ts';
import { pendingRetrySchema, retryJobId } from '#domain/retry-schedule.ts';
import { PENDING_RETRIES, pendingRetryKey } from '#storage/job-keys.ts';
import { JobStore } from '#storage/job-store.ts';
import type { ObjectStore } from '#storage/object-store.ts';

export interface RetryDeps {
  store: ObjectStore;
  clock: () => number;
  /** StartExecution; false when an execution of that name already exists. */
  startExecution: (name: string, input: ExecutionInput) => Promise<boolean>;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

export interface RetryPass {
  started: string[];
  /** Jobs with retryable rows that are not due yet. */
  waiting: string[];
}

/** A re-run's report lands well inside this; until then the job is not picked up again. */
const RUNNING_HOLD_MS = 24 * 60 * 60 * 1000;

/**
 * One pass of the schedule: every job with retryable or held rows that is due gets a re-run of just those
 * rows through the same state machine. Jobs whose failures are all permanent never get here: their
 * report does not ask for a re-run. `only` forces one job now (crm-import retry <job>).
 */
export async function retryDue(deps: RetryDeps, only?: string): Promise<RetryPass> {
  const pass: RetryPass = { started: [], waiting: [] };
  const now = deps.clock();
  for (const key of await deps.store.list(PENDING_RETRIES)) {
    const pending = pendingRetrySchema.safeParse(await deps.store.findJson<unknown>(key));
    if (!pending.success) continue;
    const marker = pending.data;
    if (only && marker.job !== only) continue;
    if (!only && Date.parse(marker.nextAt) > now) {
      pass.waiting.push(marker.job);
      continue;
    }
    const attempt = marker.attempts + 1;
    const run = retryJobId(marker.job, attempt);
    const job = new JobStore(deps.store, marker.job);
    const lineage = await job.lineage();
    if (!lineage.runs.includes(run)) await job.putLineage({ runs: [...lineage.runs, run] });
    await deps.store.putJson(pendingRetryKey(marker.job), {
      ...marker,
      attempts: attempt,
      nextAt: new Date(now + RUNNING_HOLD_MS).toISOString(),
    });
    const input: ExecutionInput = {
      jobId: run,
      bucket: marker.bucket,
      source: { key: job.keys.report.failuresJson },
      retryOf: marker.job,
    };
    await deps.startExecution(run, input);
    deps.log?.('re-run started', { job: marker.job, run });
    pass.started.push(run);
  }
  return pass;
}
