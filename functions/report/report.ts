import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import { ENTITIES, type MergedRow } from '#domain/entities.ts';
import { type CaughtError, type ErrorCode, fromCatch, isRetryableCode } from '#domain/errors.ts';
import { failuresCsvLines, jsonArrayLines, retryRowLines } from '#domain/failures-csv.ts';
import { jobOutcome, NOT_ATTEMPTED, OUTCOME_IN_BRIEF } from '#domain/job-outcome.ts';
import type { JobState } from '#domain/job-state.ts';
import { type Outcome, withSource } from '#domain/outcomes.ts';
import { planCsv } from '#domain/plan-csv.ts';
import { ownKeys } from '#domain/references.ts';
import type { Preflight } from '#domain/report.ts';
import {
  buildSummary,
  type FailureRow,
  failuresOf,
  type Summary,
  type SummaryInput,
  summaryText,
} from '#domain/report.ts';
import { type CleaningReport, cleaningReport } from '#domain/report-cleaning.ts';
import { JobStore } from '#storage/job-store.ts';
import { profileOf } from '#targets/profiles.ts';
import { describeWorkspace } from '#targets/workspace.ts';
import { scheduleRetry } from './schedule-retry.ts';

export interface ReportResult extends JobState {
  report: {
    summary: string;
    summaryText: string;
    failures: string;
    failuresJson: string;
    status: Summary['status'];
  };
}

/**
 * Write reports/<job>/: summary.json and summary.txt, whose counts account for every row in, and the
 * failures (failures.csv for people, failures.json for machines). Runs at the end, and from every Catch,
 * so a job that stopped still says what happened up to then. A scheduled re-run also rewrites the
 * original job's report, its rows now carrying their latest outcome, and asks for the next re-run while
 * retryable or held rows remain.
 */
export async function report(state: JobState, deps: PipelineDeps): Promise<ReportResult> {
  const job = new JobStore(storeFor(deps, state.bucket), state.jobId);
  const caught = state.error ? fromCatch(state.error) : undefined;
  const error = caught ? { code: caught.code, message: caught.message } : undefined;
  // Stopped: every row not reached is held as not attempted (and the schedule sends it again when the stop
  // was transient), so the report still accounts for every row.
  if (caught) await holdNotAttempted(job, caught);
  const own = await summaryInput(job, deps, {
    source: state.source.key,
    requests: state.requests,
    error,
  });
  // Only the original job's rows are re-run (a re-run's own report has no next re-run), never a dry run's.
  const summary = await writeReport(job, own, { rerunRows: !own.dryRun && !state.retryOf });
  const root = job.job(state.retryOf ?? state.jobId);
  if (own.dryRun) {
    // Nothing was written: nothing to re-run. The plan says what each row would do.
    await job.putPlanCsv(planCsv(own));
  } else if (state.retryOf) {
    const before = await root.findSummary();
    const lineage = await job.lineageJobs();
    const input = await summaryInput(root, deps, {
      source: before?.source ?? root.jobId,
      requests: add(before?.requests, state.requests),
      // A transient stop is history once a re-run went on: its rows are held in the ledger and the re-runs'
      // outcomes replace theirs, so the status follows the rows. A stop the schedule cannot fix stays.
      error: before?.error && !isRetryableCode(before.error.code as ErrorCode) ? before.error : undefined,
      overlay: lineage.slice(1),
    });
    const retry = await scheduleRetry(root, state.bucket, input, deps);
    await writeReport(root, input, { retry, rerunRows: true });
  } else {
    const retry =
      caught && !caught.retryable ? undefined : await scheduleRetry(root, state.bucket, own, deps);
    // The failures are written already: only the summary says when the re-run is due.
    if (retry) await writeSummary(root, own, retry);
  }
  const keys = job.keys.report;
  deps.logger?.info('report written', { jobId: state.jobId, status: summary.status, totals: summary.totals });
  return {
    ...state,
    stage: 'report',
    done: true,
    wait: { seconds: 0, reason: '' },
    progress: {
      stage: 'report',
      step: OUTCOME_IN_BRIEF[jobOutcome(summary).kind],
      done: summary.totals.rows,
      total: summary.totals.rows,
    },
    report: {
      status: summary.status,
      summary: keys.summaryJson,
      summaryText: keys.summaryText,
      failures: keys.failuresCsv,
      failuresJson: keys.failuresJson,
    },
  };
}

