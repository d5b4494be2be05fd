import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { firstItem, nameParts } from './clarify-records.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

const companies = csv([
  ['Company ID', 'Company Name', 'Website'],
  ['c1', 'Acme', 'acme.com'],
  ['c2', 'Globex', 'globex.io'],
  ['c3', 'Initech', ''],
  ['c4', 'ACME Inc', 'https://www.acme.com'],
]);

/** 30 people; the last rows repeat early ones (a duplicate whose first row an earlier Task read). */
const people = csv([
  ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID', 'Phone'],
  ...Array.from({ length: 24 }, (_, i) => [
    `p${i}`,
    `Name${i}`,
    i % 2 ? `Last${i}` : '',
    `person${i}@${['acme.com', 'globex.io', 'initech.com'][i % 3]}`,
    ['c1', 'c2', 'c3', 'c4', 'c2', 'c3'][i % 6] as string,
    '',
  ]),
  ['p90', 'Name0', 'Filled', 'PERSON0@acme.com', 'c1', '+1 415 555 0100'],
  ['p91', 'Bad', 'Row', 'not-an-email', 'c1', ''],
  ['p92', 'Name2', 'Filled', 'person2@initech.com', 'c3', ''],
  ['p93', 'Shifted', 'Row', 'shifted@acme.com', 'c1', '', 'extra'],
  ['p94', 'Late', 'Comer', 'late@globex.io', 'c4', ''],
  ['p95', 'Name4', '', 'person4@globex.io', 'c1', ''],
]);

describe('A job split across many Tasks, end to end on the local runtime', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;
  let job: string;

  beforeAll(async () => {
    sandbox = await startClarifySandbox({ rate: RATE });
    // Three records per split Task: the 34 rows take 12 Tasks
    harness = await startHarness(sandbox, RATE, { splitRecordsPerTask: 3, chunkRows: 5 });
    job = writeJob({ 'companies.csv': companies, 'people.csv': people });
  });

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it('imports exactly the right records, merged across Tasks, with the right lines in the report', async () => {
    // Act
    const result = await harness.run([job]);

    // Assess: the split looped
    const runs = Number(/Split CSV into batches {2}(\d+) runs/.exec(result.viewText)?.[1]);
    expect(runs).toBe(12);

    // every person once, duplicates merged into the first row (read Tasks earlier)
    const people = sandbox.records('person');
    const emails = people.map((p) => firstItem(p.attributes.email_addresses));
    expect(emails.sort()).toEqual(
      [
        ...Array.from(
          { length: 24 },
          (_, i) => `person${i}@${['acme.com', 'globex.io', 'initech.com'][i % 3]}`,
        ),
        'late@globex.io',
      ].sort(),
    );
    const person = (email: string) =>
      people.find((p) => firstItem(p.attributes.email_addresses) === email)?.attributes;
    expect(nameParts(person('person0@acme.com'))).toMatchObject({ first_name: 'Name0', last_name: 'Filled' });
    expect(nameParts(person('person2@initech.com'))).toMatchObject({ last_name: 'Filled' });

    // companies: ACME Inc merged into Acme; Initech got its domain from its people's emails
    const companyRecords = sandbox.records('company');
    expect(companyRecords.map((c) => c.attributes.name).sort()).toEqual(['Acme', 'Globex', 'Initech']);
    expect(companyRecords.find((c) => c.attributes.name === 'Initech')?.attributes.domains).toEqual({
      items: ['initech.com'],
    });
    // people of the merged duplicate company point at the company it merged into
    const acme = companyRecords.find((c) => c.attributes.name === 'Acme')?.id;
    expect(person('person3@acme.com')?.company_id).toBe(acme);
    expect(person('late@globex.io')?.company_id).toBe(acme);

    // the report accounts for every row, with the bad rows at their lines
    expect(result.summary.accounted).toBe(true);
    expect(result.stages.company).toMatchObject({ rows: 4, created: 3, merged: 1 });
    expect(result.stages.person).toMatchObject({ rows: 30, created: 25, merged: 3, failed: 2 });
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(failures).toMatch(/people\.csv,27,/);
    expect(failures).toMatch(/people\.csv,29,/);
  });
});
