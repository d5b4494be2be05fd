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
  /** What the stage is doing right now: its step, or the wait and why. */
  activity: string;
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

export const advanceStage = (
  previous: StageView | undefined,
  progress: JobState['progress'],
  done: boolean,
  enteredAt: number,
  at: number,
): StageView => ({
  label: progress.stage,
  startedAt: previous?.startedAt ?? enteredAt,
  updatedAt: at,
  step: progress.step,
  done: progress.done,
  total: progress.total,
  runs: (previous?.runs ?? 0) + 1,
  waits: previous?.waits ?? 0,
  waitedMs: previous?.waitedMs ?? 0,
  activity: progress.step,
  finished: done,
  reportedAt: previous?.reportedAt ?? enteredAt,
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
 * not the Task, sets the pace). Undefined until the first row is done.
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

export const stageEtaMs = (stage: StageView): number | undefined =>
  estimateEtaMs({ done: stage.done, total: stage.total, elapsedMs: stage.updatedAt - stage.startedAt });
