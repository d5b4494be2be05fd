import type { ColumnRole } from './columns.ts';
import type { Entity, FieldValue, SourceRow } from './entities.ts';
import { MAPPERS } from './row-mappers.ts';

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

export type RowResult = { ok: true; row: SourceRow } | { ok: false; failure: RowFailure };

export interface RowInput {
  entity: Entity;
  file: string;
  line: number;
  roles: Partial<Record<ColumnRole, string>>;
  raw: Record<string, string>;
  /** Values for roles the file has no column for (a manifest's per-file defaults, e.g. contact_type). */
  defaults?: Partial<Record<ColumnRole, string>>;
}

/** What a mapper works with: the row's values by role, and a way to fail naming the column. */
export interface MapContext {
  value(role: ColumnRole): string;
  /** Whether the file has a column for the role. */
  has(role: ColumnRole): boolean;
  fail(role: ColumnRole | undefined, message: string): RowResult;
  fields: Record<string, FieldValue>;
  refs: SourceRow['refs'];
}

export type Mapper = (ctx: MapContext) => { key?: string } | RowResult;

/** One CSV record to a validated SourceRow, or a failure that names the file, line and column. */
export function toSourceRow(input: RowInput): RowResult {
  const { entity, file, line, roles, raw } = input;
  const fields: Record<string, FieldValue> = {};
  const refs: SourceRow['refs'] = {};
  const ctx: MapContext = {
    value: (role) => {
      const column = roles[role];
      const text = column === undefined ? '' : (raw[column] ?? '').trim();
      return text || (input.defaults?.[role] ?? '').trim();
    },
    has: (role) => roles[role] !== undefined,
    fail: (role, message) => ({
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
    }),
    fields,
    refs,
  };
  const mapped = MAPPERS[entity](ctx);
  if ('ok' in mapped) return mapped;
  const ref = ctx.value('ref') || undefined;
  const key = entity === 'deal' && ref ? `ref:${ref}` : mapped.key;
  return {
    ok: true,
    row: { entity, file, line, ...(ref ? { ref } : {}), ...(key ? { key } : {}), fields, refs, raw },
  };
}
