import { afterAll, describe, expect, it } from 'vitest';
import { sampleExport } from '#sandbox/clarify/sample-export.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 120, windowSeconds: 1 };
const COMPANIES = 200;
const PEOPLE = 1200;
const DEALS = 300;
const LINKS = 300;

/** 2,000 rows: companies, people at those companies, deals, and deal <-> people links. */
const bigJob = () =>
  writeJob(sampleExport({ companies: COMPANIES, people: PEOPLE, deals: DEALS, links: LINKS }));

describe('Chaos: 2,000 rows against a sandbox that fails in every way it can', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it('ends with every record exactly once, every link right, and every row accounted for', async () => {
    // Prepare: each fault at a few percent of requests; slow answers outlast the client's 800 ms timeout
    sandbox = await startClarifySandbox({
      rate: RATE,
      faults: {
        serverErrorBeforeCommit: 0.04,
        serverErrorAfterCommit: 0.04,
        dropAfterCommit: 0.03,
        slow: 0.015,
        slowMs: 1200,
        throttleBurst: 0.03,
        burstLength: 2,
        retryAfterSeconds: 1,
        seed: 20261121,
      },
    });
    harness = await startHarness(sandbox, RATE, {}, sandbox.apiKey, 'clarify', 800);

    // Act: the import, then the schedule's re-runs until nothing is left to re-run
    const result = await harness.run([bigJob()]);
    let summary = result.summary;
    for (
      let pass = 0;
      pass < 5 && (summary.failures?.retryable ?? 0) + (summary.failures?.held ?? 0) > 0;
      pass++
    ) {
      summary = (await harness.retry(result.jobId)).summary ?? summary;
    }

    // Assess: the faults really happened
    const faults = sandbox.faults();
    expect(faults['after-commit']).toBeGreaterThan(0);
    expect(faults['drop-after-commit']).toBeGreaterThan(0);
    expect(faults['slow-after-commit']).toBeGreaterThan(0);
    expect(faults.throttle).toBeGreaterThan(0);
    expect(faults.status).toBeGreaterThan(0);

    // every record exactly once
    const once = (values: unknown[], count: number) => {
      expect(values).toHaveLength(count);
      expect(new Set(values).size).toBe(count);
    };
    once(
      sandbox.records('company').map((c) => (c.attributes.domains as { items: string[] }).items[0]),
      COMPANIES,
    );
    once(
      sandbox.records('person').map((p) => (p.attributes.email_addresses as { items: string[] }).items[0]),
      PEOPLE,
    );
    once(
      sandbox.records('deal').map((d) => d.attributes.name),
      DEALS,
    );

    // every person at the right company, every link right
    const companyByDomain = new Map(
      sandbox.records('company').map((c) => [(c.attributes.domains as { items: string[] }).items[0], c.id]),
    );
    for (const person of sandbox.records('person')) {
      const email = (person.attributes.email_addresses as { items: string[] }).items[0] as string;
      expect(person.attributes.company_id).toBe(companyByDomain.get(email.split('@')[1] as string));
    }
    const personId = new Map(
      sandbox
        .records('person')
        .map((p) => [(p.attributes.email_addresses as { items: string[] }).items[0], p.id]),
    );
    for (const deal of sandbox.records('deal')) {
      const i = Number(String(deal.attributes.name).replace('Deal ', ''));
      const p = (i * 7) % PEOPLE;
      expect(sandbox.dealPeople(deal.id)).toEqual([
        personId.get(`person${p}@company${p % COMPANIES}.example`),
      ]);
    }

    // the report accounts for every row, and nothing is left failed
    expect(summary.accounted).toBe(true);
    expect(summary.totals).toMatchObject({ rows: 2000, failed: 0, held: 0 });
    expect(summary.totals.created + summary.totals.skipped).toBe(2000);
    expect(summary.status).toBe('succeeded');
  });
});
