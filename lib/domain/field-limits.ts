import type { ColumnRole } from './columns.ts';
import type { FieldValue } from './entities.ts';

/** The longest value each field takes, in characters, by role (`*`: any other field). */
export type FieldLimits = Partial<Record<ColumnRole | '*', number>>;

/**
 * Neither target's reference states a length (shared/contracts/ has none), so both profiles assume
 * these: 255, a common column size, and 10,000 for notes. A job whose target takes more says so in
 * manifest.json `fieldLimits`.
 */
export const DEFAULT_FIELD_LIMITS: FieldLimits = { '*': 255, notes: 10_000 };

/** The role a field of a row is read from, where its name is not the role's. */
const FIELD_ROLES: Record<string, ColumnRole> = {
  domains: 'domain',
  purchase_price: 'price',
  closing_date: 'close_date',
};

export const roleOfField = (field: string): ColumnRole => (FIELD_ROLES[field] ?? field) as ColumnRole;

/**
 * Fields a line break never belongs in. A name over several lines is what a stray quote makes: it opens
 * a value that a quote on a later line closes, and the rows between become that one value.
 */
const ONE_LINE = new Set<string>(['name', 'first_name', 'last_name']);
const LINE_BREAK = /\r\n|\r|\n/g;

/** What is wrong with a field's value before it is sent: too long, holding U+FFFD, a name over lines. */
export function fieldProblem(field: string, value: FieldValue, limits: FieldLimits = {}): string | undefined {
  const role = roleOfField(field);
  const limit = limits[role] ?? DEFAULT_FIELD_LIMITS[role] ?? limits['*'] ?? DEFAULT_FIELD_LIMITS['*'];
  for (const text of typeof value === 'string' ? [value] : Array.isArray(value) ? value : []) {
    if (text.includes('\uFFFD'))
      return `'${shown(text)}' holds \uFFFD, a character an earlier conversion of the file lost: write the value again`;
    const breaks = ONE_LINE.has(field) ? (text.match(LINE_BREAK)?.length ?? 0) : 0;
    if (breaks)
      return `'${shown(text.replace(LINE_BREAK, ' / '))}' runs over ${breaks + 1} lines of the file, where a name takes one: a quote on this line probably opens a value that a quote on a later line closes; fix the quotes and drop the rows again`;
    if (limit !== undefined && text.length > limit)
      return `${text.length.toLocaleString('en-US')} characters, more than the ${limit} assumed for ${role} (raise it with "fieldLimits" in manifest.json if the target takes more)`;
  }
  return undefined;
}

/** A value as a message quotes it: the start of a long one, never megabytes of it. */
export const shown = (text: string): string => (text.length > 60 ? `${text.slice(0, 60)}…` : text);
