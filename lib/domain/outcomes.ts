import { z } from 'zod';
import { ENTITIES, type SourceRow, sourceRowSchema } from './entities.ts';
import { ERROR_CODES } from './errors.ts';
import type { Counters } from './job-state.ts';

/** Ids a dry run makes up for records it would create; never sent to the target. */
export const DRY_RUN_ID = 'dry-run:';

export const OUTCOME_STATUSES = ['created', 'updated', 'skipped', 'failed', 'held'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** What happened to one row of the job: the ledger records one per row, the report reads them all. */
export const outcomeSchema = z.object({
  entity: z.enum(ENTITIES),
  file: z.string(),
  line: z.number().int(),
  status: z.enum(OUTCOME_STATUSES),
  /** The target's id of the record this row created or matched. */
  id: z.string().optional(),
  /** Keys other rows reference this one by: `ref:<source id>`, `email:…`, `domain:…`, `name:…`. */
  keys: z.array(z.string()).optional(),
  code: z.enum(ERROR_CODES).optional(),
  message: z.string().optional(),
  retryable: z.boolean().optional(),
  raw: z.record(z.string(), z.string()).optional(),
  /** A vocabulary value put in the target's spelling at create time: by case, or by a value map. */
  matched: z.enum(['case', 'mapped']).optional(),
  /** The mapped row of a retryable or held outcome, so a scheduled re-run can send it again. */
  source: sourceRowSchema.optional(),
});
export type Outcome = z.infer<typeof outcomeSchema>;

const position = z.number().int().nonnegative();

/** The outcomes of one window of rows of one chunk: rewritten after every request that changes it. */
export const windowLedgerSchema = z.object({
  entity: z.enum(ENTITIES),
  /** The chunk (-1: the rows a stopped job did not reach, held for the re-run). */
  part: z.number().int(),
  start: position,
  end: position,
  /** One slot per row of the window; null while the row is still to be sent. */
  outcomes: z.array(outcomeSchema.nullable()),
  /** Transient failures of this window so far (5xx, timeouts): a window sent again is sent as an upsert. */
  attempts: position,
  /**
   * Window positions of the request that is out, written before it is sent. Still set when the next Task
   * reads the ledger: the answer was lost (a crash, a timeout, a 5xx after commit) and those rows are in
   * doubt until the target has been read for them.
   */
  sending: z.array(position).optional(),
  /** Progress of reading the target for in-doubt rows: where the next page starts, and what was found. */
  reconcile: z.object({ next: z.string().nullable(), found: z.record(z.string(), z.string()) }).optional(),
});
export type WindowLedger = z.infer<typeof windowLedgerSchema>;

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
