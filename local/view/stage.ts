import type { JobState } from '#domain/job-state.ts';

/** One stage of the import as the view shows it: a progress bar (TTY) or periodic progress lines. */
export interface StageView {
  /** `progress.stage` as the functions write it, e.g. "people". */
  label: string;
  /** When the first Task of the stage was entered: the ETA counts waits, not just Task time. */
  startedAt: number;
  /** When the stage last reported progress. */
  updatedAt: number;
  step: string;
  done: number;
  total: number;
  /** Task iterations of the stage's loop so far. */
  runs: number;
  waits: number;
  waitedMs: number;
  /** What the stage is doing right now: its step (a Wait in progress is `wait`). */
  activity: string;
  /** The Wait the stage is in: when it ends, and why. */
  wait?: { until: number; reason: string };
  /** Requests the job had sent when the stage began, and now: what its rows have cost so far. */
  requestsAtStart: number;
  requests: number;
  /** Time its Tasks took, waits not included. */
  busyMs: number;
  finished: boolean;
  /** The last progress line printed (non-TTY), to print at most every 10% or every few seconds. */
  reportedAt: number;
  reportedDone: number;
}

/** How often the plain-text view prints a progress line, and which waits it always shows. */
export interface Pacing {
  /** A line each time progress crosses one of this many equal steps (10 = every 10%). */
  steps: number;
  /** ...or when this long has passed since the last line and progress moved. */
  everyMs: number;
  /** Waits this long are always shown: a person wonders why nothing moves. */
  longWaitSeconds: number;
}

export const DEFAULT_PACING: Pacing = { steps: 10, everyMs: 5_000, longWaitSeconds: 10 };

/** One Task of a stage, as its exit tells it. */
export interface TaskRun {
  progress: JobState['progress'];
  done: boolean;
  enteredAt: number;
  at: number;
  /** The job's requests sent before the Task and after it. */
  requestsBefore: number;
  requestsAfter: number;
}

export const advanceStage = (previous: StageView | undefined, run: TaskRun): StageView => ({
  label: run.progress.stage,
  startedAt: previous?.startedAt ?? run.enteredAt,
  updatedAt: run.at,
  step: run.progress.step,
  done: run.progress.done,
  total: run.progress.total,
  runs: (previous?.runs ?? 0) + 1,
  waits: previous?.waits ?? 0,
  waitedMs: previous?.waitedMs ?? 0,
  activity: run.progress.step,
  requestsAtStart: previous?.requestsAtStart ?? run.requestsBefore,
  requests: run.requestsAfter,
  busyMs: (previous?.busyMs ?? 0) + (run.at - run.enteredAt),
  finished: run.done,
  reportedAt: previous?.reportedAt ?? run.enteredAt,
  reportedDone: previous?.reportedDone ?? 0,
});

export const markReported = (stage: StageView, at: number): StageView => ({
  ...stage,
  reportedAt: at,
  reportedDone: stage.done,
});

export const shouldReportProgress = (
  stage: StageView,
  at: number,
  pacing: Pacing = DEFAULT_PACING,
): boolean => {
  if (stage.done === stage.reportedDone) return false;
  if (at - stage.reportedAt >= pacing.everyMs) return true;
  if (stage.total <= 0) return false;
  const step = (done: number) => Math.floor((done * pacing.steps) / stage.total);
  return step(stage.done) > step(stage.reportedDone);
};

/**
 * Time left at the rate observed since the stage started (waits included, because the rate limit,
 * not the Task, sets the pace). Undefined until the first row is done. Used when the rate is unknown.
 */
export const estimateEtaMs = (progress: {
  done: number;
  total: number;
  elapsedMs: number;
}): number | undefined => {
  const { done, total, elapsedMs } = progress;
  if (total <= 0 || done <= 0 || elapsedMs < 0) return undefined;
  if (done >= total) return 0;
  return (elapsedMs * (total - done)) / done;
};

/** The target's rate limit the job is paced to. */
export interface Rate {
  limit: number;
  windowSeconds: number;
}

/**
 * Time left in a stage at `now`, from the rate budget: the rest of the Wait it is in, then the requests its
 * rows still need (at what its rows have cost so far) at the rate, or the time its Tasks need for them when
 * that is longer (a fast rate is not what paces a slow API). Undefined until the first row is done.
 */
export const stageEtaMs = (stage: StageView, now: number, rate?: Rate): number | undefined => {
  if (stage.finished) return 0;
  const left = stage.total - stage.done;
  if (stage.total <= 0 || stage.done <= 0) return undefined;
  const waiting = stage.wait ? Math.max(0, stage.wait.until - now) : 0;
  if (!rate) {
    const observed = estimateEtaMs({
      done: stage.done,
      total: stage.total,
      elapsedMs: stage.updatedAt - stage.startedAt,
    });
    return observed === undefined ? undefined : Math.max(waiting, observed - (now - stage.updatedAt));
  }
  const requestsLeft = (left * (stage.requests - stage.requestsAtStart)) / stage.done;
  const paced = (requestsLeft * rate.windowSeconds * 1000) / rate.limit;
  const working = (left * stage.busyMs) / stage.done;
  return waiting + Math.max(paced, working);
};
