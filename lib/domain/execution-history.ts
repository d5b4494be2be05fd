import { z } from 'zod';

/** Step Functions refuses any event past this many in one execution's history, and fails it. */
export const HISTORY_CAP = 25_000;

/**
 * What each piece of the state machine writes to an execution's history (Standard workflow, Task states
 * whose Resource is a Lambda ARN or an optimized integration):
 * - the execution's start, with the Choice that routes it to where the import resumes: ExecutionStarted,
 *   ChoiceStateEntered, ChoiceStateExited;
 * - a Task: TaskStateEntered, {LambdaFunction|Task}Scheduled, …Started, …Succeeded, TaskStateExited;
 * - a Choice or a Wait or a Pass: its StateEntered and StateExited;
 * - the end: SucceedStateEntered, SucceedStateExited, ExecutionSucceeded.
 * A Lambda retried by Step Functions adds three more per attempt; the margin below absorbs those.
 */
export const HISTORY_EVENTS = {
  start: 3,
  task: 5,
  choice: 2,
  wait: 2,
  pass: 2,
  end: 3,
} as const;

/** One trip round a paced loop: Task, the Choice after it, and the Wait when it goes round again. */
export const PASS_EVENTS = HISTORY_EVENTS.task + HISTORY_EVENTS.choice + HISTORY_EVENTS.wait;

/**
 * The count is checked at every loop's Choice; past the last check come at most one more pass, a run of
 * stages that each find nothing left (a Task and a Choice each), the hand-over to a new execution (Pass,
 * Task, Succeed) or the failure report. 1,000 events leave room for all of that, and for retried Lambdas.
 */
export const HISTORY_MARGIN = 1_000;
export const DEFAULT_MAX_HISTORY_EVENTS = HISTORY_CAP - HISTORY_MARGIN;

export const historySchema = z.object({
  /** Events this execution's history holds by the time the next Task is entered. */
  events: z.number().int().nonnegative(),
  /** At or past this many, the next loop Choice continues the import in a new execution. */
  limit: z.number().int().positive(),
  /** Which execution of the import this is: 1 for the first, 2 for its successor, … (names `<job>-2`). */
  execution: z.number().int().positive(),
});
export type History = z.infer<typeof historySchema>;

/** One split pass: its Task and the Choice that asks whether the split is complete (split waits for nothing). */
export const SPLIT_PASS_EVENTS = HISTORY_EVENTS.task + HISTORY_EVENTS.choice;

/** The history of a first execution once split's first Task has run: its start and that pass. */
export const firstExecutionHistory = (limit = DEFAULT_MAX_HISTORY_EVENTS): History => ({
  events: HISTORY_EVENTS.start + SPLIT_PASS_EVENTS,
  limit,
  execution: 1,
});

/** After a split pass: the first execution's count, or one more pass of a split that resumed. */
export const afterSplitPass = (previous: History | undefined, limit?: number): History =>
  previous ? { ...previous, events: previous.events + SPLIT_PASS_EVENTS } : firstExecutionHistory(limit);

/** After one pass of a paced loop; a finished stage's Choice leads on, not to a Wait. */
export const afterPass = (history: History, done: boolean): History => ({
  ...history,
  events: history.events + PASS_EVENTS - (done ? HISTORY_EVENTS.wait : 0),
});
