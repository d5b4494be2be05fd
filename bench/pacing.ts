import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDeps } from '#local/local-deps.ts';
import { runImport } from '#local/run-import.ts';
import { LocalRuntime } from '#local/runtime.ts';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { recordHistory } from './history.ts';

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
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-bench-'));
  const sandbox = await startActuallyCareSandbox({ rate, latencyMs: options.latencyMs });
  const runtime = await LocalRuntime.start({
    directory: join(dir, 's3'),
    deps: (endpoint) =>
      localDeps({ target: 'actuallycare', baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, rate }, endpoint),
  });
  const history = recordHistory(runtime);
  try {
    const file = join(dir, 'leads.csv');
    const lines = [
      'Name,Email',
      ...Array.from({ length: options.rows }, (_, i) => `Lead ${i},lead${i}@example.com`),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    await runImport({ paths: [file], runtime, outDir: dir });
    const log = sandbox.requests().filter((r) => r.status !== 0);
    const served = log.filter((r) => !r.throttled && r.status !== 429);
    const at = served.map((r) => r.at);
    const actualSeconds = (Math.max(...at) - Math.min(...at)) / 1000 + options.windowSeconds / options.limit;
    // The definition: requests / the allowed rate (reads and writes together).
    const idealSeconds = served.length / (options.limit / options.windowSeconds);
    return {
      ...(await history.count()),
      requests: served.length,
      throttled: log.length - served.length,
      idealSeconds,
      actualSeconds,
      efficiency: idealSeconds / actualSeconds,
      maxInWindow: maxInAnyWindow(at, options.windowSeconds * 1000),
      limit: options.limit,
    };
  } finally {
    await runtime.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
