import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RateLimit } from '#domain/rate-budget.ts';
import { runImport } from '#runtime/run-import.ts';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startBenchRun } from './local-run.ts';

export interface OverlapFigures {
  jobs: number;
  /** Leads in all the files together, and the distinct ones among them. */
  rows: number;
  distinct: number;
  duplicates: number;
  missing: number;
  seconds: number;
  /** The same distinct leads as one job. */
  oneJobSeconds: number;
  waited: number;
}

/** `jobs` files of leads over `distinct` leads, each overlapping the next by `overlap`. */
function files(jobs: number, distinct: number, overlap: number): [number, number][] {
  const step = distinct / jobs;
  return Array.from({ length: jobs }, (_, k) => [
    Math.max(0, Math.round(k * step - overlap / 2)),
    Math.min(distinct, Math.round((k + 1) * step + overlap / 2)),
  ]);
}

/** Drops the files at once into one local runtime and waits for every report; seconds from drop to last. */
async function dropTogether(ranges: [number, number][], rate: RateLimit, latencyMs: number) {
  const sandbox = await startActuallyCareSandbox({ rate, latencyMs });
  const run = await startBenchRun(sandbox, 'actuallycare', rate);
  try {
    const jobs = ranges.map(([from, to], k) => {
      const dir = join(run.dir, `part-${k + 1}`);
      mkdirSync(dir);
      const lines = ['Name,Email'];
      for (let i = from; i < to; i++) lines.push(`Lead ${i},lead${i}@example.com`);
      writeFileSync(join(dir, 'leads.csv'), `${lines.join('\n')}\n`);
      writeFileSync(join(dir, 'manifest.json'), '{}');
      return dir;
    });
    const started = Date.now();
    const results = await Promise.all(
      jobs.map((job) => runImport({ paths: [job], runtime: run.runtime, outDir: run.dir })),
    );
    const seconds = (Date.now() - started) / 1000;
    const emails = sandbox.records('leads').map((r) => String(r.email));
    // Every look at the workspace but each job's last one found it taken.
    const looks = run.runtime.taskTimes.get('Take the workspace')?.invocations ?? 0;
    const waited = looks - ranges.length;
    return { seconds, emails, results, waited };
  } finally {
    await run.close();
  }
}

/**
 * Overlapping jobs on one workspace (ActuallyCare, whose API takes a duplicate email without a word):
 * dropped at the same moment, against one job holding the same distinct leads, at a rate that binds.
 */
export async function measureOverlap(options: {
  jobs: number;
  distinct: number;
  overlap: number;
  rate: RateLimit;
  latencyMs: number;
  /** The one-job run to compare with, when already measured. */
  oneJobSeconds?: number;
}): Promise<OverlapFigures> {
  const { rate, latencyMs, distinct } = options;
  const ranges = files(options.jobs, distinct, options.overlap);
  const together = await dropTogether(ranges, rate, latencyMs);
  const oneJobSeconds =
    options.oneJobSeconds ?? (await dropTogether([[0, distinct]], rate, latencyMs)).seconds;
  const unique = new Set(together.emails);
  return {
    jobs: options.jobs,
    rows: ranges.reduce((n, [from, to]) => n + to - from, 0),
    distinct,
    duplicates: together.emails.length - unique.size,
    missing: Array.from({ length: distinct }, (_, i) => `lead${i}@example.com`).filter((e) => !unique.has(e))
      .length,
    seconds: together.seconds,
    oneJobSeconds,
    waited: together.waited,
  };
}

/** One job of `distinct` leads, for the comparison. */
export async function measureOneJob(distinct: number, rate: RateLimit, latencyMs: number): Promise<number> {
  return (await dropTogether([[0, distinct]], rate, latencyMs)).seconds;
}
