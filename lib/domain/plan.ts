import type { Cleaning, Recognized, Warning } from './cleaning.ts';
import type { Entity } from './entities.ts';
import type { RowFailure } from './rows.ts';

/**
 * What split hands the stages after it, in `jobs/<job>/plan.json`: the contract between split and the
 * create, link and report stages, owned by none of them.
 */

/** A file's entity, or `mixed`: each row's entity comes from its type column. */
export type FileEntity = Entity | 'mixed';

/** A row split could not read or map, or one of a file it could not take at all. */
export type SplitFailure =
  | RowFailure
  | (Omit<RowFailure, 'entity' | 'code'> & { entity?: Entity; code: 'MALFORMED_FILE' | 'UNKNOWN_ENTITY' });

/** Per-file counters the flow keeps up to date. */
export interface FileTally {
  file: string;
  rows: number;
  failed: number;
  merged: number;
}

/** What split made of one file. */
export interface FileSummary extends FileTally {
  entity?: FileEntity;
  blank: number;
  /** A problem with the file as a whole (unknown entity, unreadable): its rows could not be imported. */
  error?: string;
}

/** What split found, for the later stages and the report. */
export interface SplitPlan {
  jobId: string;
  files: FileSummary[];
  chunks: Partial<Record<Entity, number>>;
  /** Parts of merged duplicate rows per entity (jobKeys.merges). */
  mergeParts?: Partial<Record<Entity, number>>;
  /** Parts of rows split could not read or map (jobKeys.splitFailures). */
  failureParts?: number;
  /** Data rows per entity ('unknown' for rows whose entity could not be told). */
  rows: Record<string, number>;
  marker: string;
  /** Vocabulary fields whose values the manifest's "enums" set (checked at split, not against the workspace). */
  manifestEnums?: string[];
  /** Set when the job imports only its first N rows. */
  limit?: number;
  /** What to do with rows whose record exists (default skip). */
  onExisting?: { mode: 'skip' | 'update'; overwrite?: boolean };
  /** Plan only: decide every row, send nothing that writes. */
  dryRun?: boolean;
  /** The job whose failures these rows are (a re-run, or a fixed failures.csv dropped back in). */
  retryOf?: string;
  /** Per file: whose export it is, its entity, encoding, separator and column -> field mapping. */
  recognized?: Recognized[];
  /** What the cleaning rules changed or dropped, counted. */
  cleaning?: Cleaning;
  /** The first warnings (values left out, rows dropped as junk), with file and line. */
  warnings?: Warning[];
}
