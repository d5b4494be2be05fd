import type { CountryCode } from 'libphonenumber-js';
import { isoDate } from './dates.ts';
import { e164, firstPhone } from './phones.ts';
import { amountFrom, domainFrom, firstEmail, isEmail } from './values.ts';

/** What a column's values look like, when its name says nothing the synonyms know. */
export type ContentKind = 'empty' | 'email' | 'url' | 'date' | 'phone' | 'amount' | 'text';

/** The share of a column's non-blank values that must look alike for the column to be read as that kind. */
const SHARE = 0.8;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Each test in the order tried: a date is never a phone, an email never a URL. */
const TESTS: [Exclude<ContentKind, 'empty' | 'text'>, (value: string, region: CountryCode) => boolean][] = [
  ['email', (v) => isEmail(firstEmail(v))],
  [
    'url',
    (v) =>
      !v.includes('@') &&
      (SCHEME.test(v) || /^www\./i.test(v) || /\/./.test(v) || /^[\w-]+(\.[\w-]+)+$/.test(v)) &&
      domainFrom(v) !== undefined,
  ],
  ['date', (v) => isoDate(v) !== undefined],
  [
    'phone',
    (v, region) => /^[+(\d][\d\s().\-/x#ext+]*$/i.test(v) && e164(firstPhone(v).phone, region) !== undefined,
  ],
  ['amount', (v) => amountFrom(v.replace(/^[A-Z]{3}\s*|\s*[A-Z]{3}$/g, '')) !== undefined],
];

/**
 * The kind most of a column's non-blank values are (at least 80% of them), tried in the order email,
 * URL, date, phone, amount; `text` when none is, `empty` when every value is blank.
 */
export function contentOf(values: readonly string[], region: CountryCode = 'US'): ContentKind {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (!filled.length) return 'empty';
  for (const [kind, test] of TESTS) {
    const hits = filled.filter((v) => test(v, region)).length;
    if (hits >= filled.length * SHARE) return kind;
  }
  return 'text';
}
