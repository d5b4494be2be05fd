import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { jobKeys, pendingRetryKey } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { type Harness, smallClarifyJob, startHarness } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

const job = () => smallClarifyJob(12);

/**
 * A job stopped by a transient cause keeps its code across the Step Functions Catch, so it is scheduled
 * for a re-run, and every row it did not reach is held for that re-run: nothing is lost to an outage.
 */
describe('An outage of the target API', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  it('stops the job with SERVER_ERROR, schedules a re-run, and after the outage the re-run completes it once', async () => {
    // Prepare: every read answers 503 while the API is down
    let down = true;
    sandbox = await startClarifySandbox({
      rate: RATE,
      faults: (req) => (down && req.method === 'GET' ? { kind: 'status', status: 503 } : undefined),
    });
    harness = await startHarness(sandbox, RATE);

    // Act
    const result = await harness.run([job()]);

    // Assess: stopped on the transient cause, every row held for the re-run, nothing written
    expect(result.status).toBe('failed');
    expect(result.summary.error?.code).toBe('SERVER_ERROR');
    expect(result.summary.accounted).toBe(true);
    expect(result.totals).toMatchObject({ rows: 17, held: 17, created: 0 });
    expect(result.summary.failures).toMatchObject({ held: 17 });
    expect(result.summary.retry).toMatchObject({ attempts: 0, exhausted: false });
    const store = new ObjectStore(harness.runtime.deps.s3, harness.runtime.bucket);
    expect(await store.exists(pendingRetryKey(result.jobId))).toBe(true);
    expect(sandbox.requests().filter((r) => r.method !== 'GET')).toHaveLength(0);

    // Act: the API is back; the schedule's pass re-runs the job's rows
    down = false;
    const { started, summary } = await harness.retry(result.jobId);

    // Assess: everything created once, linked, and the job's report says so
    expect(started).toEqual([`${result.jobId}-retry-1`]);
    expect(sandbox.records('company')).toHaveLength(2);
    expect(sandbox.records('person')).toHaveLength(12);
    expect(sandbox.records('deal')).toHaveLength(1);
    expect(sandbox.dealPeople(sandbox.records('deal')[0]?.id as string)).toHaveLength(2);
    expect(summary?.status).toBe('succeeded');
    expect(summary?.totals).toMatchObject({ rows: 17, created: 17, held: 0, failed: 0 });
    expect(summary?.accounted).toBe(true);
    expect((await store.getNdjson(jobKeys(result.jobId).retryRows)).length).toBe(0);
    expect((await harness.retry(result.jobId)).started).toEqual([]);
  });
});
