import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '#domain/report.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { cli, freePort, startCli, until } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

const RATE = ['--rate', '30/3'];

const summaryOf = (summaryJson: string) => JSON.parse(readFileSync(summaryJson, 'utf8')) as Summary;
const summaryText = (summaryJson: string) => readFileSync(join(dirname(summaryJson), 'summary.txt'), 'utf8');

/**
 * One outcome per job, in words a person uses, the same in the view's last line, summary.txt, `up` and
 * the exit code: every row in, rows that need attention, a dry run, or a job that could not run.
 */
describe('CLI: one outcome', () => {
  let dataDir: string;
  let job: string;
  let sandbox: ClarifySandbox;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-import-outcome-'));
    sandbox = await startClarifySandbox({ apiKey: 'right-key', rate: { limit: 30, windowSeconds: 3 } });
    job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name', 'Domain'],
        ['c1', 'Acme', 'acme.com'],
      ]),
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['p1', 'Jane', 'Doe', 'jane@acme.com', 'c1'],
        ['p2', 'Bob', 'Ray', 'bob@', 'c1'],
      ]),
    });
  });

  afterAll(async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a dry run says "would" throughout, names plan.csv, and ends on a line that cannot be read as an import', async () => {
    // Act
    const ran = await cli([
      'run',
      job,
      '--target',
      'clarify',
      ...RATE,
      '--dry-run',
      '--json',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(ran.code, ran.stderr.slice(-1500)).toBe(2);
    const out = JSON.parse(ran.stdout);
    expect(existsSync(out.report.plan)).toBe(true);
    expect(ran.stderr).toMatch(/^DRY RUN: nothing will be written to the target/);
    expect(ran.stderr).toMatch(/^Dry run of import \S+: nothing was written$/m);
    expect(ran.stderr).toMatch(
      /^stage +rows +would create +would update +skipped +merged +would fail +held$/m,
    );
    expect(ran.stderr).toContain(`plan      ${out.report.plan}`);
    const last = ran.stderr.trim().split('\n').at(-1);
    expect(last).toBe(
      `! DRY RUN, nothing was written to the target: would import 2, 1 would fail or wait. What each row would do: ${out.report.plan}`,
    );
    expect(ran.stderr).not.toMatch(/succeeded|\d+ created|imported/);
    expect(out.outcome.kind).toBe('dry-run');
    expect(sandbox.records('company')).toEqual([]);
  });

  it('rows that failed: the view, summary.txt, --json and the exit code say the same, never "succeeded"', async () => {
    // Act
    const ran = await cli(['run', job, '--target', 'clarify', ...RATE, '--json', '--data-dir', dataDir]);

    // Assess
    expect(ran.code, ran.stderr.slice(-1500)).toBe(2);
    const out = JSON.parse(ran.stdout);
    expect(ran.stderr.trim().split('\n').at(-1)).toBe(
      `! Finished: 2 imported; 1 needs your attention: see ${out.report.failures}`,
    );
    expect(summaryText(out.report.summary).split('\n')[0]).toBe(
      'Finished: 2 imported; 1 needs your attention: see failures.csv',
    );
    expect(out.outcome).toEqual({
      kind: 'needs-attention',
      line: expect.stringMatching(/^Finished: 2 imported; 1 needs/),
    });
    expect(ran.stderr).not.toMatch(/succeeded|completed_with_failures/);
    expect(ran.stderr).toMatch(/^■ Import \S+ ran to the end in \d+\.\ds$/m);
  });

  it('a refused key: could not run, in one line with what to do; its rows not attempted, every row accounted for', async () => {
    // Act
    const ran = await cli(
      [
        'run',
        job,
        '--target',
        'clarify',
        '--base-url',
        sandbox.baseUrl,
        '--api-key-env',
        'TEST_KEY',
        ...RATE,
        '--json',
        '--data-dir',
        dataDir,
      ],
      { TEST_KEY: 'wrong-key' },
    );

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '\n✖ Could not run: the API refused the key (AUTH_FAILED). Nothing was written; 2 rows not attempted. Check the key in TEST_KEY, then run crm-import check.\n',
    );
    expect(ran.stderr).not.toMatch(/unaccounted|DOES NOT ADD UP|drop the file back in/);
    const out = JSON.parse(ran.stdout);
    const summary = summaryOf(out.report.summary);
    expect(summary.error?.code).toBe('AUTH_FAILED');
    // Bob's row failed for its email before anything was sent; the other two were never reached
    expect(summary).toMatchObject({
      accounted: true,
      notAttempted: 2,
      totals: { rows: 3, failed: 1, held: 2 },
    });
    const text = summaryText(out.report.summary);
    expect(text.split('\n')[0]).toBe(
      'Could not run: the API refused the key (AUTH_FAILED). Nothing was written; 2 rows not attempted. Check the API key, then run crm-import check.',
    );
    expect(text).not.toMatch(/DOES NOT ADD UP/);
    expect(text).toMatch(/held 2 \(2 not attempted: the job stopped before them\)/);
    // the schedule cannot fix a refused key: no re-run is queued
    expect(summary.retry).toBeUndefined();
  });

  it('an API that does not answer: could not run, the network named, the rows left for the schedule', async () => {
    // Act
    const port = await freePort();
    const ran = await cli(
      [
        'run',
        join(job, 'companies.csv'),
        '--target',
        'clarify',
        '--base-url',
        `http://127.0.0.1:${port}/v1/workspaces/ws`,
        '--rate',
        '30/1',
        '--data-dir',
        dataDir,
      ],
      { CLARIFY_API_KEY: 'any' },
    );

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      '\n✖ Could not run: the API could not be reached (NETWORK). Nothing was written; 1 row not attempted, to be retried on schedule. Check the base URL and the network, then run crm-import check.\n',
    );
    expect(ran.stderr).not.toMatch(/unaccounted/);
  });

  it('up says the same outcome for a file dropped into its bucket', async () => {
    // Prepare
    const port = await freePort();
    const upDir = mkdtempSync(join(tmpdir(), 'crm-import-up-'));
    const up = startCli([
      'up',
      '--target',
      'clarify',
      '--s3-port',
      String(port),
      ...RATE,
      '--data-dir',
      upDir,
    ]);
    const printed = () => `stdout: ${up.output().stdout}\nstderr: ${up.output().stderr}`;
    try {
      await until(() => up.output().stdout.includes('crm-import is up'), 60_000, printed);

      // Act
      const s3 = createS3Client({ endpoint: `http://127.0.0.1:${port}` });
      await s3.send(
        new PutObjectCommand({
          Bucket: 'crm-import',
          Key: 'imports/people.csv',
          Body: readFileSync(join(job, 'people.csv')),
        }),
      );
      await until(() => /your attention|Every row/.test(up.output().stderr), 60_000, printed);

      // Assess
      const { stderr } = up.output();
      expect(stderr).toMatch(
        /^! Finished: \d+ imported(, \d+ already there)?; \d+ needs? your attention: see .*failures\.csv$/m,
      );
      expect(stderr).not.toMatch(/completed_with_failures|succeeded/);
    } finally {
      up.child.kill('SIGINT');
      await up.finished;
      rmSync(upDir, { recursive: true, force: true });
    }
  });
});
