import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { cli } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

describe('CLI: crm-import run', () => {
  let dataDir: string;
  let sandbox: ClarifySandbox;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-import-cli-'));
    sandbox = await startClarifySandbox({ apiKey: 'right-key', rate: { limit: 30, windowSeconds: 3 } });
  });

  afterAll(async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the bundled example on the embedded default and prints exactly one JSON object', async () => {
    // Act
    const ran = await cli([
      'run',
      'examples/clarify',
      '--target',
      'clarify',
      '--rate',
      '30/3',
      '--json',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(ran.code, ran.stderr.slice(-2000)).toBe(0);
    const lines = ran.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] as string);
    expect(Object.keys(out).sort()).toEqual([
      'executions',
      'jobId',
      'links',
      'outcome',
      'report',
      'requests',
      'stages',
      'status',
      'totals',
    ]);
    expect(out.status).toBe('succeeded');
    expect(out.outcome).toEqual({
      kind: 'imported',
      line: 'Finished: 70 imported, 1 duplicate merged. Every row is in the target.',
    });
    expect(out.executions).toEqual([out.jobId]);
    expect(out.totals).toMatchObject({ rows: 71, created: 70, merged: 1, failed: 0, held: 0 });
    expect(Object.keys(out.stages).sort()).toEqual(['company', 'deal', 'link', 'person']);
    expect(out.links).toEqual({ created: 24, failed: 0 });
    expect(existsSync(out.report.summary)).toBe(true);
    expect(existsSync(out.report.failures)).toBe(true);
    expect(ran.stderr).toMatch(/Create people/);
  });

  it('dry-runs the first 5 rows of the ActuallyCare example with a marker', async () => {
    // Act
    const ran = await cli([
      'run',
      'examples/actuallycare',
      '--target',
      'actuallycare',
      '--rate',
      '30/3',
      '--limit',
      '5',
      '--marker',
      'import-test',
      '--json',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(ran.code, ran.stderr.slice(-2000)).toBe(0);
    const out = JSON.parse(ran.stdout);
    expect(out.totals).toMatchObject({ rows: 5, created: 5 });
    expect(Object.keys(out.stages).sort()).toEqual(['client', 'contact', 'lead']);
    expect(JSON.parse(readFileSync(out.report.summary, 'utf8'))).toMatchObject({
      limit: 5,
      marker: 'import-test',
    });
  });

  it('exits 2 when the import finished but some rows failed', async () => {
    // Prepare
    const job = writeJob({
      'people.csv': csv([
        ['First Name', 'Last Name', 'Email'],
        ['Ann', 'Lee', 'ann@example.com'],
        ['Bob', 'Ray', 'bob@'],
      ]),
    });

    // Act
    const ran = await cli(
      [
        'run',
        join(job, 'people.csv'),
        '--base-url',
        sandbox.baseUrl,
        '--api-key-env',
        'TEST_KEY',
        '--rate',
        '30/3',
        '--json',
        '--data-dir',
        dataDir,
      ],
      {
        TEST_KEY: 'right-key',
      },
    );

    // Assess
    expect(ran.code, ran.stderr.slice(-2000)).toBe(2);
    const out = JSON.parse(ran.stdout);
    expect(out.totals).toMatchObject({ rows: 2, created: 1, failed: 1 });
    // the workspace takes the person's name as an object (clarify.md F1), learned from its GET /schemas
    expect(
      sandbox.records('person').map((p) => (p.attributes.name as { first_name?: string }).first_name),
    ).toContain('Ann');
  });

  it('exits 1 with a one-line reason when the API key is wrong', async () => {
    // Prepare
    const job = writeJob({
      'companies.csv': csv([
        ['Name', 'Domain'],
        ['Acme', 'acme.com'],
      ]),
    });

    // Act
    const ran = await cli(
      [
        'run',
        job,
        '--base-url',
        sandbox.baseUrl,
        '--api-key-env',
        'TEST_KEY',
        '--rate',
        '30/3',
        '--data-dir',
        dataDir,
      ],
      {
        TEST_KEY: 'wrong-key',
      },
    );

    // Assess
    expect(ran.code).toBe(1);
    const last = ran.stderr.trim().split('\n').pop() as string;
    expect(last).toMatch(/^crm-import: .*401/);
    expect(sandbox.records('company').map((c) => c.attributes.name)).not.toContain('Acme');
  });

  it('exits 1 when the input does not exist, or the key variable is not set', async () => {
    // Act
    const missing = await cli(['run', 'no/such/folder', '--data-dir', dataDir]);
    const noKey = await cli([
      'run',
      'examples/clarify',
      '--base-url',
      sandbox.baseUrl,
      '--api-key-env',
      'UNSET_KEY_VAR',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^crm-import: .*no\/such\/folder: no such file or folder$/);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr.trim()).toMatch(/UNSET_KEY_VAR is not set/);
  });
});
