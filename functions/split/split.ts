import type { Entity, MergedRow, SourceRow } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { type Counters, type ExecutionInput, emptyCounters, type JobState } from '#domain/job-state.ts';
import type { RowFailure } from '#domain/rows.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';
import { storeFor } from '../commons/pipeline.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { FileRows } from './file-rows.ts';
import { entityOf, type FileEntity, type JobFile, resolveJobFiles } from './job-files.ts';
import { readCsv } from './read-csv.ts';

export interface FileSummary {
  file: string;
  entity?: FileEntity;
  rows: number;
  blank: number;
  failed: number;
  merged: number;
  /** A problem with the file as a whole (unknown entity, unreadable): its rows could not be imported. */
  error?: string;
}

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
}

/** A problem found while splitting: a bad row, or a whole file that could not be read. */
export type SplitFailure =
  | RowFailure
  | (Omit<RowFailure, 'entity' | 'code'> & { entity?: Entity; code: 'MALFORMED_FILE' | 'UNKNOWN_ENTITY' });

/** The first row with a key: where it is, and which fields it has (names only, to keep memory small). */
interface FirstSeen {
  file: string;
  line: number;
  have: string;
}

interface SplitContext {
  profile: TargetProfile;
  writer: ChunkWriter;
  failures: SplitFailure[];
  merges: Map<Entity, MergedRow[]>;
  firstSeen: Map<string, FirstSeen>;
  counts: Record<string, Counters>;
  /** Data rows still to take before the job's limit (Infinity without one). */
  left: number;
}

/** Stream every file of the job from S3, map and validate its rows, merge duplicates, write chunks. */
export async function split(input: ExecutionInput, deps: PipelineDeps): Promise<JobState> {
  const store = storeFor(deps, input.bucket);
  const keys = jobKeys(input.jobId);
  const { files, manifest } = await resolveJobFiles(store, input.source.key);
  const ctx: SplitContext = {
    profile: profileOf(deps.config.target),
    writer: new ChunkWriter(store, input.jobId, deps.config.chunkRows ?? 500),
    failures: [],
    merges: new Map(),
    firstSeen: new Map(),
    counts: {},
    left: manifest.limit ?? Number.POSITIVE_INFINITY,
  };
  const summaries: FileSummary[] = [];
  for (const file of files) summaries.push(await splitFile(store, file, ctx));
  await ctx.writer.close();
  for (const [entity, rows] of ctx.merges) await store.putNdjson(keys.merges(entity), rows);
  await store.putNdjson(keys.splitFailures, ctx.failures);
  const rowsByEntity = Object.fromEntries(Object.entries(ctx.counts).map(([e, c]) => [e, c.rows]));
  const plan: SplitPlan = {
    jobId: input.jobId,
    files: summaries,
    chunks: ctx.writer.parts,
    rows: rowsByEntity,
    marker: manifest.marker ?? `import-${new Date(deps.clock()).toISOString().slice(0, 7)}`,
    ...(manifest.limit ? { limit: manifest.limit } : {}),
  };
  await store.putJson(keys.plan, plan);

  const rows = Object.values(ctx.counts).reduce((n, c) => n + c.rows, 0);
  deps.logger?.info('split done', { jobId: input.jobId, files: summaries.length, rows });
  const limited = manifest.limit ? ` (limited to the first ${manifest.limit})` : '';
  return {
    ...input,
    stage: 'split',
    done: true,
    wait: { seconds: 0, reason: '' },
    cursor: {},
    progress: {
      stage: 'split',
      step: `${rows} rows in ${summaries.length} file(s)${limited}`,
      done: rows,
      total: rows,
    },
    counts: ctx.counts,
    requests: { sent: 0, throttled: 0 },
  };
}

