import { resolveColumns } from '#domain/columns.ts';
import type { Entity, MergedRow, SourceRow } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { type Counters, type ExecutionInput, emptyCounters, type JobState } from '#domain/job-state.ts';
import { type RowFailure, toSourceRow } from '#domain/rows.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';
import { storeFor } from '../commons/pipeline.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { entityOf, type JobFile, resolveJobFiles } from './job-files.ts';
import { readCsv } from './read-csv.ts';

export interface FileSummary {
  file: string;
  entity?: Entity;
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

/** Stream every file of the job from S3, map and validate its rows, merge duplicates, write chunks. */
export async function split(input: ExecutionInput, deps: PipelineDeps): Promise<JobState> {
  const store = storeFor(deps, input.bucket);
  const keys = jobKeys(input.jobId);
  const files = await resolveJobFiles(store, input.source.key);
  const writer = new ChunkWriter(store, input.jobId, deps.config.chunkRows ?? 500);
  const failures: SplitFailure[] = [];
  const merges = new Map<Entity, MergedRow[]>();
  const firstSeen = new Map<string, FirstSeen>();
  const summaries: FileSummary[] = [];

  for (const file of files) {
    summaries.push(await splitFile(store, file, { writer, failures, merges, firstSeen }));
  }
  await writer.close();
  for (const [entity, rows] of merges) await store.putNdjson(keys.merges(entity), rows);
  await store.putNdjson(keys.splitFailures, failures);
  const plan: SplitPlan = { jobId: input.jobId, files: summaries, chunks: writer.parts };
  await store.putJson(keys.plan, plan);

  const counts = countsFrom(summaries);
  const rows = Object.values(counts).reduce((n, c) => n + c.rows, 0);
  deps.logger?.info('split done', { jobId: input.jobId, files: summaries.length, rows });
  return {
    ...input,
    stage: 'split',
    done: true,
    wait: { seconds: 0, reason: '' },
    cursor: {},
    progress: {
      stage: 'split',
      step: `${rows} rows in ${summaries.length} file(s)`,
      done: rows,
      total: rows,
    },
    counts,
    requests: { sent: 0, throttled: 0 },
  };
}

interface SplitContext {
  writer: ChunkWriter;
  failures: SplitFailure[];
  merges: Map<Entity, MergedRow[]>;
  firstSeen: Map<string, FirstSeen>;
}

async function splitFile(store: ObjectStore, file: JobFile, ctx: SplitContext): Promise<FileSummary> {
  const summary: FileSummary = { file: file.file, rows: 0, blank: 0, failed: 0, merged: 0 };
  let entity: Entity | undefined;
  let roles: ReturnType<typeof resolveColumns> = {};
  // Every failure stands for one row in, so the summary's counts still add up.
  const fileFailure = (
    code: 'MALFORMED_FILE' | 'UNKNOWN_ENTITY',
    line: number,
    message: string,
    raw = {},
  ) => {
    ctx.failures.push({ file: file.file, line, code, message, raw, entity });
    summary.rows += 1;
    summary.failed += 1;
  };
  const unknown = () =>
    `cannot tell what ${file.file} holds: name it companies.csv, people.csv, deals.csv or deal_people.csv, or give its entity in manifest.json`;
  try {
    const records = readCsv(
      await store.getStream(file.key),
      (headers) => {
        entity = entityOf(file, headers);
        roles = entity ? resolveColumns(entity, headers, file.columns) : {};
      },
      (problem) =>
        fileFailure(
          'MALFORMED_FILE',
          problem.line,
          `${describePosition({ file: file.file, line: problem.line })}: ${problem.message}`,
        ),
    );
    for await (const record of records) {
      if (Object.values(record.values).every((v) => (v ?? '').trim() === '')) {
        summary.blank += 1;
        continue;
      }
      if (!entity) {
        fileFailure(
          'UNKNOWN_ENTITY',
          record.line,
          `${describePosition({ file: file.file, line: record.line })}: ${unknown()}`,
          record.values,
        );
        continue;
      }
      summary.rows += 1;
      const result = toSourceRow({ entity, file: file.file, line: record.line, roles, raw: record.values });
      if (!result.ok) {
        const { failure } = result;
        failure.message = `${describePosition(failure)}: ${failure.message}`;
        ctx.failures.push(failure);
        summary.failed += 1;
        continue;
      }
      const row = result.row;
      const first = row.key ? ctx.firstSeen.get(`${entity}|${row.key}`) : undefined;
      if (first && row.key) {
        const fill = fillFrom(first, row.fields);
        const merged: MergedRow = {
          entity,
          file: row.file,
          line: row.line,
          intoFile: first.file,
          intoLine: first.line,
          key: row.key,
          fill,
          raw: row.raw,
        };
        ctx.merges.set(entity, [...(ctx.merges.get(entity) ?? []), merged]);
        summary.merged += 1;
        continue;
      }
      if (row.key)
        ctx.firstSeen.set(`${entity}|${row.key}`, {
          file: row.file,
          line: row.line,
          have: Object.keys(row.fields).join(','),
        });
      await ctx.writer.add(row);
    }
  } catch (error) {
    fileFailure('MALFORMED_FILE', 0, `${file.file}: could not be read: ${(error as Error).message}`);
    summary.error = (error as Error).message;
  }
  if (!entity && !summary.error) summary.error = unknown();
  summary.entity = entity;
  return summary;
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

/** rows per entity = created + updated + skipped + merged + failed + held, once every stage has run. */
function countsFrom(files: FileSummary[]): Record<string, Counters> {
  const counts: Record<string, Counters> = {};
  for (const f of files) {
    if (!f.rows) continue;
    const key = f.entity ?? 'unknown';
    const c = counts[key] ?? emptyCounters();
    counts[key] = c;
    c.rows += f.rows;
    c.merged += f.merged;
    c.failed += f.failed;
  }
  return counts;
}
