import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

describe('Dry run: the plan, and nothing written', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it('says what every row would do and which links it would make, writing nothing', async () => {
    // Prepare: Acme and Jane exist, Jane already on the renewal deal
    sandbox = await startClarifySandbox({
      rate: RATE,
      seed: {
        company: [{ name: 'Acme', domains: { items: ['acme.com'] } }],
        person: [
          { name: { first_name: 'Jane' }, email_addresses: { items: ['jane@acme.com'] }, company_id: 0 },
        ],
        deal: [{ name: 'Acme Renewal', company_id: 0 }],
        dealPeople: { '0': [0] },
      },
    });
    harness = await startHarness(sandbox, RATE);
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name', 'Domain'],
        ['c1', 'Acme', 'acme.com'],
        ['c2', 'Globex', 'globex.io'],
      ]),
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['p1', 'Jane', 'Doe', 'jane@acme.com', 'c1'],
        ['p2', 'Bob', 'Ray', 'bob@globex.io', 'c2'],
        ['p3', 'Bob', '', 'BOB@globex.io', 'c2'],
        ['p4', 'Eve', 'Bad', 'eve@', 'c2'],
      ]),
      'deals.csv': csv([
        ['Deal ID', 'Deal Name', 'Company ID'],
        ['d1', 'Acme Renewal', 'c1'],
        ['d2', 'Globex Pilot', 'c2'],
      ]),
      'deal_people.csv': csv([
        ['Deal ID', 'Person ID'],
        ['d1', 'p1'],
        ['d2', 'p2'],
      ]),
    });
    const writesBefore = sandbox.requests().filter((r) => r.method !== 'GET').length;

    // Act
    const result = await harness.run([job], { dryRun: true });

    // Assess: no write reached the target
    expect(sandbox.requests().filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect(sandbox.records('company')).toHaveLength(1);
    expect(result.summary.dryRun).toBe(true);
    expect(result.stages.company).toMatchObject({ created: 1, skipped: 1 });
    expect(result.stages.person).toMatchObject({ created: 1, skipped: 1, merged: 1, failed: 1 });
    expect(result.stages.link).toMatchObject({ created: 1, skipped: 1 });
    const plan = readFileSync(result.report.plan as string, 'utf8');
    expect(plan.split('\r\n')[0]).toMatch(/^entity,file,line,action,reason,/);
    expect(plan).toMatch(/person,people\.csv,3,create,would create,/);
    expect(plan).toMatch(/person,people\.csv,2,skip,already in the target,/);
    expect(plan).toMatch(/person,people\.csv,4,merge,into people\.csv line 3,/);
    expect(plan).toMatch(/people\.csv,5,fail,.*eve@/);
    expect(plan).toMatch(/link,deal_people\.csv,3,link,would link,.*d2,p2/);
    expect(plan).toMatch(/link,deal_people\.csv,2,skip,already linked,.*d1,p1/);
    expect(readFileSync(result.report.summary.replace('summary.json', 'summary.txt'), 'utf8')).toMatch(
      /^DRY RUN/,
    );
  });
});
