import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleExport } from '#sandbox/clarify/sample-export.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { firstName } from './clarify-records.ts';
import { type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 5, windowSeconds: 1 };
const SIZE = { companies: 30, people: 60, deals: 10, links: 20 };
/** A few passes per execution: the import must hand over to new executions several times. */
const MAX_HISTORY_EVENTS = 20;

describe('Continue as new: a long import carries on in new executions', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;

  beforeAll(async () => {
    sandbox = await startClarifySandbox({ rate: RATE });
    // Small bursts make many paced passes out of a small job, and small split Tasks several split passes:
    // the first hand-over comes in the middle of the split.
    harness = await startHarness(sandbox, RATE, {
      maxHistoryEvents: MAX_HISTORY_EVENTS,
      burstSeconds: 1,
      splitRecordsPerTask: 25,
    });
  });

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it('imports every record exactly once across several executions and writes one report', async () => {
    // Prepare
    const job = writeJob(sampleExport(SIZE));

    // Act
    const result = await harness.run([job]);

    // Assess: several executions, named after the job, and the view says it continued
    expect(result.executions.length).toBeGreaterThanOrEqual(3);
    expect(result.executions).toEqual(
      result.executions.map((_, i) => (i === 0 ? result.jobId : `${result.jobId}-${i + 1}`)),
    );
    expect(result.viewText).toMatch(/continuing in .+-2\b/);
    expect(result.viewText).toMatch(/carries on in execution 3/);
    const second = harness.runtime.executions.get(`${result.jobId}-2`)?.input as { stage?: string };
    expect(second.stage).toBe('split');

    // every record once
    const emails = sandbox
      .records('person')
      .map((p) => (p.attributes.email_addresses as { items: string[] }).items[0]);
    expect(new Set(emails).size).toBe(SIZE.people);
    expect(emails).toHaveLength(SIZE.people);
    expect(sandbox.records('company')).toHaveLength(SIZE.companies);
    expect(sandbox.records('deal')).toHaveLength(SIZE.deals);

    // every person at their company, every link made
    const companyName = new Map(sandbox.records('company').map((c) => [c.id, c.attributes.name]));
    for (const person of sandbox.records('person')) {
      const i = Number(String(firstName(person.attributes)).slice('First'.length));
      expect(companyName.get(person.attributes.company_id as string)).toBe(`Company ${i % SIZE.companies}`);
    }
    const personOf = new Map(sandbox.records('person').map((p) => [p.id, firstName(p.attributes)]));
    const linked = sandbox
      .records('deal')
      .flatMap((d) => sandbox.dealPeople(d.id).map((id) => `${d.attributes.name} ${personOf.get(id)}`));
    const expected = Array.from(
      { length: SIZE.links },
      (_, i) => `Deal ${i % SIZE.deals} First${(i * 7) % SIZE.people}`,
    );
    expect(linked.sort()).toEqual(expected.sort());

    // one report for the whole import, every row accounted for
    expect(result.status).toBe('succeeded');
    expect(result.summary.accounted).toBe(true);
    expect(result.stages.company).toMatchObject({ rows: SIZE.companies, created: SIZE.companies });
    expect(result.stages.person).toMatchObject({ rows: SIZE.people, created: SIZE.people });
    expect(result.stages.deal).toMatchObject({ rows: SIZE.deals, created: SIZE.deals });
    expect(result.stages.link).toMatchObject({ rows: SIZE.links, created: SIZE.links });
    expect(result.totals).toMatchObject({ failed: 0, held: 0 });
    expect(sandbox.requests().filter((r) => r.status === 429)).toHaveLength(0);
  });
});
