import { createHandler } from '#functions/split/handler.ts';
import { localDeps } from '#runtime/local-deps.ts';

/**
 * The split of a scheduled re-run of `job`, in a fresh process with the split Lambda's Node options:
 * prints its time, the rows it chunked and the process's peak RSS as one JSON line.
 */
const [endpoint = '', bucket = '', job = ''] = process.argv.slice(2);
const deps = localDeps(
  { target: 'clarify', baseUrl: 'http://127.0.0.1:9', apiKey: 'bench', rate: { limit: 1, windowSeconds: 1 } },
  endpoint,
);
const split = createHandler(() => deps);
const started = performance.now();
const state = await split({
  jobId: `${job}-retry-1`,
  bucket,
  source: { key: `imports/${job}.csv` },
  retryOf: job,
});
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, rows: state.progress.total, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
