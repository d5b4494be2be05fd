import { type Cleaning, CleaningLog, type Recognized, type Warning } from '#domain/cleaning.ts';
import type { Entity } from '#domain/entities.ts';
import type { ExecutionInput, JobState } from '#domain/job-state.ts';
import type { Manifest } from '#domain/manifest.ts';
import { DEFAULT_PHONE_REGION } from '#domain/phones.ts';
import type { RowRules } from '#domain/rows.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';
import { storeFor } from '../commons/pipeline.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { type FileEntity, type JobFile, recognizeFile, resolveJobFiles, splitOrder } from './job-files.ts';
import { readHeader } from './read-csv.ts';
import { RowFlow } from './row-flow.ts';
import { type FileSummary, splitFile } from './split-file.ts';
import { defaultMarker, splitDone } from './split-state.ts';

export type { SplitFailure } from './row-flow.ts';
export type { FileSummary } from './split-file.ts';

/** What split found, for the later stages and the report. */
export interface SplitPlan {
  jobId: string;
  files: FileSummary[];
  chunks: Partial<Record<Entity, number>>;
  /** Data rows per entity ('unknown' for rows whose entity could not be told). */
  rows: Record<string, number>;
  marker: string;
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

/** Stream every file of the job from S3, map and validate its rows, merge duplicates, write chunks. */
export async function split(input: ExecutionInput, deps: PipelineDeps): Promise<JobState> {
  const store = storeFor(deps, input.bucket);
  const keys = jobKeys(input.jobId);
  const { files, manifest } = await resolveJobFiles(store, input.source.key);
  const profile = profileOf(deps.config.target);
  const log = new CleaningLog();
  const flow = new RowFlow(
    new ChunkWriter(store, input.jobId, deps.config.chunkRows ?? 500),
    manifest.catchAllAccounts ?? profile.catchAllAccounts ?? [],
    log,
  );
  const ctx = {
    profile,
    rules: rulesOf(manifest, profile),
    flow,
    log,
    left: { rows: manifest.limit ?? Infinity },
  };
  const summaries: FileSummary[] = [];
  const recognized: Recognized[] = [];
  for (const i of await orderOf(store, files, profile)) {
    const done = await splitFile(store, files[i] as JobFile, ctx);
    summaries[i] = done.summary;
    if (done.recognized) recognized[i] = done.recognized;
  }
  await flow.finish();
  for (const [entity, rows] of flow.merges) await store.putNdjson(keys.merges(entity), rows);
  await store.putNdjson(keys.splitFailures, flow.failures);
  const rowsByEntity = Object.fromEntries(Object.entries(flow.counts).map(([e, c]) => [e, c.rows]));
  const failuresOf = recognized.find((r) => r?.failuresOf)?.failuresOf;
  const plan: SplitPlan = {
    jobId: input.jobId,
    files: summaries,
    chunks: flow.writerParts(),
    rows: rowsByEntity,
    marker: manifest.marker ?? defaultMarker(deps.clock()),
    ...(manifest.limit ? { limit: manifest.limit } : {}),
    ...(manifest.onExisting
      ? { onExisting: { mode: manifest.onExisting, overwrite: manifest.overwrite } }
      : {}),
    ...(manifest.dryRun ? { dryRun: true } : {}),
    // A failures.csv dropped back in: its rows' references resolve through the job it came from.
    ...(failuresOf ? { retryOf: failuresOf } : {}),
    recognized: recognized.filter(Boolean),
    cleaning: log.cleaning,
    warnings: log.warnings,
  };
  await store.putJson(keys.plan, plan);

  const limited = manifest.limit ? ` (limited to the first ${manifest.limit})` : '';
  const state = splitDone(
    input,
    flow.counts,
    (rows) => `${rows} rows in ${summaries.length} file(s)${limited}`,
    deps.config.maxHistoryEvents,
  );
  deps.logger?.info('split done', {
    jobId: input.jobId,
    files: summaries.length,
    rows: state.progress.total,
  });
  return state;
}

/** The job's cleaning rules: the target's enums unless the manifest replaces them, its value maps, region. */
function rulesOf(manifest: Manifest, profile: TargetProfile): RowRules {
  return {
    enums: { ...profile.enums, ...manifest.enums },
    ...(manifest.valueMaps ? { valueMaps: manifest.valueMaps } : {}),
    phoneRegion: (manifest.phoneRegion ?? DEFAULT_PHONE_REGION) as RowRules['phoneRegion'],
  };
}

/**
 * Reads each file's header first (one small read per file) to split them in dependency order; a file
 * that cannot be read here goes last and reports its problem when it is split.
 */
async function orderOf(store: ObjectStore, files: JobFile[], profile: TargetProfile): Promise<number[]> {
  const entities: (FileEntity | undefined)[] = [];
  for (const file of files) {
    try {
      const head = await readHeader(await store.getStream(file.key));
      entities.push(head ? recognizeFile(file, head.headers, profile).entity : undefined);
    } catch {
      entities.push(undefined);
    }
  }
  return splitOrder(entities, profile);
}
