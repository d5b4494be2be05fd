/**
 * A record without a match key (a person with no email) cannot be told apart from another of the same
 * name, and neither target can hold the source id that would recognise it as an earlier import's own.
 * Its namesake key (its name within its parent, a person's company) never settles a row as existing: it
 * only stops a second record being created, as a re-run of the same job would otherwise do.
 */

const PREFIX = 'namesake:';

type Fields = Record<string, unknown>;

/** The name a row or a target's record goes by: first and last name, else its single name. */
export function nameOf(fields: Fields): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const parts = [text(fields.first_name), text(fields.last_name)].filter(Boolean);
  const name = parts.length ? parts.join(' ') : text(fields.name);
  return name ? name.replace(/\s+/g, ' ') : undefined;
}

/** The key of a record of that name within that parent; undefined without a name. */
export function namesakeKey(fields: Fields, parentId?: string): string | undefined {
  const name = nameOf(fields);
  return name === undefined ? undefined : `${PREFIX}${name.normalize('NFC').toLowerCase()}|${parentId ?? ''}`;
}

export const isNamesakeKey = (key: string): boolean => key.startsWith(PREFIX);
