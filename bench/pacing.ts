import { runImport } from '#runtime/run-import.ts';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { startBenchRun } from './local-run.ts';

export interface PacingFigures {
  requests: number;
  throttled: number;
  idealSeconds: number;
  actualSeconds: number;
  efficiency: number;
  maxInWindow: number;
  limit: number;
  /** Events the executions' histories would hold on AWS, and states entered. */
  events: number;
  transitions: number;
  /** Handler time of every Task (what Lambda would bill), and requests to the coordinator table. */
  lambdaSeconds: number;
  dynamoRequests: number;
  rows: number;
}

/**
 * Pacing efficiency: an ActuallyCare import (one request per row, reads and writes together) against the
 * sandbox at a scaled-down limit, with a modelled API round trip. Ideal time is requests / allowed rate;
 * actual is first request to last, plus one request's share of the window (the last one's slot). The
 * sandbox's own log says whether any window went over.
 */
export async function measurePacing(options: {
  rows: number;
  limit: number;
  windowSeconds: number;
  latencyMs: number;
}): Promise<PacingFigures> {
  const rate = { limit: options.limit, windowSeconds: options.windowSeconds };
  const sandbox = await startActuallyCareSandbox({ rate, latencyMs: options.latencyMs });
  const run = await startBenchRun(sandbox, 'actuallycare', rate);
  try {
    const lines = [
      'Name,Email',
      ...Array.from({ length: options.rows }, (_, i) => `Lead ${i},lead${i}@example.com`),
    ];
    const job = run.writeJob({ 'leads.csv': `${lines.join('\n')}\n` });
    await runImport({ paths: [job], runtime: run.runtime, outDir: run.dir });
    const log = sandbox.requests().filter((r) => r.status !== 0);
    const served = log.filter((r) => !r.throttled && r.status !== 429);
    const at = served.map((r) => r.at);
    const actualSeconds = (Math.max(...at) - Math.min(...at)) / 1000 + options.windowSeconds / options.limit;
    // The definition: requests / the allowed rate (reads and writes together).
    const idealSeconds = served.length / (options.limit / options.windowSeconds);
    return {
      ...(await run.history.count()),
      requests: served.length,
      throttled: log.length - served.length,
      idealSeconds,
      actualSeconds,
      efficiency: idealSeconds / actualSeconds,
      maxInWindow: maxInAnyWindow(at, options.windowSeconds * 1000),
      limit: options.limit,
      lambdaSeconds: [...run.runtime.taskTimes.values()].reduce((s, t) => s + t.ms, 0) / 1000,
      dynamoRequests: run.runtime.deps.coordinator.requests,
      rows: options.rows,
    };
  } finally {
    await run.close();
  }
}
