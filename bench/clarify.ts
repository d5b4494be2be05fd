import { runImport } from '#runtime/run-import.ts';
import { sampleExport } from '#sandbox/clarify/sample-export.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import type { TargetAdapter } from '#targets/target.ts';
import { startBenchRun } from './local-run.ts';

export interface ClarifyFigures {
  records: number;
  links: number;
  requests: { creates: number; reads: number; links: number; other: number; total: number };
  /** Handler time of every Task, as Lambda would bill it. */
  lambdaSeconds: number;
  /** Requests to the coordinator table (budgets, the workspace lease). */
  dynamoRequests: number;
  /** Time the API took to answer every request, as the client saw it. */
  apiSeconds: number;
  taskInvocations: number;
  /** States entered (what Step Functions bills) and history events, all executions together. */
  transitions: number;
  events: number;
  elapsedSeconds: number;
}

/** Every method of the adapter that talks to the API, timed. */
function timedAdapter(adapter: TargetAdapter, spent: { ms: number }): TargetAdapter {
  const timed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        spent.ms += performance.now() - started;
      }
    };
  // Only what sends a request is timed; the rest (learning, planning) answers without the API.
  const requests = new Set(['listExisting', 'create', 'update', 'getDealPeople', 'setDealPeople']);
  return new Proxy(adapter, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'preflight') {
        return (...args: Parameters<TargetAdapter['preflight']>) =>
          target.preflight(...args).map((step) => ({ ...step, run: timed(() => step.run()) }));
      }
      if (typeof value !== 'function' || !requests.has(String(key))) return value;
      return timed((...args: unknown[]) => value.apply(target, args));
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
  const sandbox = await startClarifySandbox({ rate, latencyMs: options.latencyMs });
  const api = { ms: 0 };
  const run = await startBenchRun(sandbox, 'clarify', rate, (deps) => ({
    ...deps,
    target: async () => timedAdapter(await deps.target(), api),
  }));
  const { runtime } = run;
  try {
    const { companies } = options;
    const job = run.writeJob(
      sampleExport({ companies, people: companies * 3, deals: companies, links: companies * 2 }),
    );
    const started = performance.now();
    const result = await runImport({ paths: [job], runtime, outDir: run.dir });
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
      ...(await run.history.count()),
      records,
      links: result.links.created,
      requests,
      lambdaSeconds: tasks.reduce((s, t) => s + t.ms, 0) / 1000,
      dynamoRequests: runtime.deps.coordinator.requests,
      apiSeconds: api.ms / 1000,
      taskInvocations: tasks.reduce((n, t) => n + t.invocations, 0),
      elapsedSeconds,
    };
  } finally {
    await run.close();
  }
}
