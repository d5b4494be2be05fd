import type { SplitPlan } from '#domain/plan.ts';
import { localDeps } from '#runtime/local-deps.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { report } from '../functions/report/report.ts';

/**
 * The report of a job whose file failed wholesale: `rows` rows of a file whose entity cannot be told, as
 * split leaves them (failure parts of 5,000). Writes them, then runs the report handler in this fresh
 * process and prints its time and the process's peak RSS as one JSON line.
 */
const [endpoint = '', bucket = '', rowsArg = '1000000'] = process.argv.slice(2);
const rows = Number(rowsArg);
const store = new ObjectStore(createS3Client({ endpoint }), bucket);
const jobId = `bench-report-${rows}`;
const keys = jobKeys(jobId);
const PER_PART = 5_000;
let parts = 0;
for (let from = 0; from < rows; from += PER_PART, parts++) {
  const failures = Array.from({ length: Math.min(PER_PART, rows - from) }, (_, i) => ({
    file: 'export.csv',
    line: from + i + 2,
    code: 'UNKNOWN_ENTITY',
    message: 'cannot tell what export.csv holds: name it after its entity',
    raw: {
      'Person ID': `p${from + i}`,
      'First Name': 'Ava',
      'Last Name': 'Okafor',
      Email: `person${from + i}@company${i % 5000}.example.com`,
      Phone: '+1 415 555 0100',
      Company: `Company ${i % 5000}`,
      Status: 'Lead',
      Street: `${100 + (i % 900)} Market Street, Suite ${i % 500}`,
      City: 'San Francisco',
      Notes: 'Met at the spring trade fair; wants a demo of the reporting module',
    },
  }));
  await store.putNdjson(keys.splitFailures(parts), failures);
}
await store.putJson(keys.plan, {
  jobId,
  files: [
    {
      file: 'export.csv',
      rows,
      failed: rows,
      merged: 0,
      blank: 0,
      error: 'cannot tell what export.csv holds',
    },
  ],
  chunks: {},
  failureParts: parts,
  rows: { unknown: rows },
  marker: '',
} satisfies SplitPlan);
const deps = localDeps(
  {
    target: 'clarify',
    baseUrl: 'http://127.0.0.1:9',
    apiKey: 'bench',
    rate: { limit: 1, windowSeconds: 1 },
  },
  endpoint,
);
const rssBefore = process.resourceUsage().maxRSS / 1024;
const started = performance.now();
const out = await report(
  {
    jobId,
    bucket,
    source: { key: 'imports/export.csv' },
    stage: 'split',
    done: true,
    counts: {},
    requests: { sent: 0, throttled: 0 },
    history: { events: 0, limit: 24_000, execution: 1 },
  } as unknown as Parameters<typeof report>[0],
  deps,
);
const ms = performance.now() - started;
const summary = await store.findJson<{ totals: { failed: number } }>(out.report.summary);
process.stdout.write(
  `${JSON.stringify({ rows, failed: summary?.totals.failed, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, rssBefore })}\n`,
);
