import { SPLIT_MEMORY_MB } from '#stacks/import-function.ts';
import { PROFILES } from '#targets/profiles.ts';
import { measureClarify } from './clarify.ts';
import { measureExistingReads } from './existing-reads.ts';
import { measureHistory } from './history.ts';
import { measureOneJob, measureOverlap } from './overlap.ts';
import { measurePacing } from './pacing.ts';
import { measureReferences } from './references.ts';
import { measureReport, measureRerun } from './report.ts';
import { measureSplit } from './split.ts';
import { measureStartup } from './startup.ts';
import { type Figure, printTable } from './table.ts';
import { measureThroughput } from './throughput.ts';

/**
 * `npm run bench`: generates its own data, runs it through the local runtime and the sandboxes, and
 * prints each figure against its target. Benchmarks are not tests: they measure, they do not assert.
 */
const PACING = { rows: 600, limit: 600, windowSeconds: 60, latencyMs: 20 };
const CLARIFY = { companies: 200, latencyMs: 150, limit: 600, windowSeconds: 60 };
/** Clarify at its documented limit (3,000 a minute per endpoint) with its measured latency, 7,000 records. */
const THROUGHPUT = {
  size: { companies: 1000, people: 5000, deals: 1000, links: 2000 },
  rate: { limit: 3000, windowSeconds: 60 },
  latencyMs: 150,
};
/**
 * The dedupe stage reading a Clarify workspace that already holds people, pages of 500. Larger workspaces
 * measure the sandbox instead: it filters its whole store for every page (about 30 ms a page at 10,000).
 */
const EXISTING = { existing: 100_000, rate: { limit: 3000, windowSeconds: 60 }, latencyMs: 150 };
/** Overlapping drops on one ActuallyCare account, at a scaled-down rate that binds. */
const OVERLAP = { distinct: 400, overlap: 60, rate: { limit: 600, windowSeconds: 60 }, latencyMs: 20 };

const figures: Figure[] = [];

const startup = await measureStartup();
const ms = (n: number) => `${n.toFixed(0)} ms`;
const fixed = (run: { wallMs: number; importMs: number }) => run.wallMs - run.importMs;
figures.push(
  {
    section: `Start-up: the CLI as npm ci builds it (dist/cli) and from its TypeScript sources (tsx), median of 5`,
    name: '--help, built',
    value: ms(startup.help.built),
    target: '< 500 ms',
    pass: startup.help.built < 500,
  },
  {
    name: '--help, from the sources / through npx (npm adds its own start)',
    value: `${ms(startup.help.sources)} / ${ms(startup.help.npx)}`,
  },
  {
    name: 'a one-row run, built: wall time, of which fixed overhead',
    value: `${ms(startup.oneRow.built.wallMs)}, ${ms(fixed(startup.oneRow.built))}`,
    target: '< 3,000 ms overhead',
    pass: fixed(startup.oneRow.built) < 3000,
  },
  {
    name: '  the same from the sources',
    value: `${ms(startup.oneRow.sources.wallMs)}, ${ms(fixed(startup.oneRow.sources))}`,
  },
  { name: '  building the CLI (npm ci runs it once)', value: `${startup.buildSeconds.toFixed(1)} s` },
);

const pacing = await measurePacing(PACING);
figures.push(
  {
    section: `Pacing: ActuallyCare sandbox, ${PACING.limit} requests per ${PACING.windowSeconds} s, ${PACING.latencyMs} ms round trip`,
    name: 'pacing efficiency (ideal / actual time)',
    value: pacing.efficiency.toFixed(3),
    target: '>= 0.97',
    pass: pacing.efficiency >= 0.97,
  },
  {
    name: 'requests (reads and writes)',
    value: String(pacing.requests),
    target: '>= 300',
    pass: pacing.requests >= 300,
  },
  { name: '429 answers', value: String(pacing.throttled), target: '0', pass: pacing.throttled === 0 },
  {
    name: `most requests in any ${PACING.windowSeconds} s window (sandbox log)`,
    value: String(pacing.maxInWindow),
    target: `<= ${pacing.limit}`,
    pass: pacing.maxInWindow <= pacing.limit,
  },
  {
    name: 'actual / ideal seconds',
    value: `${pacing.actualSeconds.toFixed(1)} / ${pacing.idealSeconds.toFixed(1)}`,
  },
  {
    name: 'per 1,000 rows: state transitions / Lambda s / DynamoDB requests',
    value: [pacing.transitions, pacing.lambdaSeconds, pacing.dynamoRequests]
      .map((n) => ((n * 1000) / pacing.rows).toFixed(0))
      .join(' / '),
  },
);

