import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

const RATE = ['--rate', '30/3'];

/**
 * The README's flow on the embedded default, as a person runs it: the local sandbox remembers what each run
 * created (in the data dir), so fixed failures go to the records the first run made, a second run of the
 * same files creates nothing, and `crm-import sandbox --reset` starts clean.
 */
describe('CLI: the local target remembers across runs', () => {
  let dataDir: string;
  let job: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-import-local-target-'));
    job = writeJob({
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
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(job, { recursive: true, force: true });
  });

  const run = async (paths: string[]) => {
    const ran = await cli(['run', ...paths, '--target', 'clarify', ...RATE, '--json', '--data-dir', dataDir]);
    return { ran, out: JSON.parse(ran.stdout || '{}') };
  };

  it('fixed failures go to the company the first run created, named by their place in the export', async () => {
    // Prepare: two people fail for their data
    const first = await run([job]);
    expect(first.ran.code, first.ran.stderr.slice(-1500)).toBe(2);
    expect(first.out.stages.person).toMatchObject({ created: 1, failed: 2 });

    // Act: fix Bob's email in failures.csv, leave Cy's, and drop the file back in
    const failures = readFileSync(first.out.report.failures, 'utf8');
    // Outside the export's folder (dropped back in alone), where afterAll cleans up
    const fixed = join(dataDir, 'failures.csv');
    writeFileSync(fixed, failures.replace('bob@,', 'bob@acme.com,'));
    const second = await run([fixed]);

    // Assess: Bob is created (his company exists in the local target); Cy is reported at people.csv line 4
    expect(second.ran.code, second.ran.stderr.slice(-1500)).toBe(2);
    expect(second.out.totals).toMatchObject({ rows: 2, created: 1, failed: 1 });
    const report = readFileSync(second.out.report.failures, 'utf8').split('\r\n');
    const cy = report.find((line) => line.includes('cy@acme')) as string;
    expect(cy).toMatch(/,person,people\.csv,4,INVALID_ROW,"people\.csv line 4, column Email: /);
    expect(readFileSync(second.out.report.failures, 'utf8')).not.toMatch(/failures\.csv/);
  });

  it('the same files again create nothing: every record is found in the local target', async () => {
    // Act
    const again = await run([job]);

    // Assess: Acme and Jane are there; Bob's and Cy's rows still have their bad emails in people.csv
    expect(again.out.totals).toMatchObject({ rows: 4, created: 0, skipped: 2, failed: 2 });
  });

  it('sandbox --reset forgets the records: the next run creates them again', async () => {
    // Act
    const reset = await cli(['sandbox', '--reset', '--target', 'clarify', '--data-dir', dataDir]);
    const fresh = await run([join(job, 'companies.csv')]);

    // Assess
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(
      /^Forgot the records of the local clarify sandbox \(.*clarify\.ndjson\): the next run starts clean\.\n$/,
    );
    expect(fresh.out.totals).toMatchObject({ rows: 1, created: 1 });
  });
});