async function splitFile(store: ObjectStore, file: JobFile, ctx: SplitContext): Promise<FileSummary> {
  const summary: FileSummary = { file: file.file, rows: 0, blank: 0, failed: 0, merged: 0 };
  const count = (entity: Entity | undefined, what: 'rows' | 'failed' | 'merged') => {
    const key = entity ?? 'unknown';
    const c = ctx.counts[key] ?? emptyCounters();
    ctx.counts[key] = c;
    c[what] += 1;
    summary[what] += 1;
  };
  // Every failure stands for one row in, so the summary's counts still add up.
  const fail = (entity: Entity | undefined, failure: Omit<SplitFailure, 'entity'>) => {
    ctx.failures.push({ ...failure, entity } as SplitFailure);
    count(entity, 'rows');
    count(entity, 'failed');
  };
  let rows: FileRows | undefined;
  try {
    const records = readCsv(
      await store.getStream(file.key),
      (headers) => {
        rows = new FileRows(file, headers, entityOf(file, headers, ctx.profile), ctx.profile);
      },
      (problem) => {
        const message = `${describePosition({ file: file.file, line: problem.line })}: ${problem.message}`;
        fail(fileEntity(rows), {
          file: file.file,
          line: problem.line,
          code: 'MALFORMED_FILE',
          message,
          raw: {},
        });
      },
    );
    for await (const record of records) {
      if (ctx.left <= 0) break;
      if (Object.values(record.values).every((v) => (v ?? '').trim() === '')) {
        summary.blank += 1;
        continue;
      }
      ctx.left -= 1;
      const mapped = (rows as FileRows).map(record.line, record.values);
      if ('untyped' in mapped) {
        fail(undefined, {
          file: file.file,
          line: record.line,
          code: 'UNKNOWN_ENTITY',
          message: mapped.untyped,
          raw: record.values,
        });
      } else if (!mapped.ok) {
        const { failure } = mapped;
        fail(failure.entity, { ...failure, message: `${describePosition(failure)}: ${failure.message}` });
      } else {
        await take(mapped.row, ctx, count);
      }
    }
  } catch (error) {
    summary.error = `could not be read: ${(error as Error).message}`;
    fail(fileEntity(rows), {
      file: file.file,
      line: 0,
      code: 'MALFORMED_FILE',
      message: `${file.file}: ${summary.error}`,
      raw: {},
    });
  }
  if (rows && !rows.entity && !summary.error) summary.error = rows.unknownFile();
  summary.entity = rows?.entity;
  return summary;
}

const fileEntity = (rows: FileRows | undefined): Entity | undefined =>
  rows?.entity && rows.entity !== 'mixed' ? rows.entity : undefined;

/** A valid row: merged into an earlier row with the same key, or written to its entity's chunks. */
async function take(row: SourceRow, ctx: SplitContext, count: (e: Entity, what: 'rows' | 'merged') => void) {
  count(row.entity, 'rows');
  const seenKey = row.key ? `${row.entity}|${row.key}` : undefined;
  const first = seenKey ? ctx.firstSeen.get(seenKey) : undefined;
  if (first && row.key) {
    const fill = fillFrom(first, row.fields);
    const merged: MergedRow = {
      entity: row.entity,
      file: row.file,
      line: row.line,
      intoFile: first.file,
      intoLine: first.line,
      key: row.key,
      fill,
      raw: row.raw,
    };
    ctx.merges.set(row.entity, [...(ctx.merges.get(row.entity) ?? []), merged]);
    count(row.entity, 'merged');
    return;
  }
  if (seenKey)
    ctx.firstSeen.set(seenKey, { file: row.file, line: row.line, have: Object.keys(row.fields).join(',') });
  await ctx.writer.add(row);
}

/** Duplicate rows merge into the first: the first non-blank value of each field wins. */
function fillFrom(first: FirstSeen, fields: SourceRow['fields']): SourceRow['fields'] {
  const have = new Set(first.have.split(','));
  const fill: SourceRow['fields'] = {};
  for (const [name, value] of Object.entries(fields)) {
    if (have.has(name) || value === '') continue;
    fill[name] = value;
    have.add(name);
  }
  first.have = [...have].join(',');
  return fill;
}