const throughput = await measureThroughput(THROUGHPUT);
const perThousand = (n: number) => ((n * 1000) / throughput.records).toFixed(n < 10 ? 2 : 0);
figures.push(
  ...throughput.classes.flatMap((c, i): Figure[] => {
    const inStage = c.idealSeconds / c.inStageSeconds;
    const whole = c.idealSeconds / c.spanSeconds;
    // Reads are a handful (the checks and the snapshot), a second's worth of latency: no rate to reach.
    const paced = c.idealSeconds >= 1;
    return [
      {
        ...(i === 0
          ? {
              section: `Throughput: Clarify sandbox at its documented ${THROUGHPUT.rate.limit} per ${THROUGHPUT.rate.windowSeconds} s per endpoint, ${THROUGHPUT.latencyMs} ms round trip, ${throughput.records.toLocaleString('en-US')} records (1 company : 5 people : 1 deal, 2 people per deal)`,
            }
          : {}),
        // The figure: ideal time at the limit over the time the endpoint's requests spanned, the
        // stages between (where none of its requests can go yet) included.
        name: `${c.endpointClass}: efficiency across the whole job (ideal / actual span)`,
        value: `${whole.toFixed(2)} (${c.requests} requests, ${c.spanSeconds.toFixed(1)} s)`,
        ...(paced ? { target: '>= 0.9', pass: whole >= 0.9 } : {}),
      },
      {
        name: '  within its stages (the stages between left out)',
        value: `${inStage.toFixed(2)} (${c.inStageSeconds.toFixed(1)} s)`,
      },
      {
        name: `  most in any ${THROUGHPUT.rate.windowSeconds} s window`,
        value: String(c.maxInWindow),
        target: `<= ${THROUGHPUT.rate.limit}`,
        pass: c.maxInWindow <= THROUGHPUT.rate.limit,
      },
    ];
  }),
  { name: '429 answers', value: String(throughput.throttled), target: '0', pass: throughput.throttled === 0 },
  { name: 'whole import, drop to report', value: `${throughput.elapsedSeconds.toFixed(1)} s` },
  { name: 'drop to the first API request', value: `${throughput.dropToFirstRequestMs.toFixed(0)} ms` },
  {
    name: 'overhead per paced Task (no request in flight)',
    value: `${throughput.overheadMsPerTask.toFixed(0)} ms over ${throughput.pacedTasks} Tasks`,
  },
  {
    name: 'per 1,000 records: state transitions / Lambda s / DynamoDB requests',
    value: [throughput.transitions, throughput.lambdaSeconds, throughput.dynamoRequests]
      .map(perThousand)
      .join(' / '),
  },
);

const reads = await measureExistingReads(EXISTING);
figures.push(
  {
    section: `Reads: Clarify sandbox holding ${EXISTING.existing.toLocaleString('en-US')} people, read by the dedupe stage at ${EXISTING.rate.limit} reads per ${EXISTING.rate.windowSeconds} s, ${EXISTING.latencyMs} ms round trip`,
    name: `existing ${reads.existing.toLocaleString('en-US')} records in ${reads.pages} pages: first read to last answer`,
    value: `${reads.seconds.toFixed(2)} s`,
  },
  {
    name: `  the same pages one round trip after another (${reads.pages} x ${EXISTING.latencyMs} ms)`,
    value: `${reads.oneByOneSeconds.toFixed(2)} s`,
  },
  {
    name: '  efficiency (the pages at the read rate / actual)',
    value: `${reads.efficiency.toFixed(2)} (most ${reads.mostInFlight} in flight)`,
  },
  {
    name: `  most reads of people in any ${EXISTING.rate.windowSeconds} s window`,
    value: String(reads.maxInWindow),
    target: `<= ${EXISTING.rate.limit}`,
    pass: reads.maxInWindow <= EXISTING.rate.limit,
  },
);

const oneJobSeconds = await measureOneJob(OVERLAP.distinct, OVERLAP.rate, OVERLAP.latencyMs);
for (const jobs of [2, 4]) {
  const overlap = await measureOverlap({ jobs, ...OVERLAP, oneJobSeconds });
  const ratio = overlap.seconds / overlap.oneJobSeconds;
  figures.push(
    {
      section:
        jobs === 2
          ? `Overlapping drops: ActuallyCare sandbox at ${OVERLAP.rate.limit} per ${OVERLAP.rate.windowSeconds} s, ${OVERLAP.latencyMs} ms round trip, ${OVERLAP.distinct} distinct leads in files that overlap by ${OVERLAP.overlap}, dropped at the same moment`
          : undefined,
      name: `${jobs} jobs (${overlap.rows} rows): duplicates / missing`,
      value: `${overlap.duplicates} / ${overlap.missing}`,
      target: '0 / 0',
      pass: overlap.duplicates === 0 && overlap.missing === 0,
    },
    {
      name: `  time / one job of the same ${overlap.distinct} leads`,
      value: `${ratio.toFixed(3)} (${overlap.seconds.toFixed(1)} s / ${overlap.oneJobSeconds.toFixed(1)} s, ${overlap.waited} looks at a busy workspace)`,
      target: '<= 1.10',
      pass: ratio <= 1.1,
    },
  );
}

