import type { CountryCode } from 'libphonenumber-js';
import type { PipelineDeps } from '#commons/pipeline.ts';
import { storeFor } from '#commons/pipeline.ts';
import { CleaningLog, type Recognized } from '#domain/cleaning.ts';
import { countOf } from '#domain/count-words.ts';
import { afterSplitPass } from '#domain/execution-history.ts';
import type { ExecutionInput, JobState } from '#domain/job-state.ts';
import type { Manifest } from '#domain/manifest.ts';
import { DEFAULT_PHONE_REGION } from '#domain/phones.ts';
import type { FileSummary, SplitPlan } from '#domain/plan.ts';
import type { RowRules } from '#domain/rows.ts';
import { type JobFile, resolveJobFiles } from '#intake/job-files.ts';
import { recognizeJob } from '#intake/job-recognition.ts';
import { KeyIndex } from '#intake/key-index.ts';
import { type FlowWriters, RowFlow } from '#intake/row-flow.ts';
import { splitFile } from '#intake/split-file.ts';
import { FAILURES, JobStore } from '#storage/job-store.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import { loadCheckpoint, type SplitCheckpoint, saveCheckpoint } from './split-checkpoint.ts';
import { defaultMarker, splitDone, splitStopped } from './split-state.ts';

export type { FileSummary, SplitFailure, SplitPlan } from '#domain/plan.ts';

export interface SplitOptions {
  /** Time the Lambda has left (its context's getRemainingTimeInMillis), when there is one. */
  remainingMs?: () => number;
}

/** Time kept back from the Lambda's timeout to write the chunks and the checkpoint at a stop. */
const STOP_RESERVE_MS = 60_000;

/**
 * Stream every file of the job from S3, map and validate its rows, merge duplicates, write chunks. A job
 * too big for one invocation is split by several: each stops between two records when out of time,
 * writes what it buffered and a checkpoint, and hands back a cursor; the next carries on from it.
 */
export async function split(
  input: ExecutionInput | JobState,
  deps: PipelineDeps,
  options: SplitOptions = {},
): Promise<JobState> {
  const mustStop = stopRule(deps, options);
  const store = storeFor(deps, input.bucket);
  const job = new JobStore(store, input.jobId);
  const step = 'stage' in input && input.stage === 'split' ? Number(input.cursor.step ?? 0) : 0;
  const history = afterSplitPass(
    'history' in input ? input.history : undefined,
    deps.config.maxHistoryEvents,
  );
  const { checkpoint: run, index } = step
    ? await loadCheckpoint(store, input.jobId, step)
    : { checkpoint: await firstCheckpoint(store, input, deps), index: new KeyIndex() };
  const { files, manifest } = run;
  const profile = profileOf(deps.config.target);
  const log = new CleaningLog(run);
  const flow = new RowFlow(
    flowWriters(job, deps.config.chunkRows ?? 500, run.parts),
    manifest.catchAllAccounts ?? profile.catchAllAccounts ?? [],
    log,
    index,
    step ? run.flow : undefined,
  );
  const ctx = {
    profile,
    rules: rulesOf(manifest, profile),
    flow,
    log,
    left: { rows: run.left ?? Infinity },
    mustStop,
  };
  for (let begun = false; run.finished < run.order.length; run.finished++, begun = true) {
    const i = run.order[run.finished] as number;
    const file = files[i] as JobFile;
    const done = begun && mustStop() ? undefined : await splitFile(store, file, ctx, run.cursor);
    run.cursor = done?.stopped;
    if (!done || done.stopped) {
      await flow.flush();
      const next = {
        ...run,
        step: step + 1,
        left: finite(ctx.left.rows),
        ...logged(log),
        flow: flow.memory(),
      };
      await saveCheckpoint(store, input.jobId, { ...next, parts: partsOf(flow) }, index);
      deps.logger?.info('split stopped for time', { jobId: input.jobId, step, file: file.file });
      return splitStopped(input, next.step, file, done?.stopped?.at, flow.counts, history);
    }
    run.summaries[i] = done.summary;
    run.recognized[i] = done.recognized ?? null;
  }
  await flow.finish();
  const summaries = run.summaries.filter((s): s is FileSummary => s !== null);
  const recognized = run.recognized.filter((r): r is Recognized => r !== null);
  const failuresOf = recognized.find((r) => r.failuresOf)?.failuresOf;
  const parts = partsOf(flow);
  const plan: SplitPlan = {
    jobId: input.jobId,
    files: summaries,
    chunks: parts.rows,
    mergeParts: parts.merges,
    failureParts: parts.failures,
    rows: Object.fromEntries(Object.entries(flow.counts).map(([e, c]) => [e, c.rows])),
    marker: manifest.markerField === 'none' ? '' : run.marker,
    ...(manifest.enums ? { manifestEnums: Object.keys(manifest.enums) } : {}),
    ...(manifest.limit ? { limit: manifest.limit } : {}),
    ...(manifest.onExisting
      ? { onExisting: { mode: manifest.onExisting, overwrite: manifest.overwrite } }
      : {}),
    ...(manifest.dryRun ? { dryRun: true } : {}),
    // A failures.csv dropped back in: its rows' references resolve through the job it came from.
    ...(failuresOf ? { retryOf: failuresOf } : {}),
    recognized,
    cleaning: log.cleaning,
    warnings: log.warnings,
  };
  await job.putPlan(plan);

  const limited = manifest.limit ? ` (limited to the first ${manifest.limit})` : '';
  const state = splitDone(
    input,
    flow.counts,
    (rows) => `${countOf(rows, 'row')} in ${countOf(summaries.length, 'file')}${limited}`,
    history,
  );
  deps.logger?.info('split done', {
    jobId: input.jobId,
    files: summaries.length,
    rows: state.progress.total,
    steps: step + 1,
  });
  return state;
}

