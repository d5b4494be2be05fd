import type { Entity, MergedRow, SourceRow } from './entities.ts';
import { jobOutcome, NOT_ATTEMPTED } from './job-outcome.ts';
import { type Counters, emptyCounters, settledCount } from './job-state.ts';
import type { Outcome } from './outcomes.ts';
import { type CleaningReport, cleaningLines, cleaningReport } from './report-cleaning.ts';

export type JobStatus = 'succeeded' | 'completed_with_failures' | 'failed';

export interface FileReport extends Counters {
  file: string;
  entity?: string;
  blank: number;
  error?: string;
}

export interface Summary extends CleaningReport {
  jobId: string;
  status: JobStatus;
  source: string;
  finishedAt: string;
  totals: Counters;
  stages: Record<string, Counters>;
  files: FileReport[];
  links: { created: number; failed: number };
  requests: { sent: number; throttled: number };
  /** rows = created + updated + skipped + merged + failed + held, for the totals and every stage. */
  accounted: boolean;
  /** Of the held rows, those the job never reached because it stopped (`error` says why). */
  notAttempted?: number;
  /** Failed and held rows by what happens next: permanent ones wait for the user; the others are re-run. */
  failures?: { permanent: number; retryable: number; held: number };
  /** The schedule's re-runs of this job's retryable and held rows. */
  retry?: { attempts: number; max: number; nextAt?: string; exhausted: boolean; runs: string[] };
  merged: { file: string; line: number; into: string }[];
  error?: { code: string; message: string };
  /** A dry run: the counts say what the import would do; nothing was written to the target. */
  dryRun?: boolean;
  /** Set when the job imported only its first N rows (a dry run to check in the app). */
  limit?: number;
  /** The tag stamped on every created record, for targets with one. */
  marker?: string;
  /** What was checked of the target before anything was written, and what was learned of it. */
  preflight?: Preflight;
}

/** The read-only checks before the first write, for the report: one line each, and what they taught. */
export interface Preflight {
  checks: { check: string; ok: boolean; message: string }[];
  /** What the target declared of itself (Clarify: name shape, lifecycle field, stages, phones). */
  workspace?: string;
  /** What could not be confirmed and was assumed instead. */
  warnings: string[];
}

/** A failure as failures.csv / failures.json carry it: the original columns plus what went wrong. */
export interface FailureRow {
  entity?: string;
  file: string;
  line: number;
  code: string;
  message: string;
  retryable: boolean;
  raw: Record<string, string>;
  /** The mapped row, kept for retryable and held rows so a scheduled re-run can send it again. */
  source?: SourceRow;
}

export interface SummaryInput extends CleaningReport {
  jobId: string;
  source: string;
  files: { file: string; entity?: string; rows: number; blank: number; error?: string }[];
  /** Data rows per entity ('unknown' for rows whose entity could not be told): a mixed file feeds several. */
  rows: Record<string, number>;
  splitFailures: FailureRow[];
  merges: MergedRow[];
  outcomes: Outcome[];
  requests: { sent: number; throttled: number };
  error?: { code: string; message: string };
  now: Date;
  limit?: number;
  marker?: string;
  dryRun?: boolean;
  preflight?: Preflight;
}

export { settledCount };

/** Count every row once: split's failures and merges, then each stage's outcomes. */
export function buildSummary(input: SummaryInput): Summary {
  const stages: Record<string, Counters> = {};
  const byFile = new Map<string, FileReport>(
    input.files.map((f) => [
      f.file,
      { ...emptyCounters(), file: f.file, entity: f.entity, rows: f.rows, blank: f.blank, error: f.error },
    ]),
  );
  const stage = (entity: string | undefined) => (stages[entity ?? 'unknown'] ??= emptyCounters());
  const file = (name: string) => byFile.get(name);
  for (const [entity, rows] of Object.entries(input.rows)) stage(entity).rows += rows;
  const add = (entity: string | undefined, fileName: string, status: keyof Omit<Counters, 'rows'>) => {
    stage(entity)[status] += 1;
    const f = file(fileName);
    if (f) f[status] += 1;
  };
  for (const f of input.splitFailures) add(f.entity, f.file, 'failed');
  for (const m of input.merges) add(m.entity, m.file, 'merged');
  for (const o of input.outcomes) add(o.entity, o.file, o.status);

  const totals = emptyCounters();
  for (const c of Object.values(stages))
    for (const k of Object.keys(totals) as (keyof Counters)[]) totals[k] += c[k];
  const accounted = [totals, ...Object.values(stages)].every((c) => c.rows === settledCount(c));
  const link = stages.link ?? emptyCounters();
  const status: JobStatus = input.error
    ? 'failed'
    : totals.failed + totals.held > 0 || !accounted
      ? 'completed_with_failures'
      : 'succeeded';
  return {
    jobId: input.jobId,
    status,
    source: input.source,
    finishedAt: input.now.toISOString(),
    totals,
    stages,
    files: [...byFile.values()],
    links: { created: link.created, failed: link.failed + link.held },
    requests: input.requests,
    accounted,
    ...notAttemptedOf(input.outcomes),
    failures: failureClasses(input.splitFailures.length, input.outcomes),
    merged: input.merges.map((m) => ({
      file: m.file,
      line: m.line,
      into: `${m.intoFile} line ${m.intoLine}`,
    })),
    ...(input.error ? { error: input.error } : {}),
    ...(input.dryRun ? { dryRun: true } : {}),
    ...(input.limit ? { limit: input.limit } : {}),
    ...(input.marker ? { marker: input.marker } : {}),
    ...(input.preflight ? { preflight: input.preflight } : {}),
    ...cleaningReport(input),
  };
}

