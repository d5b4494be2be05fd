import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDeps } from '#local/local-deps.ts';
import { runImport } from '#local/run-import.ts';
import { LocalRuntime } from '#local/runtime.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import type { TargetAdapter } from '#targets/target.ts';
import { recordHistory } from './history.ts';

export interface ClarifyFigures {
  records: number;
  links: number;
  requests: { creates: number; reads: number; links: number; other: number; total: number };
  /** Handler time of every Task, as Lambda would bill it. */
  lambdaSeconds: number;
  /** Time the API took to answer every request, as the client saw it. */
  apiSeconds: number;
  taskInvocations: number;
  /** States entered (what Step Functions bills) and history events, all executions together. */
  transitions: number;
  events: number;
  /** Per Task state: invocations and handler seconds. */
  tasks: Record<string, { invocations: number; seconds: number }>;
  elapsedSeconds: number;
}

/** A job of companies, their people and their deals, each deal with two people: `records` in all. */
function writeJob(dir: string, companies: number): void {
  const lines = (header: string, rows: string[]) => `${[header, ...rows].join('\n')}\n`;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  writeFileSync(
    join(dir, 'companies.csv'),
    lines(
      'Company ID,Company Name,Website',
      range(companies).map((c) => `c-${c},Company ${c},https://www.company-${c}.example`),
    ),
  );
  writeFileSync(
    join(dir, 'people.csv'),
    lines(
      'Person ID,First Name,Last Name,Email,Company ID,Status',
      range(companies * 3).map(
        (p) =>
          `p-${p},First${p},Last${p},person${p}@company-${Math.floor(p / 3)}.example,c-${Math.floor(p / 3)},Lead`,
      ),
    ),
  );
  writeFileSync(
    join(dir, 'deals.csv'),
    lines(
      'Deal ID,Deal Name,Amount,Stage,Company ID',
      range(companies).map((d) => `d-${d},Deal ${d},${1000 + d},Prospecting,c-${d}`),
    ),
  );
  writeFileSync(
    join(dir, 'deal_people.csv'),
    lines(
      'Deal ID,Person ID',
      range(companies).flatMap((d) => [`d-${d},p-${d * 3}`, `d-${d},p-${d * 3 + 1}`]),
    ),
  );
}

/** Every method of the adapter that talks to the API, timed. */
function timedAdapter(adapter: TargetAdapter, spent: { ms: number }): TargetAdapter {
  return new Proxy(adapter, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'tailCursor' || key === 'takeRateLimit') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          spent.ms += performance.now() - started;
        }
      };
    },
  });
}

/**
 * Requests, Lambda time and API time of a Clarify import (companies -> people -> deals -> links) against
 * the sandbox with a modelled round trip. One company in five records: 1 company, 3 people, 1 deal.
 */
export async function measureClarify(options: {
  companies: number;
  latencyMs: number;
  limit: number;
  windowSeconds: number;
}): Promise<ClarifyFigures> {
  const rate = { limit: options.limit, windowSeconds: options.windowSeconds };
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-bench-'));
  const sandbox = await startClarifySandbox({ rate, latencyMs: options.latencyMs });
  const api = { ms: 0 };
  const runtime = await LocalRuntime.start({
    directory: join(dir, 's3'),
    deps: (endpoint) => {
      const deps = localDeps(
        { target: 'clarify', baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, rate },
        endpoint,
      );
      return { ...deps, target: async () => timedAdapter(await deps.target(), api) };
    },
  });
  const history = recordHistory(runtime);
  try {
    const job = join(dir, 'job');
    mkdirSync(job);
    writeJob(job, options.companies);
    const started = performance.now();
    const result = await runImport({ paths: [job], runtime, outDir: dir });
    const elapsedSeconds = (performance.now() - started) / 1000;
    const log = sandbox.requests().filter((r) => r.status !== 0);
    const kind = (r: { method: string; path: string }) =>
      r.path.includes('/relationships/')
        ? 'links'
        : r.method === 'POST' && r.path.includes('/records/bulk')
          ? 'creates'
          : r.method === 'GET'
            ? 'reads'
            : 'other';
    const requests = { creates: 0, reads: 0, links: 0, other: 0, total: log.length };
    for (const r of log) requests[kind(r)] += 1;
    const tasks = [...runtime.taskTimes.values()];
    const records = (['company', 'person', 'deal'] as const).reduce(
      (n, entity) => n + sandbox.records(entity).length,
      0,
    );
    if (result.status !== 'succeeded') throw new Error(`the benchmark import ended ${result.status}`);
    return {
      ...(await history.count()),
      records,
      links: result.links.created,
      requests,
      lambdaSeconds: tasks.reduce((s, t) => s + t.ms, 0) / 1000,
      apiSeconds: api.ms / 1000,
      taskInvocations: tasks.reduce((n, t) => n + t.invocations, 0),
      tasks: Object.fromEntries(
        [...runtime.taskTimes].map(([name, t]) => [
          name,
          { invocations: t.invocations, seconds: t.ms / 1000 },
        ]),
      ),
      elapsedSeconds,
    };
  } finally {
    await runtime.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
