import type { z } from 'zod';
import { backoffFor, backoffSeconds } from '#domain/backoff.ts';
import type { Block, PacedCursor } from '#domain/cursors.ts';
import type { ImportError } from '#domain/errors.ts';
import type { Counters, JobState, Stage } from '#domain/job-state.ts';
import type { Wait } from '#domain/paced-calls.ts';
import type { TargetAdapter } from '#targets/target.ts';
import { type PacedContext, type PacedStep, pacedTask } from './paced-task.ts';
import type { PipelineDeps } from './pipeline.ts';

/** What one Task of a stage did: a step, and the transient failure it stopped on, if it did. */
export interface StageStep extends PacedStep {
  /** A 5xx, a timeout, a lost connection: the Task stopped, and what it was doing is tried again. */
  failed?: ImportError;
}

/** One paced stage: where it resumes, what one Task of it does, and what a person reads of it. */
export interface StageSpec<C extends PacedCursor> {
  /** The state's `stage` while this stage runs (an entity for a create stage). */
  stage: Stage;
  cursor: z.ZodType<C>;
  /** The cursor of the stage's first Task. */
  start: () => C;
  /** One Task's work: spend what the budget allows right now, move the cursor, say what is left. */
  step: (ctx: PacedContext, cursor: C) => Promise<StageStep>;
  /**
   * Settles what is left of the stage once too many Tasks in a row stopped on a transient failure: its rows
   * fail as retryable (the schedule sends them again), and the stages after it go on. A stage without it
   * stops the job with the error instead.
   */
  giveUp?: (cursor: C, block: Block) => void;
  /** The console's line for the Task, from where the cursor got to. */
  progress: (cursor: C, done: boolean) => JobState['progress'];
  /** The stage's counters after the Task, for stages that count rows. */
  counts?: () => Counters;
  /** The counters' key in the state (default: the stage). */
  countsKey?: string;
}

/**
 * The skeleton every paced stage shares: parse its cursor, run one Task through the rate budget (the one
 * place requests are spent), apply the one retry policy to a Task that stopped on a transient failure,
 * and hand the state machine the state with the Wait it must wait.
 */
export async function pacedStage<C extends PacedCursor>(
  state: JobState,
  deps: PipelineDeps,
  target: TargetAdapter,
  spec: StageSpec<C>,
): Promise<JobState> {
  const cursor: C = state.stage === spec.stage ? spec.cursor.parse(state.cursor) : spec.start();
  const result = await pacedTask(
    state,
    deps,
    async (ctx) => {
      const before = whereAt(cursor);
      const step = await spec.step(ctx, cursor);
      const atLeast = retryPolicy(cursor, whereAt(cursor) !== before, step.failed, spec, deps);
      return atLeast ? { ...step, atLeast } : step;
    },
    target,
  );
  const counts = spec.counts?.();
  return {
    ...state,
    stage: spec.stage,
    done: result.done,
    wait: result.wait,
    cursor: { ...cursor },
    requests: result.requests,
    history: result.history,
    ...(counts ? { counts: { ...state.counts, [spec.countsKey ?? spec.stage]: counts } } : {}),
    progress: spec.progress(cursor, result.done),
  };
}

/** True when a transient failure of this Task would be the last the retry policy allows in a row. */
export const lastTry = (cursor: PacedCursor, deps: PipelineDeps) =>
  cursor.failures + 1 >= backoffFor(deps.config.rate).maxFailures;

/** Where the cursor is, leaving out the failure count: a Task that changed it got somewhere. */
const whereAt = (cursor: PacedCursor) => JSON.stringify({ ...cursor, failures: 0 });

/**
 * The one retry policy (`backoff.ts`): counts the Tasks in a row that stopped on a transient failure (a
 * Task that moved the cursor on starts the count again), and answers the backoff the next Wait must be at
 * least. At the limit the stage gives up what is left (or the job stops with the error).
 */
function retryPolicy<C extends PacedCursor>(
  cursor: C,
  moved: boolean,
  failed: ImportError | undefined,
  spec: StageSpec<C>,
  deps: PipelineDeps,
): Wait | undefined {
  if (!failed) {
    if (moved) cursor.failures = 0;
    return undefined;
  }
  cursor.failures = moved ? 1 : cursor.failures + 1;
  const policy = backoffFor(deps.config.rate);
  if (cursor.failures >= policy.maxFailures) {
    if (!spec.giveUp) throw failed;
    spec.giveUp(cursor, {
      status: 'failed',
      code: failed.code,
      retryable: true,
      message: `the API failed ${cursor.failures} times in a row (${failed.message}): not sent; the schedule will try again`,
    });
    cursor.failures = 0;
    return undefined;
  }
  const seconds = backoffSeconds(cursor.failures, policy);
  if (!seconds) return undefined;
  return {
    seconds,
    reason: `the API failed ${cursor.failures} times in a row (${failed.code}): backing off ${seconds} s`,
  };
}