function notAttemptedOf(outcomes: Outcome[]): { notAttempted?: number } {
  let n = 0;
  for (const o of outcomes) if (o.status === 'held' && o.message?.startsWith(NOT_ATTEMPTED)) n += 1;
  return n ? { notAttempted: n } : {};
}

function failureClasses(splitFailed: number, outcomes: Outcome[]): NonNullable<Summary['failures']> {
  const classes = { permanent: splitFailed, retryable: 0, held: 0 };
  for (const o of outcomes) {
    // A row held behind one that failed for its data waits for the user, as that row does.
    if (o.status === 'held') classes[o.retryable === false ? 'permanent' : 'held'] += 1;
    else if (o.status === 'failed') classes[o.retryable ? 'retryable' : 'permanent'] += 1;
  }
  return classes;
}

export function failuresOf(input: SummaryInput): FailureRow[] {
  const fromOutcomes = input.outcomes
    .filter((o) => o.status === 'failed' || o.status === 'held')
    .map((o) => ({
      entity: o.entity,
      file: o.file,
      line: o.line,
      code: o.code ?? (o.status === 'held' ? 'DEPENDENCY_FAILED' : 'REJECTED'),
      message: o.message ?? '',
      retryable: o.retryable ?? o.status === 'held',
      raw: o.raw ?? {},
      ...(o.source ? { source: o.source } : {}),
    }));
  return [...input.splitFailures, ...fromOutcomes].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
}

const ORDER: Entity[] = ['company', 'person', 'deal', 'link'];

/** The short summary a person reads first (summary.txt): its first line is the job's outcome. */
export function summaryText(s: Summary): string {
  const w = countWords(s.dryRun === true);
  const t = s.totals;
  const held = s.notAttempted
    ? `${s.notAttempted} not attempted: the job stopped before them`
    : 'waiting on a failed record';
  const lines = [
    jobOutcome(s).line,
    `Import ${s.jobId}${s.dryRun ? ' (a dry run: nothing was written to the target)' : ''}`,
    `Source: ${s.source}`,
    `Rows: ${t.rows} = ${w.created} ${t.created} + ${w.updated} ${t.updated} + skipped ${t.skipped} (already there) + merged ${t.merged} (duplicates in the file) + ${w.failed} ${t.failed} + held ${t.held} (${held})${s.accounted ? '' : '  <-- DOES NOT ADD UP'}`,
  ];
  const names = [
    ...ORDER.filter((e) => s.stages[e]),
    ...Object.keys(s.stages).filter((e) => !ORDER.includes(e as Entity)),
  ];
  for (const name of names) {
    const c = s.stages[name] as Counters;
    lines.push(
      `  ${name.padEnd(8)} rows ${c.rows}, ${w.created} ${c.created}, ${w.updated} ${c.updated}, skipped ${c.skipped}, merged ${c.merged}, ${w.failed} ${c.failed}, held ${c.held}`,
    );
  }
  for (const f of s.files) if (f.error) lines.push(`File ${f.file}: ${f.error}`);
  lines.push(...cleaningLines(s));
  if (s.limit)
    lines.push(`Limited to the first ${s.limit} rows: check them in the app, then run the whole file.`);
  if (s.marker) lines.push(`Every created record is tagged ${s.marker}.`);
  if (s.preflight) {
    const checks = s.preflight.checks.map((c) => `${c.ok ? '✔' : '✖'} ${c.check}`).join(', ');
    lines.push(`Checked before writing: ${checks}`);
    if (s.preflight.workspace) lines.push(`Target declares: ${s.preflight.workspace}`);
    for (const warning of s.preflight.warnings) lines.push(`Assumed: ${warning}`);
  }
  lines.push(`Requests: ${s.requests.sent} sent, ${s.requests.throttled} throttled (429)`);
  if (s.error) lines.push(`Stopped: ${s.error.code}: ${s.error.message}`);
  if (!s.dryRun && s.failures?.permanent)
    lines.push(
      'Rows that failed for their data are in failures.csv with the reason: fix them there and drop the file back in.',
    );
  return `${lines.join('\n')}\n`;
}

/** What the counts mean: in a dry run nothing was created, only planned. */
export const countWords = (dryRun: boolean) =>
  dryRun
    ? { created: 'would create', updated: 'would update', failed: 'would fail' }
    : { created: 'created', updated: 'updated', failed: 'failed' };
