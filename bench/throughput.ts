import type { RateLimit } from '#domain/rate-budget.ts';
import { runImport } from '#runtime/run-import.ts';
import { clarifyCallKind } from '#sandbox/clarify/call-kind.ts';
import { type SampleExportSize, sampleExport } from '#sandbox/clarify/sample-export.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import type { RequestLogEntry } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { endpointClassOf } from '#targets/endpoint-classes.ts';
import type { TargetAdapter } from '#targets/target.ts';
import { startBenchRun } from './local-run.ts';

export interface ClassFigures {
  endpointClass: string;
  requests: number;
  /** Requests ÷ the allowed rate. */
  idealSeconds: number;
  /** First request of the class to its last, plus one request's slot. */
  spanSeconds: number;
  /** The same stage by stage, added up: the time the class was spent, without the stages in between. */
  inStageSeconds: number;
  maxInWindow: number;
}

export interface ThroughputFigures {
  records: number;
  rate: RateLimit;
  classes: ClassFigures[];
  throttled: number;
  elapsedSeconds: number;
  /** From the upload of the job to its first request to the API. */
  dropToFirstRequestMs: number;
  /** Paced Task time with no request of it in flight, per paced Task: budgets, lease, ledger, S3. */
  overheadMsPerTask: number;
  pacedTasks: number;
  lambdaSeconds: number;
  transitions: number;
  events: number;
  dynamoRequests: number;
}

/** Which of Clarify's counted endpoints a logged request is, as the budgets count them. */
const classOfRequest = (r: Pick<RequestLogEntry, 'method' | 'path'>): string =>
  endpointClassOf('clarify', clarifyCallKind(r));

const SENDS = new Set(['listExisting', 'create', 'update', 'getDealPeople', 'setDealPeople']);

/** Counts the time at least one request of the adapter is in flight. */
function busyAdapter(adapter: TargetAdapter, busy: { ms: number; inFlight: number; since: number }) {
  const timed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (busy.inFlight++ === 0) busy.since = performance.now();
      try {
        return await call(...args);
      } finally {
        if (--busy.inFlight === 0) busy.ms += performance.now() - busy.since;
      }
    };
  return new Proxy(adapter, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'preflight')
        return (...args: Parameters<TargetAdapter['preflight']>) =>
          target.preflight(...args).map((step) => ({ ...step, run: timed(() => step.run()) }));
      if (typeof value !== 'function' || !SENDS.has(String(key))) return value;
      return timed((...args: unknown[]) => value.apply(target, args));
    },
  });
}

/** The paced loops' Tasks: every Task but split's, the workspace's and the report's. */
const PACED = /^(Build dedupe index|Create |Link )/;

/**
 * A Clarify import at a given rate and round trip against the sandbox, which keeps the limit per
 * endpoint as the API does: how near each endpoint budget runs to its limit, what a Task spends besides
 * the API, and what the run costs.
 */
export async function measureThroughput(options: {
  size: SampleExportSize;
  rate: RateLimit;
  latencyMs: number;
}): Promise<ThroughputFigures> {
  const { rate } = options;
  const sandbox = await startClarifySandbox({ rate, latencyMs: options.latencyMs });
  const busy = { ms: 0, inFlight: 0, since: 0 };
  const run = await startBenchRun(sandbox, 'clarify', rate, (deps) => ({
    ...deps,
    target: async () => busyAdapter(await deps.target(), busy),
  }));
  const { runtime } = run;
  try {
    const job = run.writeJob(sampleExport(options.size));
    const started = Date.now();
    const result = await runImport({ paths: [job], runtime, outDir: run.dir });
    const elapsedSeconds = (Date.now() - started) / 1000;
    if (result.status !== 'succeeded') throw new Error(`the benchmark import ended ${result.status}`);
    const log = sandbox.requests().filter((r) => r.status !== 0);
    const slot = rate.windowSeconds / rate.limit;
    // A stage starts when its first Task does.
    const stageStarts = [...runtime.taskTimes.values()].map((t) => t.firstAt).sort((a, b) => a - b);
    const classes = [...new Set(log.map(classOfRequest))].map((endpointClass): ClassFigures => {
      const mine = log.filter((r) => classOfRequest(r) === endpointClass && r.status !== 429);
      const at = mine.map((r) => r.at);
      return {
        endpointClass,
        requests: mine.length,
        idealSeconds: mine.length * slot,
        spanSeconds: (Math.max(...at) - Math.min(...at)) / 1000 + slot,
        inStageSeconds: stageSpans(at, stageStarts) + slot,
        maxInWindow: maxInAnyWindow(at, rate.windowSeconds * 1000),
      };
    });
    const all = [...runtime.taskTimes.values()];
    const paced = [...runtime.taskTimes].filter(([name]) => PACED.test(name)).map(([, t]) => t);
    const pacedMs = paced.reduce((s, t) => s + t.ms, 0);
    const pacedTasks = paced.reduce((n, t) => n + t.invocations, 0);
    const records = (['company', 'person', 'deal'] as const).reduce(
      (n, entity) => n + sandbox.records(entity).length,
      0,
    );
    return {
      ...(await run.history.count()),
      records,
      rate,
      classes,
      throttled: log.filter((r) => r.status === 429).length,
      elapsedSeconds,
      dropToFirstRequestMs: Math.min(...log.map((r) => r.at)) - started,
      overheadMsPerTask: (pacedMs - busy.ms) / pacedTasks,
      pacedTasks,
      lambdaSeconds: all.reduce((s, t) => s + t.ms, 0) / 1000,
      dynamoRequests: runtime.deps.coordinator.requests,
    };
  } finally {
    await run.close();
  }
}

/** The time requests span within each stage, added up (a stage runs from its first Task to the next's). */
function stageSpans(at: number[], starts: number[]): number {
  const bounds = [...starts, Number.POSITIVE_INFINITY];
  let seconds = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const inStage = at.filter((t) => t >= (bounds[i] as number) && t < (bounds[i + 1] as number));
    if (inStage.length) seconds += (Math.max(...inStage) - Math.min(...inStage)) / 1000;
  }
  return seconds;
}
