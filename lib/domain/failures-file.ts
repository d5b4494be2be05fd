import type { Entity } from './entities.ts';
import { FAILURE_COLUMNS, unguarded } from './failures-csv.ts';
import type { RowTyping } from './row-types.ts';

/** A failures.csv the user fixed and dropped back in: it has every column the report adds. */
export const isFailuresFile = (headers: readonly string[]): boolean =>
  FAILURE_COLUMNS.every((column) => headers.includes(column));

/** Each row of a dropped failures.csv is the entity its `entity` column names. */
export function failuresTyping(entities: readonly Entity[]): RowTyping {
  return {
    column: 'entity',
    allowed: [...entities],
    typeOf: (value) => {
      const entity = value.trim().toLowerCase() as Entity;
      return entities.includes(entity) ? { entity: entity as never } : undefined;
    },
  };
}

/**
 * The row's own columns, as the original file had them: our columns dropped, `original_x` back to `x`,
 * and the `'` failures.csv put before a cell that starts like a formula taken off again.
 */
export function originalColumns(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const ours: readonly string[] = FAILURE_COLUMNS;
  for (const [column, value] of Object.entries(raw)) {
    if (ours.includes(column)) continue;
    const name = column.startsWith('original_') && ours.includes(column.slice(9)) ? column.slice(9) : column;
    out[name] = unguarded(value);
  }
  return out;
}
