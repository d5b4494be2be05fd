import { PerformanceObserver } from 'node:perf_hooks';
import type { JobState } from '#domain/job-state.ts';
import { createHandler } from '#functions/split/handler.ts';
import { localDeps } from '#runtime/local-deps.ts';

/**
 * One whole split of an object in a fresh process, Task after Task as the state machine runs them (a warm
 * Lambda): prints the time, the Tasks it took and the process's peak RSS as one JSON line.
 */
const [endpoint = '', bucket = '', key = '', maxTaskMs = '60000'] = process.argv.slice(2);
const deps = localDeps(
  {
    target: 'clarify',
    baseUrl: 'http://127.0.0.1:9',
    apiKey: 'bench',
    rate: { limit: 1, windowSeconds: 1 },
    config: { maxTaskMs: Number(maxTaskMs) },
  },
  endpoint,
);
const split = createHandler(() => deps);
// The collector's pauses on the main thread, summed: what split's garbage costs it.
let gcMs = 0;
const gc = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
gc.observe({ entryTypes: ['gc'] });
const cpuBefore = process.cpuUsage();
const tasks: number[] = [];
const started = performance.now();
let state: JobState | undefined;
do {
  const at = performance.now();
  state = await split(state ?? { jobId: `bench-${Date.now()}`, bucket, source: { key } });
  tasks.push(performance.now() - at);
} while (!state.done);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
gc.disconnect();
const figures = {
  ms,
  tasks,
  rows: state.progress.total,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  cpuMs: (cpu.user + cpu.system) / 1000,
  gcMs,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
