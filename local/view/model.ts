import { caught, failed, retried } from './failure.ts';
import {
  continuedIn,
  type ErrorView,
  isRecord,
  readError,
  readJobState,
  readStateData,
  type StateData,
  type ViewedJobState,
} from './read.ts';
import {
  advanceStage,
  DEFAULT_PACING,
  markReported,
  type Pacing,
  type StageView,
  shouldReportProgress,
} from './stage.ts';

export type RunStatus = 'running' | 'continued' | 'succeeded' | 'failed' | 'aborted' | 'timed out';

export interface ActiveState {
  type: string;
  enteredAt: number;
  /** Start of the current attempt: a retry starts the clock again. */
  attemptAt: number;
  /** The attempt failed; the exit that follows a Catch is not a success. */
  failed: boolean;
  error?: ErrorView;
}

interface StateTally {
  runs: number;
  busyMs: number;
  /** The last wait reason with its numbers blanked: a new kind of wait (a 429) is always shown. */
  waitKind?: string;
}

export interface ViewModel {
  status: RunStatus;
  startedAt?: number;
  jobId?: string;
  active: Readonly<Record<string, ActiveState>>;
  tallies: Readonly<Record<string, StateTally>>;
  stages: Readonly<Record<string, StageView>>;
  /** The stage of the last Task: the Wait that follows belongs to it. */
  currentStage?: string;
  lastJobState?: ViewedJobState;
}

/** What happened, for a renderer to print; the reducer has already folded loop repetitions. */
export type Notice =
  | { kind: 'started'; jobId?: string; source?: string; execution?: number }
  | { kind: 'continued'; jobId?: string; execution: string; limit?: number }
  | { kind: 'state'; name: string; type: string; durationMs: number; stage?: StageView }
  | { kind: 'wait'; name: string; seconds: number; reason: string }
  | { kind: 'failed'; name: string; durationMs: number; error: ErrorView }
  | { kind: 'retried'; name: string; attempt: number; maxAttempts: number }
  | { kind: 'caught'; name: string; next?: string }
  | { kind: 'progress'; stage: StageView }
  | { kind: 'stage-done'; name: string; runs: number; busyMs: number; stage?: StageView }
  | { kind: 'finished'; status: RunStatus; elapsedMs: number; jobId?: string; error?: ErrorView };

export interface Reduced {
  model: ViewModel;
  notices: Notice[];
}

export const initialModel = (): ViewModel => ({ status: 'running', active: {}, tallies: {}, stages: {} });

const EXECUTION_END: Record<string, RunStatus> = {
  ExecutionSucceeded: 'succeeded',
  ExecutionFailed: 'failed',
  ExecutionAborted: 'aborted',
  ExecutionTimeout: 'timed out',
};

/** Folds one execution event into the view model. Unknown shapes leave the model as it was. */
export const reduceEvent = (
  model: ViewModel,
  event: unknown,
  fallbackTime: number,
  pacing = DEFAULT_PACING,
) => {
  if (!isRecord(event)) return unchanged(model);
  const at =
    typeof event.timestamp === 'number' && Number.isFinite(event.timestamp) ? event.timestamp : fallbackTime;
  if (event.type === 'ExecutionStarted') return started(model, readJobState(event.input), at);
  const end = typeof event.type === 'string' ? EXECUTION_END[event.type] : undefined;
  const successor = end === 'succeeded' ? continuedIn(event.output) : undefined;
  if (successor) return continued(model, successor);
  if (end) return finished(model, end, at, end === 'failed' ? readError(event) : undefined);
  const state = readStateData(event.state);
  if (!state) return unchanged(model);
  switch (event.type) {
    case 'StateEntered':
      return entered(model, state, at, pacing);
    case 'StateExited':
      return exited(model, state, at, pacing);
    case 'StateFailed':
      return failed(model, state, at, readError(event));
    case 'StateRetried':
      return retried(model, state, at, event.retry);
    case 'StateCaught':
      return caught(model, state, event.catch);
    default:
      return unchanged(model);
  }
};

const unchanged = (model: ViewModel): Reduced => ({ model, notices: [] });

const started = (model: ViewModel, input: ViewedJobState, at: number): Reduced => {
  const source = input.source ? [input.bucket, input.source.key].filter(Boolean).join('/') : undefined;
  // The next execution of a continued import: its clock and its stages carry on.
  const carriesOn = model.status === 'continued' && model.jobId === input.jobId;
  const execution = carriesOn ? input.history?.execution : undefined;
  return {
    model: { ...model, status: 'running', startedAt: carriesOn ? model.startedAt : at, jobId: input.jobId },
    notices: [{ kind: 'started', jobId: input.jobId, source, ...(execution ? { execution } : {}) }],
  };
};

/** The execution handed the import to a new one before its history filled up. */
const continued = (model: ViewModel, execution: string): Reduced => {
  const limit = model.lastJobState?.history?.limit;
  return {
    model: { ...model, status: 'continued', active: {} },
    notices: [{ kind: 'continued', jobId: model.jobId, execution, limit }],
  };
};

