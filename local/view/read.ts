import type { StateMachine } from 'aws-local-stepfunctions';
import { z } from 'zod';
import { fromCatch } from '#domain/errors.ts';
import { type JobState, jobStateSchema } from '#domain/job-state.ts';

/** aws-local-stepfunctions does not export its event type; derive it from `run()` so it tracks the library. */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface StateData {
  name: string;
  type: string;
  input: unknown;
  output: unknown;
}

export interface ErrorView {
  error: string;
  cause: string;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const readStateData = (value: unknown): StateData | undefined => {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') return undefined;
  const type = typeof value.type === 'string' ? value.type : 'Task';
  return { name: value.name, type, input: value.input, output: value.output };
};

/**
 * The parts of a JobState the view shows, read field by field: the view must keep going when a Task
 * returns something unexpected, so one malformed field never hides the others.
 */
const viewedFields = {
  jobId: z.string(),
  bucket: z.string(),
  source: jobStateSchema.shape.source,
  stage: z.string().min(1),
  done: z.boolean(),
  wait: jobStateSchema.shape.wait,
  progress: jobStateSchema.shape.progress,
  counts: jobStateSchema.shape.counts,
  requests: jobStateSchema.shape.requests,
  history: jobStateSchema.shape.history,
} as const;

export type ViewedJobState = Partial<Omit<JobState, 'stage'>> & { stage?: string };

export const readJobState = (value: unknown): ViewedJobState => {
  if (!isRecord(value)) return {};
  const state: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(viewedFields)) {
    const parsed = schema.safeParse(value[field]);
    if (parsed.success) state[field] = parsed.data;
  }
  return state as ViewedJobState;
};

/** The execution an output says the import continued in (the "Continue in a new execution" Task's result). */
export const continuedIn = (output: unknown): string | undefined => {
  const arn = isRecord(output) && isRecord(output.continuedIn) ? output.continuedIn.executionArn : undefined;
  return typeof arn === 'string' ? arn.split(':').pop() : undefined;
};

const MAX_CAUSE_LENGTH = 500;

/** What a person reads of a Catch's Cause: its message, on one line, not too long (see `fromCatch`). */
export const describeCause = (cause: unknown): string => {
  const oneLine = fromCatch({ Cause: cause }).message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_CAUSE_LENGTH ? `${oneLine.slice(0, MAX_CAUSE_LENGTH - 1)}…` : oneLine;
};

export const readError = (event: Record<string, unknown>): ErrorView => ({
  error: typeof event.Error === 'string' && event.Error !== '' ? event.Error : 'Error',
  cause: describeCause(event.Cause),
});
