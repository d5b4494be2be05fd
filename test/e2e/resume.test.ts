import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { cli, startCli, until } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

const runArgs = (job: string, baseUrl: string, dataDir: string) => [
  'run',
  job,
  '--target',
  'actuallycare',
  '--base-url',
  baseUrl,
  '--api-key-env',
  'AC_KEY',
  '--rate',
  '10/2',
  '--json',
  '--data-dir',
  dataDir,
];

describe('CLI: a run killed mid-import', () => {
  let sandbox: ActuallyCareSandbox;
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-import-resume-'));

  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the same job when started again with the same input, and creates nothing twice', async () => {
    // Prepare: 40 leads, one request each, at 10 per 2 s: the run takes several seconds
    sandbox = await startActuallyCareSandbox({ rate: { limit: 10, windowSeconds: 2 } });
    const job = writeJob({
      'leads.csv': csv([
        ['Name', 'Email'],
        ...Array.from({ length: 40 }, (_, i) => [`Lead ${i}`, `lead${i}@example.com`]),
      ]),
    });
    const args = runArgs(job, sandbox.baseUrl, dataDir);
    const env = { AC_KEY: sandbox.apiKey };
    const posts = () => sandbox.requests().filter((r) => r.method === 'POST').length;

    // Act: kill the first run (no chance to clean up) once some leads are in
    const first = startCli(args, env);
    await until(() => posts() >= 12, 60_000);
    first.child.kill('SIGKILL');
    await first.finished;
    const createdBeforeKill = sandbox.records('leads').length;
    const second = await cli(args, env);

    // Assess: every lead exactly once; the resumed job is the same job and accounts for every row
    expect(createdBeforeKill).toBeGreaterThanOrEqual(12);
    expect(createdBeforeKill).toBeLessThan(40);
    const emails = sandbox.records('leads').map((l) => l.email);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    expect(emails).toHaveLength(40);
    expect(new Set(emails).size).toBe(40);
    const out = JSON.parse(second.stdout);
    expect(out.totals).toMatchObject({ rows: 40, failed: 0, held: 0 });
    expect(out.totals.created + out.totals.skipped).toBe(40);
    expect(out.totals.created).toBe(40);

    // Act again: the job finished, so the same input is a new job that creates nothing
    const third = await cli(args, env);

    // Assess
    const again = JSON.parse(third.stdout);
    expect(again.jobId).not.toBe(out.jobId);
    expect(again.totals).toMatchObject({ rows: 40, created: 0, skipped: 40 });
    expect(sandbox.records('leads')).toHaveLength(40);
  });

  it('resumes a long import in the latest execution of its chain', async () => {
    // Prepare: a low history threshold makes the import continue as new every pass or two
    const chain = await startActuallyCareSandbox({ rate: { limit: 10, windowSeconds: 2 } });
    const chainDir = mkdtempSync(join(tmpdir(), 'crm-import-resume-chain-'));
    onTestFinished(async () => {
      await chain.close();
      rmSync(chainDir, { recursive: true, force: true });
    });
    const job = writeJob({
      'leads.csv': csv([
        ['Name', 'Email'],
        ...Array.from({ length: 40 }, (_, i) => [`Lead ${i}`, `lead${i}@example.com`]),
      ]),
    });
    const args = runArgs(job, chain.baseUrl, chainDir);
    const env = { AC_KEY: chain.apiKey, MAX_HISTORY_EVENTS: '20' };
    const latestExecution = (): string | undefined => {
      const runs = join(chainDir, 'runs');
      const [file] = existsSync(runs) ? readdirSync(runs) : [];
      try {
        return file ? JSON.parse(readFileSync(join(runs, file), 'utf8')).execution : undefined;
      } catch {
        return undefined; // caught mid-write
      }
    };

    // Act: kill the run once it has continued in a second execution
    const first = startCli(args, env);
    await until(() => latestExecution() !== undefined, 60_000);
    first.child.kill('SIGKILL');
    await first.finished;
    const resumedIn = latestExecution() as string;
    const second = await cli(args, env);

    // Assess: it carried on from that execution, and every lead is there once
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out.executions[0]).toBe(resumedIn);
    expect(resumedIn).toMatch(new RegExp(`^${out.jobId}-\\d+$`));
    expect(second.stderr).toContain(`Resuming ${out.jobId}`);
    const emails = chain.records('leads').map((l) => l.email);
    expect(new Set(emails).size).toBe(40);
    expect(emails).toHaveLength(40);
    expect(out.totals).toMatchObject({ rows: 40, created: 40, failed: 0, held: 0 });
  });
});