const finished = (model: ViewModel, status: RunStatus, at: number, error?: ErrorView): Reduced => ({
  model: { ...model, status, active: {} },
  notices: [{ kind: 'finished', status, elapsedMs: at - (model.startedAt ?? at), jobId: model.jobId, error }],
});

const withStage = (model: ViewModel, update: (stage: StageView) => StageView): ViewModel => {
  const stage = model.currentStage ? model.stages[model.currentStage] : undefined;
  if (!model.currentStage || !stage) return model;
  return { ...model, stages: { ...model.stages, [model.currentStage]: update(stage) } };
};

const entered = (model: ViewModel, state: StateData, at: number, pacing: Pacing): Reduced => {
  const active = { type: state.type, enteredAt: at, attemptAt: at, failed: false };
  const next = { ...model, active: { ...model.active, [state.name]: active } };
  const wait = state.type === 'Wait' ? readJobState(state.input).wait : undefined;
  if (!wait) return unchanged(next);
  const tally = model.tallies[state.name] ?? { runs: 0, busyMs: 0 };
  const kind = wait.reason.replace(/\d+(\.\d+)?/g, '#');
  const notable = tally.waitKind !== kind || wait.seconds >= pacing.longWaitSeconds;
  const waiting = withStage(next, (stage) => ({
    ...stage,
    wait: { until: at + wait.seconds * 1000, reason: wait.reason },
  }));
  return {
    model: { ...waiting, tallies: { ...model.tallies, [state.name]: { ...tally, waitKind: kind } } },
    notices: notable ? [{ kind: 'wait', name: state.name, seconds: wait.seconds, reason: wait.reason }] : [],
  };
};

const exited = (model: ViewModel, state: StateData, at: number, pacing: Pacing): Reduced => {
  const { [state.name]: active, ...stillActive } = model.active;
  const base: ViewModel = { ...model, active: stillActive };
  const durationMs = at - (active?.attemptAt ?? at);
  if (state.type === 'Wait') {
    const waitedMs = at - (active?.enteredAt ?? at);
    return unchanged(
      withStage(base, ({ wait: _ended, ...stage }) => ({
        ...stage,
        waits: stage.waits + 1,
        waitedMs: stage.waitedMs + waitedMs,
      })),
    );
  }
  // A caught failure was already told by its ✖ and ↪ lines; Choice and end states speak through others.
  if (active?.failed || ['Choice', 'Succeed', 'Fail'].includes(state.type)) return unchanged(base);
  const previous = model.tallies[state.name];
  const tally = {
    ...previous,
    runs: (previous?.runs ?? 0) + 1,
    busyMs: (previous?.busyMs ?? 0) + durationMs,
  };
  const tallied = { ...base, tallies: { ...model.tallies, [state.name]: tally } };
  if (state.type !== 'Task') {
    const notices: Notice[] =
      tally.runs === 1 ? [{ kind: 'state', name: state.name, type: state.type, durationMs }] : [];
    return { model: tallied, notices };
  }
  return taskExited(tallied, state, tally, durationMs, active?.enteredAt ?? at, at, pacing);
};

const taskExited = (
  model: ViewModel,
  state: StateData,
  tally: StateTally,
  durationMs: number,
  enteredAt: number,
  at: number,
  pacing: Pacing,
): Reduced => {
  const output = readJobState(state.output);
  const next: ViewModel = { ...model, lastJobState: output };
  // A placeholder progress (no step, no total) says nothing a person could use.
  const progress = output.progress?.step || output.progress?.total ? output.progress : undefined;
  const key = progress?.stage || output.stage;
  if (!key || !progress) {
    const notices: Notice[] =
      tally.runs === 1 ? [{ kind: 'state', name: state.name, type: state.type, durationMs }] : [];
    return { model: next, notices };
  }
  const before = readJobState(state.input).requests?.sent ?? model.lastJobState?.requests?.sent ?? 0;
  let stage = advanceStage(model.stages[key], {
    progress,
    done: output.done === true,
    enteredAt,
    at,
    requestsBefore: before,
    requestsAfter: output.requests?.sent ?? before,
  });
  const notices: Notice[] = [];
  if (tally.runs === 1) {
    notices.push({ kind: 'state', name: state.name, type: state.type, durationMs, stage });
    stage = markReported(stage, at);
  } else if (output.done === true) {
    notices.push({ kind: 'stage-done', name: state.name, runs: tally.runs, busyMs: tally.busyMs, stage });
    stage = markReported(stage, at);
  } else if (shouldReportProgress(stage, at, pacing)) {
    notices.push({ kind: 'progress', stage });
    stage = markReported(stage, at);
  }
  return { model: { ...next, currentStage: key, stages: { ...model.stages, [key]: stage } }, notices };
};
