import { afterEach, describe, expect, it } from 'vitest';
import type { SourceRow } from '#domain/entities.ts';
import type { FaultHook } from '#sandbox/clarify/server.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { type Harness, smallClarifyJob, startHarness } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

const job = () => smallClarifyJob(30);

/** Plays `action` on the first `count` requests matching `method path`. */
const firstOnly = (
  method: string,
  fragment: string,
  count: number,
  action: ReturnType<FaultHook>,
): FaultHook => {
  let left = count;
  return (req) => {
    if (req.method !== method || !req.pathname.includes(fragment) || left <= 0) return undefined;
    left -= 1;
    return action;
  };
};

describe('Exactly-once creates on the local runtime', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it.each([
    ['the connection drops after the API committed', { kind: 'drop-after-commit' } as const],
    ['the API commits, then answers 500', { kind: 'after-commit', status: 500 } as const],
  ])('recovers the ids, without a second record, when %s', async (_case, action) => {
    // Prepare
    sandbox = await startClarifySandbox({
      rate: RATE,
      faults: firstOnly('POST', '/person/records/bulk', 1, action),
    });
    harness = await startHarness(sandbox, RATE);

    // Act
    const result = await harness.run([job()]);

    // Assess: 30 people, each once; the in-doubt batch was read back, not sent again
    const emails = sandbox
      .records('person')
      .map((p) => (p.attributes.email_addresses as { items: string[] }).items[0]);
    expect(emails, JSON.stringify(result.summary.error ?? result.stages)).toHaveLength(30);
    expect(new Set(emails).size).toBe(30);
    expect(result.stages.person).toMatchObject({ rows: 30, created: 30, failed: 0 });
    const personPosts = sandbox.requests().filter((r) => r.method === 'POST' && r.path.includes('/person/'));
    expect(personPosts).toHaveLength(2); // 25 (in doubt, landed) + 5; never the 25 again
    const tailReads = sandbox
      .requests()
      .filter((r) => r.method === 'GET' && r.path.includes('/person/resources'));
    expect(tailReads.length).toBeGreaterThanOrEqual(2); // the index, then the read for the lost answer
    // links use the recovered ids
    const deal = sandbox.records('deal')[0];
    const idOf = (email: string) =>
      sandbox
        ?.records('person')
        .find((p) => (p.attributes.email_addresses as { items: string[] }).items[0] === email)?.id;
    expect(sandbox.dealPeople(deal?.id as string).sort()).toEqual(
      [idOf('p1@acme.com'), idOf('p3@acme.com')].sort(),
    );
    expect(result.summary.accounted).toBe(true);
  });

  it('sends again what did not land when a 5xx came before the API committed', async () => {
    // Prepare
    sandbox = await startClarifySandbox({
      rate: RATE,
      faults: firstOnly('POST', '/person/records/bulk', 2, { kind: 'status', status: 503 }),
    });
    harness = await startHarness(sandbox, RATE);

    // Act
    const result = await harness.run([job()]);

    // Assess
    expect(sandbox.records('person')).toHaveLength(30);
    expect(result.stages.person).toMatchObject({ created: 30, failed: 0 });
    expect(
      sandbox
        .requests()
        .filter((r) => r.method === 'POST' && r.path.includes('/person/') && r.status === 201),
    ).toHaveLength(2);
  });

  it('gives up on a window after repeated failures as retryable, and the schedule re-runs just those rows', async () => {
    // Prepare: every people create fails before commit, until the API recovers
    let failing = true;
    const down = firstOnly('POST', '/person/records/bulk', 1000, { kind: 'status', status: 500 });
    sandbox = await startClarifySandbox({ rate: RATE, faults: (req) => (failing ? down(req) : undefined) });
    harness = await startHarness(sandbox, RATE);

    // Act
    const result = await harness.run([job()]);

    // Assess: people failed retryable, their links held, companies and the deal created
    expect(result.stages.person).toMatchObject({ rows: 30, created: 0, failed: 30 });
    expect(result.stages.link).toMatchObject({ rows: 2, held: 2 });
    expect(result.stages.company).toMatchObject({ created: 2 });
    expect(result.summary.failures).toEqual({ permanent: 0, retryable: 30, held: 2 });
    expect(result.summary.accounted).toBe(true);
    expect(result.summary.retry).toMatchObject({ attempts: 0, exhausted: false });
    const store = new ObjectStore(harness.runtime.deps.s3, harness.runtime.bucket);
    const rerunRows = async () => (await store.getNdjson<SourceRow>(jobKeys(result.jobId).retryRows)).length;
    expect(await rerunRows()).toBe(32);

    // Act: the API recovers; the schedule's pass re-runs just those rows
    failing = false;
    const postsBefore = sandbox.requests().filter((r) => r.method === 'POST').length;
    const { started, summary } = await harness.retry(result.jobId);

    // Assess: people created once, links made, the original report updated and nothing left to re-run
    expect(started).toEqual([`${result.jobId}-retry-1`]);
    expect(sandbox.records('person')).toHaveLength(30);
    expect(sandbox.records('company')).toHaveLength(2);
    expect(sandbox.requests().filter((r) => r.method === 'POST').length - postsBefore).toBe(2);
    const deal = sandbox.records('deal')[0];
    expect(sandbox.dealPeople(deal?.id as string)).toHaveLength(2);
    expect(summary?.status).toBe('succeeded');
    expect(summary?.stages.person).toMatchObject({ rows: 30, created: 30, failed: 0 });
    expect(summary?.stages.link).toMatchObject({ rows: 2, created: 2, held: 0 });
    expect(summary?.retry).toMatchObject({
      attempts: 1,
      exhausted: false,
      runs: [`${result.jobId}-retry-1`],
    });
    expect(await rerunRows()).toBe(0);
    expect((await harness.retry(result.jobId)).started).toEqual([]);
  });
});
