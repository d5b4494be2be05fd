import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLine, spawnWorker } from './split.ts';

export interface ReportFigures {
  rows: number;
  failed: number;
  seconds: number;
  maxRssMB: number;
}

/**
 * The report of a file that failed wholesale (every row a failure with its columns), in a process of its
 * own against a local S3 server in another, for the report's peak RSS.
 */
export async function measureReport(rows = 1_000_000): Promise<ReportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-bench-report-'));
  const server = spawnWorker('s3-worker.ts', [join(dir, 's3'), 'bench']);
  try {
    const { endpoint } = JSON.parse(await firstLine(server)) as { endpoint: string };
    const worker = spawnWorker('report-worker.ts', [endpoint, 'bench', String(rows)]);
    const out = JSON.parse(await firstLine(worker)) as { failed: number; ms: number; maxRssMB: number };
    await once(worker, 'exit');
    return { rows, failed: out.failed, seconds: out.ms / 1000, maxRssMB: out.maxRssMB };
  } finally {
    server.stdin?.end();
    await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}
