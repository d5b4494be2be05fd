import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

describe('A fixed failures.csv dropped back in', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it('imports only its rows, once, linked to what the first run created', async () => {
    // Prepare: two people fail for their data
    sandbox = await startClarifySandbox({ rate: RATE });
    harness = await startHarness(sandbox, RATE);
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name', 'Domain'],
        ['c1', 'Acme', 'acme.com'],
      ]),
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['p1', 'Jane', 'Doe', 'jane@acme.com', 'c1'],
        ['p2', 'Bob', 'Ray', 'bob@', 'c1'],
        ['p3', 'Cy', 'Fox', 'cy@acme', 'c1'],
      ]),
    });
    const first = await harness.run([job]);
    expect(first.stages.person).toMatchObject({ created: 1, failed: 2 });
    // the data's fault: the schedule leaves the job alone, it waits for the user
    expect(first.summary.failures).toEqual({ permanent: 2, retryable: 0, held: 0 });
    expect(first.summary.retry).toBeUndefined();
    expect((await harness.retry(first.jobId)).started).toEqual([]);

    // Act: fix the two emails in failures.csv (its other columns as they are) and drop it back in
    const failures = readFileSync(first.report.failures, 'utf8');
    expect(failures.split('\r\n')[0]).toMatch(/,entity,file,line,error_code,error_message,retryable,job$/);
    const fixed = failures.replace('bob@,', 'bob@acme.com,').replace('cy@acme,', 'cy@acme.com,');
    const drop = join(dirname(job), 'failures.csv');
    writeFileSync(drop, fixed);
    const postsBefore = sandbox.requests().filter((r) => r.method === 'POST').length;
    const second = await harness.run([drop]);

    // Assess: just the two rows, created once, at the company the first run created
    expect(second.totals, readFileSync(second.report.failures, 'utf8')).toMatchObject({
      rows: 2,
      created: 2,
      failed: 0,
    });
    expect(sandbox.requests().filter((r) => r.method === 'POST').length - postsBefore).toBe(1);
    const acme = sandbox.records('company')[0]?.id;
    const people = sandbox
      .records('person')
      .map((p) => [(p.attributes.email_addresses as { items: string[] }).items[0], p.attributes.company_id]);
    expect(people.sort()).toEqual([
      ['bob@acme.com', acme],
      ['cy@acme.com', acme],
      ['jane@acme.com', acme],
    ]);
  });
});
