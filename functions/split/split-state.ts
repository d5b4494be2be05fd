import type { History } from '#domain/execution-history.ts';
import type { Counters, ExecutionInput, JobState } from '#domain/job-state.ts';

/** The marker stamped on created records when the manifest names none: import-YYYY-MM. */
export const defaultMarker = (now: number) => `import-${new Date(now).toISOString().slice(0, 7)}`;

const rowsOf = (counts: Record<string, Counters>) => Object.values(counts).reduce((n, c) => n + c.rows, 0);

/** What every state carries from the execution's input (the split's own later calls get a JobState). */
const executionOf = ({ jobId, bucket, source, retryOf }: ExecutionInput): ExecutionInput => ({
  jobId,
  bucket,
  source,
  ...(retryOf ? { retryOf } : {}),
});

/** The state split hands to the dedupe stage: its counts, and a step a person reads in the console. */
export function splitDone(
  input: ExecutionInput,
  counts: Record<string, Counters>,
  step: (rows: number) => string,
  history: History,
): JobState {
  const rows = rowsOf(counts);
  return {
    ...executionOf(input),
    stage: 'split',
    done: true,
    wait: { seconds: 0, reason: '' },
    cursor: {},
    progress: { stage: 'split', step: step(rows), done: rows, total: rows },
    counts,
    requests: { sent: 0, throttled: 0 },
    history,
  };
}

/**
 * The state of a split that stopped for time: the next invocation loads checkpoint `step`; the rest of
 * the cursor is for a person (which file, from which line and byte).
 */
export function splitStopped(
  input: ExecutionInput,
  step: number,
  file: { file: string },
  at: { line: number; offset: number | null } | undefined,
  counts: Record<string, Counters>,
  history: History,
): JobState {
  const rows = rowsOf(counts);
  const where = at ? `${file.file} line ${at.line}` : file.file;
  return {
    ...executionOf(input),
    stage: 'split',
    done: false,
    wait: { seconds: 0, reason: '' },
    cursor: { step, file: file.file, line: at?.line ?? 1, offset: at ? at.offset : 0 },
    progress: { stage: 'split', step: `${rows} rows so far; next: ${where}`, done: rows, total: 0 },
    counts,
    requests: { sent: 0, throttled: 0 },
    history,
  };
}
