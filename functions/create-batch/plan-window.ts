import type { RecordEntity, SourceRow } from '#domain/entities.ts';
import { describePosition } from '#domain/errors.ts';
import { isNamesakeKey, nameOf, namesakeKey } from '#domain/namesakes.ts';
import { type Outcome, withSource } from '#domain/outcomes.ts';
import { ambiguity, askOf, dealKey, ownKeys, type ReferenceIndex } from '#domain/references.ts';
import { fillBlanks } from '#domain/rows.ts';
import { canonicalValue, type Enums, VOCABULARY_FIELDS } from '#domain/value-maps.ts';
import type { ExistingRecord, NewRecord } from '#targets/target.ts';
import { changesFor, type OnExisting } from './changes.ts';

export interface WindowContext {
  entity: RecordEntity;
  /** Records the target already holds, by match key. */
  existing: Map<string, ExistingRecord>;
  /** What to do with a row whose record exists: skip it (default) or update it. */
  onExisting?: OnExisting;
  /** The entity this one points at (a person's company, an escrow's client) and where its references go. */
  parent?: { entity: RecordEntity; refs: ReferenceIndex };
  merges: Map<string, { fill: SourceRow['fields'] }[]>;
  maxBatch: number;
  /** The import marker, stamped on every record of targets that carry one. */
  marker?: string;
  /**
   * The vocabularies the target declared at run time (Clarify's person lifecycle and deal stages, from
   * `GET /schemas`): a value outside them fails its row here, before it can sink an atomic batch.
   */
  vocabulary?: Enums;
  /** Per input file, header -> the field it was read as (split's `recognized`): a failure names its column. */
  columns?: Map<string, Record<string, string>>;
}

export interface PlannedRow {
  row: SourceRow;
  /** Settled without a request (exists, bad reference, dependency failed), or null: to be created. */
  outcome: Outcome | null;
  record?: NewRecord;
  matchKey?: string;
  /** An existing record to PATCH instead of a create: only the fields that change. */
  update?: { id: string; record: NewRecord };
  /** How a vocabulary value was put in the target's spelling, for the report's cleaning counts. */
  matched?: Outcome['matched'];
}

/**
 * Decide every row from `start` on until `maxBatch` of them need creating: the window one request serves.
 * Rows that already exist are skipped with the existing id; rows whose company failed are held.
 */
export function planWindow(
  rows: SourceRow[],
  start: number,
  ctx: WindowContext,
): { end: number; planned: PlannedRow[] } {
  const planned: PlannedRow[] = [];
  let toCreate = 0;
  let i = start;
  for (; i < rows.length && toCreate < ctx.maxBatch; i++) {
    const p = planRow(rows[i] as SourceRow, ctx);
    if (!p.outcome) toCreate += 1;
    planned.push(p);
  }
  return { end: i, planned };
}

/** The row with the blanks its later duplicates fill in. */
export function withMerges(source: SourceRow, merges: WindowContext['merges']): SourceRow {
  const row: SourceRow = { ...source, fields: { ...source.fields } };
  for (const merge of merges.get(`${row.file}|${row.line}`) ?? []) fillBlanks(row.fields, merge.fill);
  return row;
}

/**
 * What a row is matched against the target's records by: its key, or a deal's name within its company.
 * A row with neither (a person without an email) has its namesake key, which only refuses a second record.
 */
export const matchKeyOf = (entity: RecordEntity, row: SourceRow, parentId: string | undefined) =>
  entity === 'deal'
    ? dealKey(String(row.fields.name), parentId)
    : (row.key ?? namesakeKey(row.fields, parentId));

/** What a record the target holds is looked up by: its match keys, and its name within its parent. */
export function existingKeys(record: ExistingRecord): string[] {
  const parentId = record.fields?.parentId;
  const namesake = namesakeKey(record.fields ?? {}, typeof parentId === 'string' ? parentId : undefined);
  return namesake ? [...record.keys, namesake] : record.keys;
}

