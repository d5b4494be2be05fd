import { z } from 'zod';
import { RECORD_ENTITIES } from './entities.ts';
import { ERROR_CODES } from './errors.ts';

/**
 * Where each paced stage resumes, one schema per stage, told apart by `kind`. The state machine carries
 * the cursor without looking inside; the stage runner parses it on the way in, so a cursor that is not
 * the stage's fails loudly instead of being read as something else.
 */

const count = z.number().int().nonnegative();

/**
 * Tasks in a row of the stage that stopped on a transient failure (a 5xx, a timeout, a lost connection):
 * the stage runner's count, which sizes the backoff and gives up at the limit (`backoff.ts`). A Task that
 * moves the cursor on starts it again. A cursor written before the count existed reads as 0.
 */
const failures = count.default(0);

export const dedupeCursorSchema = z.object({
  kind: z.literal('dedupe'),
  /** The entities whose target records are indexed, in order. */
  entities: z.array(z.enum(RECORD_ENTITIES)),
  entity: count,
  /** Where the next page of the current entity starts; null at its first page. */
  next: z.string().nullable(),
  page: count,
  pages: count,
  records: count,
  /** Preflight requests answered so far (the read-only checks before anything is read or written). */
  checked: count,
  /** True once the preflight's answers were weighed (and the workspace learned). */
  preflightDone: z.boolean(),
  /** Records of the current entity so far: the snapshot's size, after which in-doubt rows are looked for. */
  entityRecords: count,
  /**
   * Records on each page of the current entity but its last, once a page showed that the pages after it
   * can be addressed directly (offset or page number): they are then read several at a time. 0 until then.
   */
  perPage: count.default(0),
  /** How many records the current entity holds, as the API said on a page of it (null: it did not say). */
  total: count.nullable().default(null),
  failures,
});
export type DedupeCursor = z.infer<typeof dedupeCursorSchema>;

/** The outcome every row left of a stage settles with, once the stage cannot write any. */
export const blockSchema = z.object({
  status: z.enum(['failed', 'held']),
  code: z.enum(ERROR_CODES),
  retryable: z.boolean(),
  message: z.string(),
});
export type Block = z.infer<typeof blockSchema>;

export const createCursorSchema = z.object({
  kind: z.literal('create'),
  part: count,
  offset: count,
  windows: count,
  /**
   * Set once no row of the stage can be written: with these credentials (a missing write scope, a token),
   * or for now (the API failed too many Tasks in a row).
   */
  blocked: blockSchema.nullable(),
  failures,
});
export type CreateCursor = z.infer<typeof createCursorSchema>;

export const linkCursorSchema = z.object({
  kind: z.literal('link'),
  group: count,
  groups: count,
  /** Set once no deal of the stage can be linked for now (the API failed too many Tasks in a row). */
  blocked: blockSchema.nullable().default(null),
  failures,
});
export type LinkCursor = z.infer<typeof linkCursorSchema>;

/** Every paced stage's cursor. */
export const pacedCursorSchema = z.discriminatedUnion('kind', [
  dedupeCursorSchema,
  createCursorSchema,
  linkCursorSchema,
]);
export type PacedCursor = z.infer<typeof pacedCursorSchema>;
