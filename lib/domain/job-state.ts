import { z } from 'zod';
import { ENTITIES } from './entities.ts';
import { historySchema } from './execution-history.ts';

/**
 * The state every Task of the state machine receives and returns. It carries pointers, cursors and
 * counts only: rows live in S3. Each Task's output is what the Step Functions console shows for it,
 * so `progress` is written to be read by a person.
 */
export const STAGES = ['split', 'workspace', 'dedupe', ...ENTITIES, 'report'] as const;
export type Stage = (typeof STAGES)[number];

export const countersSchema = z.object({
  rows: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  merged: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
});
export type Counters = z.infer<typeof countersSchema>;

/** Rows that have an outcome: created + updated + skipped + merged + failed + held. */
export const settledCount = (c: Counters) => c.created + c.updated + c.skipped + c.merged + c.failed + c.held;

export const emptyCounters = (): Counters => ({
  rows: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  merged: 0,
  failed: 0,
  held: 0,
});

export const jobStateSchema = z.object({
  jobId: z.string().min(1),
  bucket: z.string().min(1),
  /** The object that started the job: a lone CSV or a folder's manifest.json. */
  source: z.object({ key: z.string().min(1), versionId: z.string().optional(), etag: z.string().optional() }),
  stage: z.enum(STAGES),
  /** True when the current stage has nothing left to do; the Choice after each Task reads it. */
  done: z.boolean(),
  /** How long the next Wait state waits, and why (shown in the execution view). */
  wait: z.object({ seconds: z.number().int().nonnegative(), reason: z.string() }),
  /**
   * Where the current stage resumes: opaque to the state machine. Each paced stage parses its own
   * (`cursors.ts`); split's says which checkpoint to load.
   */
  cursor: z.record(z.string(), z.json()),
  /** A readable summary for the console: "people: batch 3 of 8, 75 of 200 rows". */
  progress: z.object({
    stage: z.string(),
    step: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** Counters per stage (company, person, deal, link); filled in by split and each stage. */
  counts: z.record(z.string(), countersSchema),
  requests: z.object({ sent: z.number().int().nonnegative(), throttled: z.number().int().nonnegative() }),
  /** This execution's history so far: a loop continues the import in a new execution before the cap. */
  history: historySchema,
  /** True once the job holds its workspace's lease: the report gives it up. */
  holdsWorkspace: z.boolean().optional(),
  /** A scheduled re-run of another job's retryable and held rows: that job's id. */
  retryOf: z.string().optional(),
  /** Set by a Catch: the error that stopped the job, for the report. */
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
export type JobState = z.infer<typeof jobStateSchema>;

/** The execution input `start` builds from an S3 object. */
export const executionInputSchema = z.object({
  jobId: z.string().min(1),
  bucket: z.string().min(1),
  source: jobStateSchema.shape.source,
  retryOf: z.string().optional(),
});
export type ExecutionInput = z.infer<typeof executionInputSchema>;
