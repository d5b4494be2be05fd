import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { jobKeys, pendingRetryKey } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { type Harness, smallClarifyJob, startHarness } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

const job = () => smallClarifyJob(12);

/** A rate with a longer window: the backoff is capped at the rate window (at most 60 s), so here at 8 s. */
const SLOW_WINDOW = { limit: 120, windowSeconds: 8 };

/** How long the API answers 503 to everything once the first people create arrives. */
const OUTAGE_MS = 12_000;

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

  it('backs off through an outage during creates, in Waits that grow, and completes when the API is back', async () => {
    // Prepare: the first people create starts an outage in which every request answers 503
    let until = 0;
    sandbox = await startClarifySandbox({
      rate: SLOW_WINDOW,
      faults: (req) => {
        const now = Date.now();
        if (!until && req.method === 'POST' && req.pathname.includes('/person/')) until = now + OUTAGE_MS;
        return now < until ? { kind: 'status', status: 503 } : undefined;
      },
    });
    harness = await startHarness(sandbox, SLOW_WINDOW);

    // Act
    const result = await harness.run([job()]);

    // Assess: the job rode the outage out and created everything once
    expect(result.status, JSON.stringify(result.summary.error)).toBe('succeeded');
    expect(result.totals).toMatchObject({ rows: 17, created: 17, failed: 0, held: 0 });
    expect(result.summary.accounted).toBe(true);
    const emails = sandbox
      .records('person')
      .map((p) => (p.attributes.email_addresses as { items: string[] }).items[0]);
    expect(new Set(emails).size).toBe(12);
    expect(emails).toHaveLength(12);
    // a lone failure is tried again at once; from the second in a row each attempt came after a Wait at
    // least a second long, and the Waits grew
    const failed = sandbox.requests().filter((r) => r.status === 503);
    const gaps = failed.slice(1).map((r, i) => r.at - (failed[i] as { at: number }).at);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.length).toBeLessThanOrEqual(8);
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThanOrEqual(900);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(1.8 * (gaps[1] as number));
    // one Task an attempt, not a Task after another with 0 s waits
    const tasks = harness.runtime.taskTimes.get('Create people')?.invocations ?? 0;
    expect(tasks).toBeLessThanOrEqual(failed.length + 2);
  });

  it('gives up the links left when the API keeps failing them, as retryable, and the schedule makes them after', async () => {
    // Prepare: every link request (a deal's people, PATCH) answers 503 while `failing`
    let failing = true;
    sandbox = await startClarifySandbox({
      rate: RATE,
      faults: (req) =>
        failing && req.method === 'PATCH' && req.pathname.includes('/relationships/')
          ? { kind: 'status', status: 503 }
          : undefined,
    });
    harness = await startHarness(sandbox, RATE);

    // Act
    const result = await harness.run([job()]);

    // Assess: the link stage gave up after its failures in a row; the records went in
    const patches = () => sandbox?.requests().filter((r) => r.method === 'PATCH') ?? [];
    expect(patches()).toHaveLength(10);
    expect(result.stages.link).toMatchObject({ rows: 2, failed: 2, created: 0 });
    expect(result.totals).toMatchObject({ rows: 17, created: 15, failed: 2 });
    expect(result.summary.failures).toEqual({ permanent: 0, retryable: 2, held: 0 });
    expect(result.summary.retry).toMatchObject({ attempts: 0, exhausted: false });

    // Act: the API answers again; the schedule's pass re-runs the two links
    failing = false;
    const { started, summary } = await harness.retry(result.jobId);

    // Assess: linked once, nothing created twice
    expect(started).toEqual([`${result.jobId}-retry-1`]);
    expect(sandbox.records('person')).toHaveLength(12);
    expect(sandbox.dealPeople(sandbox.records('deal')[0]?.id as string)).toHaveLength(2);
    expect(summary?.status).toBe('succeeded');
    expect(summary?.stages.link).toMatchObject({ rows: 2, created: 2, failed: 0 });
  });
});
