import { firstExecutionHistory } from '#domain/execution-history.ts';
import type { Counters, ExecutionInput, JobState } from '#domain/job-state.ts';

/** The marker stamped on created records when the manifest names none: import-YYYY-MM. */
export const defaultMarker = (now: number) => `import-${new Date(now).toISOString().slice(0, 7)}`;

/** The state split hands to the dedupe stage: its counts, and a step a person reads in the console. */
export function splitDone(
  input: ExecutionInput,
  counts: Record<string, Counters>,
  step: (rows: number) => string,
  maxHistoryEvents?: number,
): JobState {
  const rows = Object.values(counts).reduce((n, c) => n + c.rows, 0);
  return {
    ...input,
    stage: 'split',
    done: true,
    wait: { seconds: 0, reason: '' },
    cursor: {},
    progress: { stage: 'split', step: step(rows), done: rows, total: rows },
    counts,
    requests: { sent: 0, throttled: 0 },
    history: firstExecutionHistory(maxHistoryEvents),
  };
}
