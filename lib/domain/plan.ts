import { z } from 'zod';
import { cleaningSchema, recognizedSchema, warningSchema } from './cleaning.ts';
import { ENTITIES } from './entities.ts';
import { ERROR_CODES } from './errors.ts';

/**
 * What split hands the stages after it, in `jobs/<job>/plan.json`: the contract between split and the
 * create, link and report stages, owned by none of them.
 */

const count = z.number().int().nonnegative();
const entity = z.enum(ENTITIES);
/** Counts per entity, for the entities that have any. */
const perEntity = z.partialRecord(entity, count);

/** A file's entity, or `mixed`: each row's entity comes from its type column. */
export const fileEntitySchema = z.union([entity, z.literal('mixed')]);
export type FileEntity = z.infer<typeof fileEntitySchema>;

/** A row split could not read or map, or one of a file it could not take at all. */
export const splitFailureSchema = z.object({
  /** Absent for a file whose entity could not be told. */
  entity: entity.optional(),
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.string().optional(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  raw: z.record(z.string(), z.string()),
});
export type SplitFailure = z.infer<typeof splitFailureSchema>;

/** Per-file counters the flow keeps up to date. */
export const fileTallySchema = z.object({ file: z.string(), rows: count, failed: count, merged: count });
export type FileTally = z.infer<typeof fileTallySchema>;

/** What split made of one file. */
export const fileSummarySchema = fileTallySchema.extend({
  entity: fileEntitySchema.optional(),
  blank: count,
  /** A problem with the file as a whole (unknown entity, unreadable): its rows could not be imported. */
  error: z.string().optional(),
});
export type FileSummary = z.infer<typeof fileSummarySchema>;

/** What split found, for the later stages and the report. */
export const splitPlanSchema = z.object({
  jobId: z.string(),
  files: z.array(fileSummarySchema),
  /** Chunks of rows per entity (jobKeys.chunk). */
  chunks: perEntity,
  /** Parts of merged duplicate rows per entity (jobKeys.merges). */
  mergeParts: perEntity.optional(),
  /** Parts of rows split could not read or map (jobKeys.splitFailures). */
  failureParts: count.optional(),
  /** Data rows per entity ('unknown' for rows whose entity could not be told). */
  rows: z.record(z.string(), count),
  marker: z.string(),
  /** Vocabulary fields whose values the manifest's "enums" set (checked at split, not against the workspace). */
  manifestEnums: z.array(z.string()).optional(),
  /** Set when the job imports only its first N rows. */
  limit: count.optional(),
  /** What to do with rows whose record exists (default skip). */
  onExisting: z.object({ mode: z.enum(['skip', 'update']), overwrite: z.boolean().optional() }).optional(),
  /** Plan only: decide every row, send nothing that writes. */
  dryRun: z.boolean().optional(),
  /** The job whose failures these rows are (a re-run, or a fixed failures.csv dropped back in). */
  retryOf: z.string().optional(),
  /** Per file: whose export it is, its entity, encoding, separator and column -> field mapping. */
  recognized: z.array(recognizedSchema).optional(),
  /** What the cleaning rules changed or dropped, counted. */
  cleaning: cleaningSchema.optional(),
  /** The first warnings (values left out, rows dropped as junk), with file and line. */
  warnings: z.array(warningSchema).optional(),
});
export type SplitPlan = z.infer<typeof splitPlanSchema>;