/**
 * The whole report. `rerunRows` also writes the rows the job's next re-run sends again: every time, empty
 * too, so that re-run never finds an earlier report's rows.
 */
async function writeReport(
  job: JobStore,
  input: SummaryInput,
  options: { retry?: Summary['retry']; rerunRows: boolean },
): Promise<Summary> {
  const summary = await writeSummary(job, input, options.retry);
  const failures = failuresOf(input);
  // A file that failed wholesale has as many failures as rows: both files are written as they are made.
  await job.putFailures(failuresCsvLines(failures, job.jobId), jsonArrayLines(failures));
  if (options.rerunRows) await job.putRetryRows(retryRowLines(failures));
  return summary;
}

async function writeSummary(job: JobStore, input: SummaryInput, retry?: Summary['retry']): Promise<Summary> {
  const summary: Summary = { ...buildSummary(input), ...(retry ? { retry } : {}) };
  await job.putSummary(summary, summaryText(summary));
  return summary;
}

interface InputOptions {
  source: string;
  requests: Summary['requests'];
  error?: Summary['error'];
  /** Later runs whose outcomes replace this job's for the same row. */
  overlay?: string[];
}

async function summaryInput(job: JobStore, deps: PipelineDeps, options: InputOptions): Promise<SummaryInput> {
  const plan = await job.findPlan();
  const splitFailures = (plan ? await job.splitFailures(plan) : []).map(
    (f): FailureRow => ({
      entity: f.entity,
      file: f.file,
      line: f.line,
      code: f.code,
      message: f.message,
      retryable: false,
      raw: f.raw,
    }),
  );
  const dryRun = plan?.dryRun === true;
  const merges: MergedRow[] = [];
  const outcomes: Outcome[] = [];
  for (const entity of ENTITIES) {
    if (plan)
      for (const merge of await job.splitMerges(entity, plan))
        merges.push(dryRun ? merge : { ...merge, raw: {}, fill: {} });
    // Later runs' outcomes first (few: only the rows they re-ran), then this job's, replaced by theirs.
    const later = new Map<string, Outcome>();
    for (const run of options.overlay ?? [])
      await job.job(run).forEachOutcome(entity, (o) => later.set(rowKey(o), kept(o, dryRun)));
    await job.forEachOutcome(entity, (o) => {
      const key = later.size ? rowKey(o) : '';
      const replaced = later.get(key);
      if (replaced) later.delete(key);
      outcomes.push(replaced ?? kept(o, dryRun));
    });
    outcomes.push(...later.values());
  }
  return {
    jobId: job.jobId,
    source: options.source,
    files: plan?.files ?? [],
    rows: plan?.rows ?? {},
    limit: plan?.limit,
    marker: plan && profileOf(deps.config.target).marker ? plan.marker : undefined,
    dryRun: plan?.dryRun,
    ...(plan ? withCreateTimeMatches(cleaningReport(plan), outcomes) : {}),
    ...(await preflightOf(job)),
    splitFailures,
    merges,
    outcomes,
    requests: options.requests,
    error: options.error,
    now: new Date(deps.clock()),
  };
}

