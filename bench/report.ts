import { once } from 'node:events';
import type { SourceRow } from '#domain/entities.ts';
import { SPLIT_NODE_OPTIONS } from '#stacks/import-function.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { firstLine, spawnWorker, withLocalS3 } from './split.ts';

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
  return withLocalS3('report', async (endpoint) => {
    const worker = spawnWorker('report-worker.ts', [endpoint, 'bench', String(rows)]);
    const out = JSON.parse(await firstLine(worker)) as { failed: number; ms: number; maxRssMB: number };
    await once(worker, 'exit');
    return { rows, failed: out.failed, seconds: out.ms / 1000, maxRssMB: out.maxRssMB };
  });
}

export interface RerunFigures {
  rows: number;
  /** The rows the re-run chunked. */
  chunked: number;
  megabytes: number;
  seconds: number;
  maxRssMB: number;
}

/**
 * The split of a scheduled re-run of a job whose API was down for `rows` rows, every one of them left to
 * re-run: its input is written here, the split runs in a process of its own with the split Lambda's Node
 * options, for its peak RSS.
 */
export async function measureRerun(rows = 1_000_000): Promise<RerunFigures> {
  return withLocalS3('rerun', async (endpoint) => {
    const store = new ObjectStore(createS3Client({ endpoint }), 'bench');
    let bytes = 0;
    const lines = function* () {
      for (let n = 0; n < rows; n++) {
        const line = `${JSON.stringify(rerunRow(n))}\n`;
        bytes += Buffer.byteLength(line);
        yield line;
      }
    };
    await store.putLines(jobKeys('bench-down').retryRows, lines(), 'application/x-ndjson');
    const worker = spawnWorker('rerun-worker.ts', [endpoint, 'bench', 'bench-down'], SPLIT_NODE_OPTIONS);
    const out = JSON.parse(await firstLine(worker)) as { ms: number; rows: number; maxRssMB: number };
    await once(worker, 'exit');
    return {
      rows,
      chunked: out.rows,
      megabytes: bytes / 1e6,
      seconds: out.ms / 1000,
      maxRssMB: out.maxRssMB,
    };
  });
}

/** A person as split maps it, with the columns it came from: what a failed create leaves to re-run. */
const rerunRow = (n: number): SourceRow => ({
  entity: 'person',
  file: 'people.csv',
  line: n + 2,
  ref: `p${n}`,
  key: `email:person${n}@company${n % 5000}.example.com`,
  fields: {
    first_name: 'Ava',
    last_name: 'Okafor',
    email: `person${n}@company${n % 5000}.example.com`,
    phone: '+14155550100',
    status: 'Lead',
  },
  refs: { company: `Company ${n % 5000}` },
  raw: {
    'Person ID': `p${n}`,
    'First Name': 'Ava',
    'Last Name': 'Okafor',
    Email: `person${n}@company${n % 5000}.example.com`,
    Phone: '+1 415 555 0100',
    Company: `Company ${n % 5000}`,
    Status: 'Lead',
    Street: `${100 + (n % 900)} Market Street, Suite ${n % 500}`,
    City: 'San Francisco',
    Notes: 'Met at the spring trade fair; wants a demo of the reporting module',
  },
});
