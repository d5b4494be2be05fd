import type { z } from 'zod';
import type { PacedCursor } from '#domain/cursors.ts';
import type { Counters, JobState, Stage } from '#domain/job-state.ts';
import type { TargetAdapter } from '#targets/target.ts';
import { type PacedContext, type PacedStep, pacedTask } from './paced-task.ts';
import type { PipelineDeps } from './pipeline.ts';

/** One paced stage: where it resumes, what one Task of it does, and what a person reads of it. */
export interface StageSpec<C extends PacedCursor> {
  /** The state's `stage` while this stage runs (an entity for a create stage). */
  stage: Stage;
  cursor: z.ZodType<C>;
  /** The cursor of the stage's first Task. */
  start: () => C;
  /** One Task's work: spend what the budget allows right now, move the cursor, say what is left. */
  step: (ctx: PacedContext, cursor: C) => Promise<PacedStep>;
  /** The console's line for the Task, from where the cursor got to. */
  progress: (cursor: C, done: boolean) => JobState['progress'];
  /** The stage's counters after the Task, for stages that count rows. */
  counts?: () => Counters;
  /** The counters' key in the state (default: the stage). */
  countsKey?: string;
}

/**
 * The skeleton every paced stage shares: parse its cursor, run one Task through the rate budget (the one
 * place requests are spent), and hand the state machine the state with the Wait it must wait.
 */
export async function pacedStage<C extends PacedCursor>(
  state: JobState,
  deps: PipelineDeps,
  target: TargetAdapter,
  spec: StageSpec<C>,
): Promise<JobState> {
  const cursor: C = state.stage === spec.stage ? spec.cursor.parse(state.cursor) : spec.start();
  const result = await pacedTask(state, deps, (ctx) => spec.step(ctx, cursor), target);
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
