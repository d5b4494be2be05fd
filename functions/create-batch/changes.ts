import type { FieldValue } from '#domain/entities.ts';
import type { ExistingRecord, NewRecord } from '#targets/target.ts';

export interface OnExisting {
  mode: 'skip' | 'update';
  /** Overwrite values the record has; by default only its blanks are filled. */
  overwrite?: boolean;
}

/** The match key's own field never changes: it is how the record was found. */
const KEY_FIELDS = new Set(['email', 'domains']);

const blank = (value: FieldValue | undefined) =>
  value === undefined || value === '' || (Array.isArray(value) && !value.length);
const same = (a: FieldValue | undefined, b: FieldValue) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What an update of an existing record sends: the row's fields the record lacks (or, overwriting, has
 * differently), never a field the file does not have. Undefined when there is nothing to change.
 */
export function changesFor(
  fields: Record<string, FieldValue>,
  parentId: string | undefined,
  existing: ExistingRecord,
  options: OnExisting,
): NewRecord | undefined {
  const current = existing.fields ?? {};
  const changes: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (KEY_FIELDS.has(name) || blank(value)) continue;
    if (options.overwrite ? !same(current[name], value) : blank(current[name])) changes[name] = value;
  }
  const currentParent = typeof current.parentId === 'string' ? current.parentId : undefined;
  const parentChanges =
    parentId !== undefined && (options.overwrite ? currentParent !== parentId : !currentParent);
  if (!Object.keys(changes).length && !parentChanges) return undefined;
  return { fields: changes, ...(parentChanges ? { parentId } : {}) };
}