/** What the job checked and learned of the target before its first write, when it got that far. */
async function preflightOf(job: JobStore): Promise<{ preflight?: Preflight }> {
  const results = await job.findPreflight();
  if (!results) return {};
  const workspace = await job.findWorkspace();
  const warnings = [
    ...results.filter((r) => !r.ok && r.severity === 'warning').map((r) => `${r.check}: ${r.message}`),
    ...(workspace?.warnings ?? []),
  ];
  return {
    preflight: {
      checks: results.map((r) => ({ check: r.check, ok: r.ok, message: r.message })),
      // Written only by a target that learns its workspace (Clarify's GET /schemas).
      ...(workspace ? { workspace: describeWorkspace(workspace) } : {}),
      warnings: [...new Set(warnings)],
    },
  };
}

/**
 * The rows of each stage that have no outcome (the job stopped before them), held with the reason and
 * their mapped row, in one ledger object per stage. Written again from scratch if the report runs twice.
 */
async function holdNotAttempted(job: JobStore, stop: CaughtError): Promise<void> {
  const plan = await job.findPlan();
  if (!plan) return;
  const next = stop.retryable ? 'the schedule will send it again' : 'run the job again once that is fixed';
  const message = `${NOT_ATTEMPTED}: the job stopped (${stop.code}: ${stop.message}); ${next}`;
  for (const entity of ENTITIES) {
    const parts = plan.chunks[entity] ?? 0;
    if (!parts) continue;
    const settled = new Map<string, number>();
    await job.forEachLedger(entity, (ledger) => {
      for (const o of ledger.outcomes) if (o) settled.set(rowKey(o), (settled.get(rowKey(o)) ?? 0) + 1);
    });
    const held: Outcome[] = [];
    for (let part = 0; part < parts; part++) {
      for (const row of await job.chunk(entity, part)) {
        const key = rowKey({ entity, file: row.file, line: row.line, raw: row.raw } as Outcome);
        const left = settled.get(key) ?? 0;
        if (left > 0) settled.set(key, left - 1);
        else {
          const outcome: Outcome = {
            entity,
            file: row.file,
            line: row.line,
            raw: row.raw,
            keys: ownKeys(row),
            status: 'held',
            code: stop.code,
            retryable: stop.retryable,
            message,
          };
          held.push(withSource(outcome, row));
        }
      }
    }
    await job.putNotAttempted(entity, held);
  }
}

/** One row of a stage: links made from an association column share their row's file and line, not its columns. */
const rowKey = (o: Outcome) => `${o.entity}|${o.file}|${o.line}|${JSON.stringify(o.raw ?? {})}`;

/**
 * What the report needs of an outcome: a failed or held row keeps its columns and mapped row for
 * failures.csv and the re-run; a dry run keeps every row's columns for plan.csv. The rest are counted only,
 * so a million settled rows take little memory.
 */
function kept(o: Outcome, dryRun: boolean): Outcome {
  if (dryRun || o.status === 'failed' || o.status === 'held') return o;
  return {
    entity: o.entity,
    file: o.file,
    line: o.line,
    status: o.status,
    ...(o.matched ? { matched: o.matched } : {}),
  };
}

/**
 * Split's cleaning counts, plus the values matched to the workspace's vocabulary when the rows were
 * created (a target that declares its vocabulary at run time, like Clarify's GET /schemas).
 */
function withCreateTimeMatches(report: CleaningReport, outcomes: Outcome[]): CleaningReport {
  const cleaning = report.cleaning;
  if (!cleaning) return report;
  let byCase = 0;
  let mapped = 0;
  for (const o of outcomes) {
    if (o.matched === 'case') byCase += 1;
    else if (o.matched === 'mapped') mapped += 1;
  }
  if (!byCase && !mapped) return report;
  return {
    ...report,
    cleaning: {
      ...cleaning,
      enumsCanonicalized: cleaning.enumsCanonicalized + byCase,
      valuesMapped: cleaning.valuesMapped + mapped,
    },
  };
}

const add = (a: Summary['requests'] | undefined, b: Summary['requests']) => ({
  sent: (a?.sent ?? 0) + b.sent,
  throttled: (a?.throttled ?? 0) + b.throttled,
});
