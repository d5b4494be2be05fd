import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExecutionError } from 'aws-local-stepfunctions';
import { JobError } from '#domain/errors.ts';
import { type JobOutcome, jobOutcome } from '#domain/job-outcome.ts';
import type { Summary } from '#domain/report.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { wrapWords } from '#view/format.ts';
import { mappingPreview } from '#view/mapping.ts';
import type { ExecutionView } from '#view/view.ts';
import { type RunRecord, RunRegistry } from './run-registry.ts';
import type { LocalExecution, LocalRuntime } from './runtime.ts';
import { planUpload, upload } from './upload.ts';

export interface RunResult {
  jobId: string;
  /** The executions the import ran, first to last: more than one when it continued as new. */
  executions: string[];
  status: Summary['status'];
  totals: Summary['totals'];
  stages: Summary['stages'];
  links: Summary['links'];
  requests: Summary['requests'];
  report: { summary: string; failures: string; plan?: string };
  /** The whole summary.json, for callers that want more than the CLI's JSON line. */
  summary: Summary;
  /** The job's one outcome, as the view's last line says it. */
  outcome: JobOutcome;
  elapsedMs: number;
}

export interface RunImportOptions {
  paths: string[];
  runtime: LocalRuntime;
  /** Where report files are copied for the user (`<dir>/reports/<job>/`). */
  outDir: string;
  /** The execution view; omitted: no view (tests). */
  view?: ExecutionView;
  /** Manifest fields from the command line (limit, marker). */
  manifest?: Record<string, unknown>;
  /** Remembers unfinished runs so the same input resumes its job (omitted: every run is new). */
  registry?: RunRegistry;
  /** What the fingerprint of a run includes besides its files: the target and where it is. */
  destination?: string;
  /** How the outcome names the credential when the API refuses it: `the key in CLARIFY_API_KEY`. */
  credential?: string;
}

/**
 * Drop the files into the local bucket as a person would, let the upload start the execution, follow it,
 * and bring the report back as files. Throws a JobError when the job could not run.
 */
export async function runImport(options: RunImportOptions): Promise<RunResult> {
  const { runtime } = options;
  const started = Date.now();
  const plan = planUpload(options.paths, runtime.importsPrefix, options.manifest);
  const fingerprint = RunRegistry.fingerprint(plan, options.destination ?? runtime.deps.config.target);
  const unfinished = options.registry?.unfinished(fingerprint);
  let run: LocalExecution;
  if (unfinished) {
    // The same input as a run that never finished: carry on with that job from its ledger.
    options.view?.note(
      `Resuming ${unfinished.jobId}, which did not finish: what it created is kept, nothing is sent twice.`,
    );
    const name = unfinished.execution ?? unfinished.jobId;
    runtime.startExecution(name, unfinished.input);
    run = runtime.executions.get(name) as LocalExecution;
  } else {
    const execution = waitForExecution(runtime, plan.triggerKey);
    await upload(runtime.deps.s3, runtime.bucket, plan);
    run = await execution;
  }
  if (isDryRun(plan))
    options.view?.note('DRY RUN: nothing will be written to the target; the counts say what would be.');
  // A long import continues in new executions (<job>-2, -3, …): follow each, and remember the latest, so a
  // killed run resumes where the import had got to.
  const { jobId } = run.input;
  const end = await runtime.follow(run, async (execution) => {
    options.registry?.save(fingerprint, record(jobId, execution, false));
    await options.view?.follow(execution.eventLogs);
  });
  const { failure } = end;
  const last = end.executions.at(-1) as LocalExecution;

  const store = new ObjectStore(runtime.deps.s3, runtime.bucket);
  const keys = jobKeys(jobId).report;
  const summary = await store.findJson<Summary>(keys.summaryJson);
  if (!summary) {
    const reason =
      failure instanceof ExecutionError ? failure.message : String(failure ?? 'no report was written');
    throw new JobError('INTERNAL', `import ${last.name} ended without a report: ${reason}`);
  }
  options.registry?.save(fingerprint, record(jobId, last, true));
  const dir = await copyReport(store, jobId, options.outDir);
  const local = (key: string) => join(dir, key.split('/').pop() as string);
  const files = {
    summary: local(keys.summaryJson),
    failures: local(keys.failuresCsv),
    ...(summary.dryRun ? { plan: local(keys.planCsv) } : {}),
  };
  const outcome = jobOutcome(summary, {
    credential: options.credential,
    failuresFile: files.failures,
    planFile: files.plan,
  });
  const result: RunResult = {
    jobId,
    executions: end.executions.map((e) => e.name),
    status: summary.status,
    totals: summary.totals,
    stages: summary.stages,
    links: summary.links,
    requests: summary.requests,
    report: files,
    summary,
    outcome,
    elapsedMs: Date.now() - started,
  };
  const width = options.view?.width;
  for (const line of [
    ...mappingPreview(summary, undefined, width && width - 1),
    ...preflightLines(summary).flatMap((note) => wrapWords(note, width && width - 1)),
  ])
    options.view?.note(line);
  options.view?.printSummary({
    ...result,
    ...(summary.dryRun ? { dryRun: true } : {}),
    ...(summary.notAttempted ? { notAttempted: summary.notAttempted } : {}),
  });
  return result;
}

/** Whether the job only plans: --dry-run, or `"dryRun": true` in the folder's own manifest. */
function isDryRun(plan: ReturnType<typeof planUpload>): boolean {
  if (plan.extras.dryRun === true) return true;
  if (!plan.manifest) return false;
  try {
    return (JSON.parse(readFileSync(plan.manifest, 'utf8')) as { dryRun?: unknown }).dryRun === true;
  } catch {
    return false;
  }
}

/** What the job checked of the target before its first write, and what it learned, for a person. */
export function preflightLines(summary: Summary): string[] {
  if (!summary.preflight) return [];
  const { checks, workspace, warnings } = summary.preflight;
  return [
    `Checked before writing: ${checks.map((c) => `${c.ok ? '✔' : '✖'} ${c.check}`).join('  ')}`,
    ...(workspace ? [`The target declares: ${workspace}`] : []),
    ...warnings.map((warning) => `Assumed: ${warning}`),
  ];
}

/** What the registry keeps of a run: its job, and the execution to start again if it is killed. */
const record = (jobId: string, execution: LocalExecution, finished: boolean): RunRecord => ({
  jobId,
  ...(execution.name === jobId ? {} : { execution: execution.name }),
  input: execution.input,
  finished,
});

/** The execution the upload of `triggerKey` starts (the runtime's start function names it). */
function waitForExecution(runtime: LocalRuntime, triggerKey: string): Promise<LocalExecution> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new JobError('INTERNAL', `uploading ${triggerKey} started no import`));
    }, 30_000);
    const onExecution = (execution: LocalExecution) => {
      if (execution.input.source.key !== triggerKey) return;
      cleanup();
      resolvePromise(execution);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      runtime.off('execution', onExecution);
      runtime.off('error', onError);
    };
    runtime.on('execution', onExecution);
    runtime.on('error', onError);
  });
}

/** Bring a job's report files from the bucket to `<outDir>/reports/<job>/`; resolves with that folder. */
export async function copyReport(store: ObjectStore, jobId: string, outDir: string): Promise<string> {
  const dir = resolve(outDir, 'reports', jobId);
  mkdirSync(dir, { recursive: true });
  for (const key of Object.values(jobKeys(jobId).report)) {
    const text = await store.findText(key);
    if (text !== undefined) writeFileSync(join(dir, key.split('/').pop() as string), text);
  }
  return dir;
}
