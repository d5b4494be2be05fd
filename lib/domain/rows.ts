import type { CountryCode } from 'libphonenumber-js';
import type { CleaningCounter, CleaningSink, WarningKind } from './cleaning.ts';
import type { ColumnRole } from './columns.ts';
import type { Entity, FieldValue, SourceRow } from './entities.ts';
import { type FieldLimits, fieldProblem, roleOfField } from './field-limits.ts';
import { MAPPERS } from './row-mappers.ts';
import type { Enums, ValueMaps } from './value-maps.ts';

export { amountFrom, domainFrom, fillBlanks, firstEmail, isEmail, splitName } from './values.ts';

export interface RowFailure {
  entity: Entity;
  file: string;
  line: number;
  column?: string;
  code: 'INVALID_ROW';
  message: string;
  raw: Record<string, string>;
}

/** A deal <-> person pair a row's association columns name ("Associated Deal IDs" on a contact). */
export interface Association {
  deal: string;
  person: string;
}

export type RowResult =
  | { ok: true; row: SourceRow; associations: Association[] }
  | { ok: false; failure: RowFailure };

/** The job's cleaning rules: the target's enums, value maps, the region phones are read in. */
export interface RowRules {
  enums?: Enums;
  valueMaps?: ValueMaps;
  phoneRegion?: CountryCode;
  /** The longest value per field the target takes (its profile's, under the manifest's `fieldLimits`). */
  fieldLimits?: FieldLimits;
}

export interface RowInput {
  entity: Entity;
  file: string;
  line: number;
  roles: Partial<Record<ColumnRole, string>>;
  raw: Record<string, string>;
  /** Values for roles the file has no column for (a manifest's per-file defaults, e.g. contact_type). */
  defaults?: Partial<Record<ColumnRole, string>>;
  rules?: RowRules;
  /** Where the rules count what they changed and warn about what they left out. */
  sink?: CleaningSink;
  /**
   * Columns that share a name in the file (`Email`, `Email (2)`): a role read from the first of them
   * takes the first that is not blank.
   */
  sameNames?: readonly (readonly string[])[];
}

/** What a mapper works with: the row's values by role, and a way to fail naming the column. */
export interface MapContext {
  value(role: ColumnRole): string;
  /** Whether the file has a column for the role. */
  has(role: ColumnRole): boolean;
  fail(role: ColumnRole | undefined, message: string): RowResult;
  count(counter: CleaningCounter): void;
  /** A value left out of the record (not a failure): reported with the row's place. */
  warn(role: ColumnRole, message: string, kind?: WarningKind): void;
  rules: RowRules;
  fields: Record<string, FieldValue>;
  refs: SourceRow['refs'];
  /** The other side of each association: deal refs on a person row, person refs on a deal row. */
  associated: string[];
}

export type Mapper = (ctx: MapContext) => { key?: string } | RowResult;

/**
 * The context of one row. A class rather than an object of closures: a split maps every row of a file,
 * and methods on the prototype are not allocated again for each one.
 */
class RowContext implements MapContext {
  readonly fields: Record<string, FieldValue> = {};
  readonly refs: SourceRow['refs'] = {};
  readonly associated: string[] = [];
  readonly rules: RowRules;

  constructor(private readonly input: RowInput) {
    this.rules = input.rules ?? {};
  }

  value(role: ColumnRole): string {
    const { roles, raw, defaults, sameNames } = this.input;
    const column = roles[role];
    const text = column === undefined ? '' : (raw[column] ?? '').trim();
    const same = !text && sameNames?.length ? sameNames.find((group) => group[0] === column) : undefined;
    const other = same?.map((name) => (raw[name] ?? '').trim()).find(Boolean) ?? '';
    return text || other || (defaults?.[role] ?? '').trim();
  }

  has(role: ColumnRole): boolean {
    return this.input.roles[role] !== undefined;
  }

  fail(role: ColumnRole | undefined, message: string): RowResult {
    const { entity, file, line, roles, raw } = this.input;
    return {
      ok: false,
      failure: {
        entity,
        file,
        line,
        column: role ? roles[role] : undefined,
        code: 'INVALID_ROW',
        message,
        raw,
      },
    };
  }

  count(counter: CleaningCounter): void {
    this.input.sink?.count(counter);
  }

  warn(role: ColumnRole, message: string, kind: WarningKind = 'value left out'): void {
    const { file, line, roles, sink } = this.input;
    sink?.warn({ file, line, column: roles[role], message, kind });
  }
}

/** One CSV record to a validated SourceRow, or a failure that names the file, line and column. */
export function toSourceRow(input: RowInput): RowResult {
  const { entity, file, line, raw } = input;
  const ctx = new RowContext(input);
  const { fields, refs, associated } = ctx;
  const mapped = MAPPERS[entity](ctx);
  if ('ok' in mapped) return mapped;
  const bad = checkFields(ctx, input);
  if (bad) return bad;
  const ref = ctx.value('ref') || undefined;
  const key = entity === 'deal' && ref ? `ref:${ref}` : mapped.key;
  const row: SourceRow = {
    entity,
    file,
    line,
    ...(ref ? { ref } : {}),
    ...(key ? { key } : {}),
    fields,
    refs,
    raw,
  };
  return { ok: true, row, associations: associationsOf(row, associated) };
}

/** Every value about to be sent, against the target's field lengths; the column that gave it is named. */
function checkFields(ctx: RowContext, input: RowInput): RowResult | undefined {
  for (const field in ctx.fields) {
    const value = ctx.fields[field] as FieldValue;
    const problem = fieldProblem(field, value, input.rules?.fieldLimits);
    if (!problem) continue;
    const role = roleOfField(field);
    // A name split from a full name, or joined from first and last, is named by the column it came from.
    const from = ctx.has(role) ? role : ctx.has('full_name') ? 'full_name' : 'first_name';
    return ctx.fail(from, problem);
  }
  return undefined;
}

/**
 * A row points at itself by its source id when it has one: the other side's association column names
 * that id, so both sides give the same pair and the split merges them into one link.
 */
function associationsOf(row: SourceRow, others: string[]): Association[] {
  if (!others.length) return [];
  const self = row.ref ?? (row.entity === 'person' ? (row.fields.email ?? fullName(row)) : row.fields.name);
  if (typeof self !== 'string' || !self) return [];
  return [...new Set(others)].map((other) =>
    row.entity === 'person' ? { deal: other, person: self } : { deal: self, person: other },
  );
}

const fullName = (row: SourceRow) =>
  [row.fields.first_name, row.fields.last_name].filter(Boolean).join(' ') || undefined;

/**
 * A link row made from an association column: it belongs to the file and line it was read from. One line
 * can give several links (`9001;9002`), so its original columns gain the pair: failures.csv then says which
 * association failed, and a row is told from its siblings by file, line and columns.
 */
export function linkRow(
  from: SourceRow,
  association: Association,
  aliased?: SourceRow['aliased'],
): SourceRow {
  // The company of the row it came from tells apart two same-named people (or deals) it may name.
  const company = from.refs.company;
  return {
    entity: 'link',
    file: from.file,
    line: from.line,
    key: `link:${association.deal.toLowerCase()}|${association.person.toLowerCase()}`,
    fields: {},
    refs: { deal: association.deal, person: association.person, ...(company ? { company } : {}) },
    ...(aliased ? { aliased } : {}),
    raw: { ...from.raw, 'link deal': association.deal, 'link person': association.person },
  };
}
