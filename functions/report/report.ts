import { ENTITIES, type MergedRow } from '#domain/entities.ts';
import { failuresCsv } from '#domain/failures-csv.ts';
import type { JobState } from '#domain/job-state.ts';
import type { Outcome } from '#domain/outcomes.ts';
import { buildSummary, type FailureRow, failuresOf, type Summary, summaryText } from '#domain/report.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { profileOf } from '#targets/profiles.ts';
import { loadOutcomes } from '../commons/ledger.ts';
import { type PipelineDeps, storeFor } from '../commons/pipeline.ts';
import type { SplitFailure, SplitPlan } from '../split/split.ts';

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
 * so a job that stopped still says what happened up to then.
 */
export async function report(state: JobState, deps: PipelineDeps): Promise<ReportResult> {
  const store = storeFor(deps, state.bucket);
  const keys = jobKeys(state.jobId);
  const plan = await store.findJson<SplitPlan>(keys.plan);
  const splitFailures = ((await store.findNdjson<SplitFailure>(keys.splitFailures)) ?? []).map(
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
  const merges: MergedRow[] = [];
  const outcomes: Outcome[] = [];
  for (const entity of ENTITIES) {
    merges.push(...((await store.findNdjson<MergedRow>(keys.merges(entity))) ?? []));
    outcomes.push(...(await loadOutcomes(store, state.jobId, entity)));
  }
  const input = {
    jobId: state.jobId,
    source: state.source.key,
    files: plan?.files ?? [],
    rows: plan?.rows ?? {},
    limit: plan?.limit,
    marker: plan && profileOf(deps.config.target).marker ? plan.marker : undefined,
    splitFailures,
    merges,
    outcomes,
    requests: state.requests,
    error: state.error ? describeError(state.error) : undefined,
    now: new Date(deps.clock()),
  };
  const summary = buildSummary(input);
  const failures = failuresOf(input);
  await store.putJson(keys.report.summaryJson, summary);
  await store.putText(keys.report.summaryText, summaryText(summary));
  await store.putText(keys.report.failuresCsv, failuresCsv(failures), 'text/csv; charset=utf-8');
  await store.putJson(keys.report.failuresJson, failures);
  deps.logger?.info('report written', { jobId: state.jobId, status: summary.status, totals: summary.totals });
  return {
    ...state,
    stage: 'report',
    done: true,
    wait: { seconds: 0, reason: '' },
    progress: {
      stage: 'report',
      step: summary.status.replaceAll('_', ' '),
      done: summary.totals.rows,
      total: summary.totals.rows,
    },
    report: {
      status: summary.status,
      summary: keys.report.summaryJson,
      summaryText: keys.report.summaryText,
      failures: keys.report.failuresCsv,
      failuresJson: keys.report.failuresJson,
    },
  };
}

/** A Catch hands over `{Error, Cause}`; on AWS the Cause of a Lambda error is JSON with errorMessage. */
function describeError(error: { Error: string; Cause?: string }): { code: string; message: string } {
  let message = error.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: string };
    if (parsed.errorMessage) message = parsed.errorMessage;
  } catch {
    // a plain message
  }
  return { code: error.Error, message };
}