function planRow(source: SourceRow, ctx: WindowContext): PlannedRow {
  const row = withMerges(source, ctx.merges);
  const base = { entity: ctx.entity, file: row.file, line: row.line, raw: row.raw };
  let matched: Outcome['matched'];
  const settle = (outcome: Omit<Outcome, 'entity' | 'file' | 'line' | 'raw'>): PlannedRow => ({
    row,
    outcome: withSource({ ...base, ...outcome, ...(matched ? { matched } : {}) }, row),
  });

  let parentId: string | undefined;
  const parent = ctx.parent;
  const ask = parent ? askOf(row, parent.entity as keyof SourceRow['refs']) : undefined;
  const reference = ask?.value;
  if (parent && ask) {
    const found = parent.refs.resolve(ask);
    if (found.kind === 'ambiguous') {
      return settle({
        status: 'failed',
        code: 'AMBIGUOUS_REFERENCE',
        retryable: false,
        message: `${row.file} line ${row.line}: ${ambiguity(parent.entity, ask.aliased?.id ?? ask.value, found.by)}`,
      });
    }
    if (found.kind === 'missing') {
      return settle({
        status: 'failed',
        code: 'REFERENCE_NOT_FOUND',
        retryable: false,
        message: `${row.file} line ${row.line}: ${parent.entity} '${reference}' is neither in the export nor in the target`,
      });
    }
    if (found.kind === 'unavailable') {
      const why = found.by.status === 'held' ? 'is held' : 'failed';
      return settle({
        status: 'held',
        code: 'DEPENDENCY_FAILED',
        // Behind a row that failed for its data, it waits for the user, not for the schedule.
        retryable: found.by.retryable !== false,
        message:
          `${row.file} line ${row.line}: waits for ${parent.entity} '${reference}' (${found.by.file} line ${found.by.line}), which ${why}: ${found.by.message ?? ''}`.trim(),
      });
    }
    parentId = found.id;
  }
  const vocabulary = checkVocabulary(row, ctx);
  if ('problem' in vocabulary) {
    return settle({ status: 'failed', code: 'INVALID_ROW', retryable: false, message: vocabulary.problem });
  }
  matched = vocabulary.matched;
  const key = matchKeyOf(ctx.entity, row, parentId);
  // A namesake key is no key to skip, update or reconcile by: it only keeps a second record out.
  const namesake = key !== undefined && isNamesakeKey(key);
  const matchKey = namesake ? undefined : key;
  const keys = [...new Set([...ownKeys(row), ...(matchKey ? [matchKey] : [])])];
  const existing = key ? ctx.existing.get(key) : undefined;
  if (existing && namesake) {
    const within = parentId ? ` at the same ${parent?.entity}` : '';
    return settle({
      status: 'failed',
      code: 'DUPLICATE',
      retryable: false,
      message: `${row.file} line ${row.line}: the target already holds a ${ctx.entity} named '${nameOf(row.fields)}'${within} (${existing.id}), and this row has no email to tell them apart, so it is not created a second time (a re-run of the same file would do that): if it is someone else, add the email and import it again`,
    });
  }
  if (existing) {
    const changes =
      ctx.onExisting?.mode === 'update'
        ? changesFor(row.fields, parentId, existing, ctx.onExisting)
        : undefined;
    if (!changes) {
      const message =
        ctx.onExisting?.mode === 'update'
          ? 'already in the target, nothing to update'
          : 'already in the target';
      return settle({ status: 'skipped', id: existing.id, keys, message });
    }
    return {
      row,
      outcome: null,
      matchKey,
      update: {
        id: existing.id,
        record: { ...changes, ...(existing.fields ? { current: existing.fields } : {}) },
      },
      ...(matched ? { matched } : {}),
    };
  }
  const record = {
    fields: row.fields,
    ...(parentId ? { parentId } : {}),
    ...(ctx.marker ? { marker: ctx.marker } : {}),
  };
  return { row, outcome: null, matchKey, record, ...(matched ? { matched } : {}) };
}

/**
 * Puts the row's vocabulary values in the target's spelling (case, the built-in maps of HubSpot,
 * Salesforce and Pipedrive words), or says why one is not in the target's list, naming the column as
 * split names the columns of the rows it fails.
 */
function checkVocabulary(
  row: SourceRow,
  ctx: WindowContext,
): { matched?: Outcome['matched'] } | { problem: string } {
  let matched: Outcome['matched'];
  if (!ctx.vocabulary) return {};
  for (const field of VOCABULARY_FIELDS) {
    const value = row.fields[field];
    if (typeof value !== 'string' || !ctx.vocabulary[field]) continue;
    const result = canonicalValue(field, value, { enums: ctx.vocabulary });
    if (!result.ok) {
      const column = columnOf(ctx.columns?.get(row.file), field);
      const at = describePosition({ file: row.file, line: row.line, ...(column ? { column } : {}) });
      return { problem: `${at}: ${result.message} (the workspace's list of ${field} values)` };
    }
    if (result.how === 'case') matched ??= 'case';
    if (result.how === 'mapped') matched = 'mapped';
    row.fields[field] = result.value;
  }
  return matched ? { matched } : {};
}

/** The header a field was read from; a deal's stage may come from its won/lost status column. */
function columnOf(columns: Record<string, string> | undefined, field: string): string | undefined {
  if (!columns) return undefined;
  const headers = Object.keys(columns);
  return (
    headers.find((h) => columns[h] === field) ??
    headers.find((h) => field === 'stage' && columns[h] === 'status')
  );
}
