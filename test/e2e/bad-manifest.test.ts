import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '#domain/report.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { cli } from './cli-process.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 3 };

/** A trailing comma on line 3: the kind of slip a hand-edited manifest has. */
const BROKEN = '{\n  "files": [\n    { "file": "people.csv", "entity": "person", }\n  ]\n}\n';

const jobWithManifest = () => {
  const job = writeJob({
    'people.csv': csv([
      ['First Name', 'Last Name', 'Email'],
      ['Ann', 'Lee', 'ann@acme.com'],
    ]),
  });
  writeFileSync(join(job, 'manifest.json'), BROKEN);
  return job;
};

describe('A manifest.json that is not JSON, end to end on the local runtime', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;
  let dataDir: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    sandbox = await startClarifySandbox({ apiKey: 'right-key', rate: RATE });
    harness = await startHarness(sandbox, RATE);
    dataDir = mkdtempSync(join(tmpdir(), 'crm-import-cli-'));
  });

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
    for (const dir of [dataDir, ...dirs]) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the job with BAD_MANIFEST naming the file, line and column, and writes nothing', async () => {
    // Prepare
    const job = jobWithManifest();
    dirs.push(job);

    // Act
    const result = await harness.run([job]);

    // Assess
    expect(result.status).toBe('failed');
    expect(result.summary.error).toEqual({
      code: 'BAD_MANIFEST',
      message: 'manifest.json line 3, column 49: not valid JSON (Expected double-quoted property name)',
    });
    expect(sandbox.records('person')).toEqual([]);
    expect(readFileSync(join(result.report.summary, '..', 'summary.txt'), 'utf8')).toMatch(
      /Stopped: BAD_MANIFEST: manifest\.json line 3, column 49/,
    );
  });

  it('prints the --json line, one reason on stderr and no stack trace, and exits 1', async () => {
    // Prepare
    const job = jobWithManifest();
    dirs.push(job);

    // Act
    const ran = await cli([
      'run',
      job,
      '--target',
      'clarify',
      '--rate',
      '30/3',
      '--json',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(ran.code, ran.stderr).toBe(1);
    const lines = ran.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] as string);
    expect(out).toMatchObject({ status: 'failed', totals: { rows: 0 } });
    const summary = JSON.parse(readFileSync(out.report.summary, 'utf8')) as Summary;
    expect(summary.error?.code).toBe('BAD_MANIFEST');
    expect(ran.stderr).toMatch(
      /^crm-import: manifest\.json line 3, column 49: not valid JSON \(Expected double-quoted property name\)$/m,
    );
    expect(ran.stderr).not.toMatch(/SyntaxError| {4}at |position \d+/);
  });
});