const clarify = await measureClarify(CLARIFY);
const per1000 = (n: number) => (n * 1000) / clarify.records;
const { requests } = clarify;
const lambdaRatio = clarify.lambdaSeconds / clarify.apiSeconds;
figures.push(
  {
    section: `Cost: Clarify sandbox, ${clarify.records} records (1 company : 3 people : 1 deal, 2 people per deal), ${CLARIFY.latencyMs} ms round trip`,
    name: 'requests per 1,000 records',
    value: per1000(requests.total).toFixed(0),
    target: '40 creates + reads + links',
    pass: per1000(requests.creates) <= 40,
  },
  {
    name: '  creates / reads / links',
    value: [requests.creates, requests.reads, requests.links].map((n) => per1000(n).toFixed(0)).join(' / '),
  },
  {
    name: 'Lambda seconds per 1,000 records',
    value: per1000(clarify.lambdaSeconds).toFixed(1),
  },
  {
    name: 'Lambda time / API response time',
    value: lambdaRatio.toFixed(3),
    target: '<= 1.2',
    pass: lambdaRatio <= 1.2,
  },
  { name: 'state transitions per 1,000 records', value: per1000(clarify.transitions).toFixed(0) },
  { name: 'Task invocations per 1,000 records', value: per1000(clarify.taskInvocations).toFixed(0) },
  { name: 'DynamoDB requests per 1,000 records', value: per1000(clarify.dynamoRequests).toFixed(0) },
);

const history = await measureHistory();
const [small, large] = history.runs;
// ActuallyCare: one request per row, so its pacing run says what a row costs in events.
const actuallyCarePerRow = pacing.events / pacing.requests;
figures.push(
  {
    section: `History: Clarify sandbox at its default ${PROFILES.clarify.defaultRate}, ${small?.records} and ${large?.records} rows (companies, people, deals, links); continue-as-new at ${history.threshold} events`,
    name: 'events per 1,000 rows (Clarify)',
    value: history.eventsPer1000Records.toFixed(0),
  },
  { name: 'state transitions per 1,000 rows (Clarify)', value: history.transitionsPer1000Records.toFixed(0) },
  { name: 'fixed events per import', value: String(history.fixedEvents) },
  {
    name: 'largest import one execution holds (Clarify rows)',
    value: history.largestImportPerExecution.toLocaleString('en-US'),
  },
  {
    name: `events per 1,000 rows (ActuallyCare, at ${PACING.limit}/${PACING.windowSeconds})`,
    value: (actuallyCarePerRow * 1000).toFixed(0),
  },
  {
    name: 'largest import one execution holds (ActuallyCare rows)',
    value: Math.floor((history.threshold - history.fixedEvents) / actuallyCarePerRow).toLocaleString('en-US'),
  },
  {
    name: 'executions in the history runs (1 = no continue-as-new needed)',
    value: history.runs.map((r) => r.executions).join(' / '),
  },
);

const references = await measureReferences();
const fromLedger = references.fromLedger;
figures.push(
  {
    section: `Scale: every Task of a later stage reads the finished one: ${references.records.toLocaleString('en-US')} companies created 25 per request (${references.ledgers.toLocaleString('en-US')} ledger objects), local S3`,
    name: 'S3 requests per later Task, compacted references',
    value: String(references.compacted.requests),
    target: `< ${references.ledgers / 100} (1% of the ledger)`,
    pass: references.compacted.requests < references.ledgers / 100,
  },
  {
    name: '  ms per later Task, compacted / read from the ledger',
    value: `${references.compacted.ms.toFixed(0)} / ${fromLedger.ms.toFixed(0)} (${fromLedger.requests} requests)`,
  },
  {
    name: '  compacting the stage once, at its end: ms, requests, parts',
    value: `${references.compaction.ms.toFixed(0)}, ${references.compaction.requests}, ${references.compaction.parts}`,
  },
);

