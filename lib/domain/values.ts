import { z } from 'zod';
import type { FieldValue } from './entities.ts';

/**
 * zod's email pattern (what `z.email()` checks), tested directly: `safeParse` builds a result and its
 * context for every value, and split asks once a row. A string is valid exactly when it matches.
 */
const EMAIL = z.regexes.email;
const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$/;

/** `https://www.Acme.com/about` -> `acme.com`; undefined when what is left is not a domain. */
export function domainFrom(value: string): string | undefined {
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
    .replace(/\.$/, '');
  return DOMAIN.test(host) ? host : undefined;
}

/** The first address of a list ("a@x.com, b@y.com"), trimmed and lower-cased. */
export const firstEmail = (value: string): string =>
  (SEPARATED.test(value) ? (value.split(/[,;\s]+/).find((v) => v !== '') ?? '') : value).toLowerCase();

/** A value with a list separator or a space in it (most hold one address, and need no splitting). */
const SEPARATED = /[,;\s]/;

export const isEmail = (value: string): boolean => EMAIL.test(value);

/** `$1,200.50` -> 1200.5; undefined when it is not a number. */
export function amountFrom(value: string): number | undefined {
  const cleaned = value.replace(/[\s$€£¥]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/** "Jane van Doe" -> ["Jane", "van Doe"]. */
export const splitName = (full: string): [string, string] => {
  const [first = '', ...rest] = full.split(/\s+/);
  return [first, rest.join(' ')];
};

/** Fill the blanks of `into` from `from` (first non-blank value wins); returns the fields it filled. */
export function fillBlanks(into: Record<string, FieldValue>, from: Record<string, FieldValue>) {
  const filled: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(from)) {
    if (into[name] === undefined || into[name] === '') {
      into[name] = value;
      filled[name] = value;
    }
  }
  return filled;
}