/**
 * When an invocation stops: after `maxTaskMs`, or sooner if the Lambda would otherwise run out of time
 * to save; `splitRecordsPerTask` stops it after so many records (tests). At least one record is read.
 */
function stopRule(deps: PipelineDeps, options: SplitOptions): () => boolean {
  const started = deps.clock();
  const remaining = options.remainingMs?.() ?? Infinity;
  const deadline = started + Math.min(deps.config.maxTaskMs, remaining - STOP_RESERVE_MS);
  const budget = deps.config.splitRecordsPerTask ?? Infinity;
  let records = 0;
  return () => {
    records += 1;
    return records >= budget || deps.clock() >= deadline;
  };
}

/**
 * The first invocation: which files, what each holds and in which order (the top of each file read once,
 * all recognised together).
 */
async function firstCheckpoint(
  store: ObjectStore,
  input: ExecutionInput,
  deps: PipelineDeps,
): Promise<SplitCheckpoint> {
  const job = await resolveJobFiles(store, input.source.key);
  const { manifest } = job;
  const region = (manifest.phoneRegion ?? DEFAULT_PHONE_REGION) as CountryCode;
  const { files, order } = await recognizeJob(store, job.files, profileOf(deps.config.target), region);
  return {
    step: 0,
    files,
    manifest,
    order,
    finished: 0,
    summaries: files.map(() => null),
    recognized: files.map(() => null),
    left: manifest.limit ?? null,
    marker: manifest.marker ?? defaultMarker(deps.clock()),
    ...logged(new CleaningLog()),
    flow: { counts: {}, catchAll: [], companies: { held: [], domains: [] }, aliases: 0 },
    parts: { rows: {}, merges: {}, failures: 0 },
  };
}

function flowWriters(job: JobStore, size: number, parts: SplitCheckpoint['parts']): FlowWriters {
  return {
    rows: job.chunkWriter(size, parts.rows),
    merges: job.mergeWriter(size, parts.merges),
    failures: job.failureWriter(size, parts.failures),
  };
}

const partsOf = (flow: RowFlow): SplitCheckpoint['parts'] => {
  const { rows, merges, failures } = flow.writerParts();
  return { rows, merges, failures: failures[FAILURES] ?? 0 };
};

const logged = (log: CleaningLog) => ({ cleaning: log.cleaning, warnings: log.warnings });

const finite = (n: number) => (Number.isFinite(n) ? n : null);

/** The job's cleaning rules: the target's enums unless the manifest replaces them, its value maps, region. */
function rulesOf(manifest: Manifest, profile: TargetProfile): RowRules {
  return {
    enums: { ...profile.enums, ...manifest.enums },
    ...(manifest.valueMaps ? { valueMaps: manifest.valueMaps } : {}),
    fieldLimits: { ...profile.fieldLimits, ...manifest.fieldLimits },
    phoneRegion: (manifest.phoneRegion ?? DEFAULT_PHONE_REGION) as RowRules['phoneRegion'],
  };
}