const failed = await measureReport();
figures.push(
  {
    section: `Report: a ${failed.rows.toLocaleString('en-US')}-row file that failed wholesale (every row a failure with its 10 columns), report handler in its own process`,
    name: 'peak RSS of the report (its Lambda has 2,048 MB)',
    value: `${failed.maxRssMB.toFixed(0)} MB`,
    target: '< 2,048 MB',
    pass: failed.maxRssMB < 2048 && failed.failed === failed.rows,
  },
  { name: '  seconds to write summary, failures.csv and failures.json', value: failed.seconds.toFixed(1) },
);

const rerun = await measureRerun();
figures.push(
  {
    section: `Re-run: the schedule's re-run of a job whose API was down for ${rerun.rows.toLocaleString('en-US')} rows (${rerun.megabytes.toFixed(0)} MB of mapped rows), its split in its own process`,
    name: `peak RSS of the split (its Lambda has ${SPLIT_MEMORY_MB.toLocaleString('en-US')} MB)`,
    value: `${rerun.maxRssMB.toFixed(0)} MB`,
    target: `< ${SPLIT_MEMORY_MB.toLocaleString('en-US')} MB`,
    pass: rerun.maxRssMB < SPLIT_MEMORY_MB && rerun.chunked === rerun.rows,
  },
  { name: '  seconds to chunk every row to re-run', value: rerun.seconds.toFixed(1) },
);

const split = await measureSplit();
const mb = (n: number) => `${n.toFixed(0)} MB`;
const micros = (seconds: number) => `${(seconds * 1e6).toFixed(1)} µs`;
const largeSeconds = split.large.seconds;
// A million people: 40,000 bulk creates of 25 at 3,000 a minute; or a million requests at 500 per 15 minutes.
const CLARIFY_PEOPLE_SECONDS = (1_000_000 / 25) * (60 / 3000);
const ACTUALLYCARE_ROWS_SECONDS = 1_000_000 * (900 / 500);
figures.push(
  {
    section: `Split: people CSV of ~200 bytes a row (phone on every row, 1% duplicates), real split handler against a local S3 server in its own process`,
    name: `split of 1M people / the job at Clarify's documented limit (${CLARIFY_PEOPLE_SECONDS} s of bulk creates)`,
    value: `${(split.large.seconds / CLARIFY_PEOPLE_SECONDS).toFixed(3)} (${split.large.seconds.toFixed(1)} s)`,
    target: '<= 0.02',
    pass: split.large.seconds / CLARIFY_PEOPLE_SECONDS <= 0.02,
  },
  {
    name: `  the same at ActuallyCare's documented limit (${ACTUALLYCARE_ROWS_SECONDS.toLocaleString('en-US')} s)`,
    value: (split.large.seconds / ACTUALLYCARE_ROWS_SECONDS).toFixed(6),
    target: '<= 0.02',
    pass: split.large.seconds / ACTUALLYCARE_ROWS_SECONDS <= 0.02,
  },
  {
    name: '  split / raw csv-parse rows per second',
    value: `${Math.round(split.large.rowsPerSecond).toLocaleString('en-US')} / ${Math.round(split.raw.rowsPerSecond).toLocaleString('en-US')}`,
  },
  {
    // The ceiling: what csv-parse and the phone rule (libphonenumber) alone leave.
    name: '  ceiling: csv-parse + phone rule alone / raw csv-parse',
    value: `${split.phones.ratio.toFixed(2)} (phone rule ${micros(1 / split.phones.rowsPerSecond - 1 / split.raw.rowsPerSecond)} a row)`,
  },
  {
    name: 'peak RSS, 1M rows / 100k rows',
    value: split.rssRatio.toFixed(3),
    target: '<= 1.10',
    pass: split.rssRatio <= 1.1,
  },
  {
    name: '  peak RSS, 100k / 1M rows',
    value: `${mb(split.small.maxRssMB)} / ${mb(split.large.maxRssMB)}`,
    target: '< 300 MB',
    pass: Math.max(split.small.maxRssMB, split.large.maxRssMB) < 300,
  },
  {
    name: `1M rows (${split.raw.megabytes.toFixed(0)} MB): seconds, in Tasks of at most ${split.maxTaskMs / 1000} s`,
    value: `${largeSeconds.toFixed(1)} s, ${split.large.tasks} Task(s)`,
    target: `< 900 s, < ${SPLIT_MEMORY_MB.toLocaleString('en-US')} MB`,
    pass: largeSeconds < 900 && split.large.maxRssMB < SPLIT_MEMORY_MB,
  },
  {
    name: `  forced into ${split.resumed.maxTaskMs / 1000} s Tasks: seconds, Tasks, peak RSS`,
    value: `${split.resumed.seconds.toFixed(1)} s, ${split.resumed.tasks}, ${mb(split.resumed.maxRssMB)}`,
  },
);

printTable(figures);
