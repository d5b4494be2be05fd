import type { Entity, SourceRow } from './entities.ts';
import type { ErrorCode } from './errors.ts';
import type { Counters } from './job-state.ts';

/** Ids a dry run makes up for records it would create; never sent to the target. */
export const DRY_RUN_ID = 'dry-run:';

export type OutcomeStatus = 'created' | 'updated' | 'skipped' | 'failed' | 'held';

/** What happened to one row of the job: the ledger records one per row, the report reads them all. */
export interface Outcome {
  entity: Entity;
  file: string;
  line: number;
  status: OutcomeStatus;
  /** The target's id of the record this row created or matched. */
  id?: string;
  /** Keys other rows reference this one by: `ref:<source id>`, `email:…`, `domain:…`, `name:…`. */
  keys?: string[];
  code?: ErrorCode;
  message?: string;
  retryable?: boolean;
  raw?: Record<string, string>;
  /** A vocabulary value put in the target's spelling at create time: by case, or by a value map. */
  matched?: 'case' | 'mapped';
  /** The mapped row of a retryable or held outcome, so a scheduled re-run can send it again. */
  source?: SourceRow;
}

/** The outcomes of one window of rows of one chunk: rewritten after every request that changes it. */
export interface WindowLedger {
  entity: Entity;
  part: number;
  start: number;
  end: number;
  /** One slot per row of the window; null while the row is still to be sent. */
  outcomes: (Outcome | null)[];
  /** Transient failures of this window so far (5xx, timeouts): after a few it is given up as retryable. */
  attempts: number;
  /**
   * Window positions of the request that is out, written before it is sent. Still set when the next Task
   * reads the ledger: the answer was lost (a crash, a timeout, a 5xx after commit) and those rows are in
   * doubt until the target has been read for them.
   */
  sending?: number[];
  /** Progress of reading the target for in-doubt rows: where the next page starts, and what was found. */
  reconcile?: { next: string | null; found: Record<string, string> };
}

export const tally = (counters: Counters, outcomes: Iterable<Outcome>): Counters => {
  const next = { ...counters };
  for (const o of outcomes) next[o.status] += 1;
  return next;
};

export const isSettled = (outcome: Outcome | undefined | null): outcome is Outcome => Boolean(outcome);

/** Settled and usable as a dependency: the record exists in the target. */
export const hasRecord = <T extends Pick<Outcome, 'status' | 'id'>>(
  outcome: T,
): outcome is T & { id: string } =>
  (outcome.status === 'created' || outcome.status === 'skipped' || outcome.status === 'updated') &&
  Boolean(outcome.id);

/** A held or retryable failure keeps its mapped row: the scheduled re-run sends it again. */
export const withSource = (outcome: Outcome, row: SourceRow): Outcome =>
  outcome.status === 'held' || (outcome.status === 'failed' && outcome.retryable)
    ? { ...outcome, source: row }
    : outcome;
