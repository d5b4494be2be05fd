import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { nameParts } from './clarify-records.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };
const HYPERLINK = '=HYPERLINK("http://x.example","click")';

describe('Cells that start like a formula, end to end on the local runtime', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  const people = () =>
    sandbox
      .records('person')
      .map((p) => [
        (p.attributes.email_addresses as { items: string[] }).items[0],
        nameParts(p.attributes).first_name,
        nameParts(p.attributes).last_name,
      ])
      .sort();

  it('sends them as text, guards them in failures.csv, and takes the guard off when the file comes back', async () => {
    // Prepare
    sandbox = await startClarifySandbox({ rate: RATE });
    harness = await startHarness(sandbox, RATE);
    const job = writeJob({
      'people.csv': csv([
        ['First Name', 'Last Name', 'Email'],
        [HYPERLINK, 'Doe', 'jane@'],
        ['Gerard', "'t Hooft", 'gerard@acme.com'],
        ['+Plus', '-Minus', 'plus@acme.com'],
        ['Truus', "'t Hart", 'truus@'],
      ]),
    });

    // Act: the first run
    const first = await harness.run([job]);

    // Assess: an original cell goes to the target as the text it is, a leading ' included
    expect(first.stages.person).toMatchObject({ rows: 4, created: 2, failed: 2 });
    expect(people()).toEqual([
      ['gerard@acme.com', 'Gerard', "'t Hooft"],
      ['plus@acme.com', '+Plus', '-Minus'],
    ]);
    // failures.csv is safe to open: the formula is guarded, the real apostrophe is left alone
    const failures = readFileSync(first.report.failures, 'utf8');
    expect(failures).toContain(`"'=HYPERLINK(""http://x.example"",""click"")",Doe,jane@,`);
    expect(failures).toContain(`'t Hart,truus@,`);

    // Act: fix the two emails and drop the file back in
    const drop = join(dirname(job), 'failures.csv');
    writeFileSync(drop, failures.replace('jane@,', 'jane@acme.com,').replace('truus@,', 'truus@acme.com,'));
    const second = await harness.run([drop]);

    // Assess: the target gets the cells as the export had them, not with failures.csv's guard
    expect(second.totals).toMatchObject({ rows: 2, created: 2, failed: 0 });
    expect(people()).toEqual([
      ['gerard@acme.com', 'Gerard', "'t Hooft"],
      ['jane@acme.com', HYPERLINK, 'Doe'],
      ['plus@acme.com', '+Plus', '-Minus'],
      ['truus@acme.com', 'Truus', "'t Hart"],
    ]);
  });
});
