import type { CountryCode } from 'libphonenumber-js';
import { Metadata } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { mulberry32 } from '#sandbox/common/seeded-random.ts';

/** A text and the region it is read in. */
export interface PhoneInput {
  text: string;
  region: CountryCode;
}

/** The regions national numbers are written in most, and those whose prefixes rewrite numbers. */
export const CORPUS_REGIONS: CountryCode[] = [
  'US',
  'CA',
  'GB',
  'DE',
  'FR',
  'IT',
  'RU',
  'KZ',
  'BR',
  'AU',
  'IN',
  'JP',
  'AR',
  'MX',
  'NZ',
];

/** What of the library's Metadata class the corpus reads (its typings declare only selectNumberingPlan). */
interface PlanReader {
  selectNumberingPlan(countryOrCallingCode: string): void;
  countryCallingCode(): string;
  nationalNumberPattern(): string;
  leadingDigits(): string | undefined;
  possibleLengths(): number[] | undefined;
  type(type: string): { pattern(): string } | undefined;
  numberingPlan: { nationalPrefix(): string | undefined };
}

/** Every number type the metadata may describe (helpers/getNumberType.js). */
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'PERSONAL_NUMBER',
  'VOICEMAIL',
  'UAN',
  'PAGER',
  'VOIP',
  'SHARED_COST',
];

/**
 * A deterministic corpus of phones (the same at every run) that walks every path of libphonenumber-js's
 * parse: every calling code with national numbers of every length; each country's own numbers, made
 * from its number patterns and leading digits, written international and national, with its national
 * prefix, and with a digit changed, dropped or added; national numbers in the usual regions behind the
 * prefixes the library rewrites (0, 1, 00, 011, 8, 810, the calling code); random strings of phone
 * characters; and text with what the fast path leaves to the library.
 */
export function phoneCorpus(seed: number): PhoneInput[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const digits = (length: number) => Array.from({ length }, () => String(Math.floor(next() * 10))).join('');
  const write = (national: string) => written(national, next);
  const corpus: PhoneInput[] = [];
  const add = (text: string, region: CountryCode) => corpus.push({ text, region });
  const reader = new Metadata(metadata) as unknown as PlanReader;

  const callingCodes = [
    ...Object.keys(metadata.country_calling_codes),
    ...Object.keys(metadata.nonGeographic ?? {}),
  ];
  for (const code of callingCodes) {
    for (let length = 1; length <= 17; length++) {
      for (let i = 0; i < 4; i++) {
        const national = digits(length);
        add(international(code, national, next), pick(CORPUS_REGIONS));
        add(`${code}${pick(['', ' ', '-'])}${write(national)}`, pick(CORPUS_REGIONS));
      }
    }
  }

  for (const country of Object.keys(metadata.countries) as CountryCode[]) {
    reader.selectNumberingPlan(country);
    const code = reader.countryCallingCode();
    const lengths = reader.possibleLengths() ?? [8, 10];
    const prefix = reader.numberingPlan.nationalPrefix() ?? '';
    const patterns = TYPES.flatMap((type) => reader.type(type)?.pattern() || []);
    const numbers = [(examples as Record<string, string | undefined>)[country] ?? digits(pick(lengths))];
    for (const pattern of [reader.nationalNumberPattern(), ...patterns]) {
      for (let i = 0; i < 10; i++) numbers.push(sample(pattern, next));
    }
    const leading = reader.leadingDigits();
    for (let i = 0; leading && i < 12; i++) {
      const start = sample(leading, next);
      numbers.push(start + digits(Math.max(0, pick(lengths) - start.length)));
    }
    for (const national of numbers) {
      for (const variant of [national, mutated(national, next)]) {
        add(international(code, variant, next), country);
        add(write(variant), country);
        add(`${prefix}${pick(['', ' '])}${write(variant)}`, country);
        add(international(code, variant, next), pick(CORPUS_REGIONS));
      }
    }
  }

  for (const region of CORPUS_REGIONS) {
    reader.selectNumberingPlan(region);
    const code = reader.countryCallingCode();
    for (const prefix of ['', '0', '1', '00', '011', '8', '810', code, `0${code}`, `00${code}`, '7', '9']) {
      for (let length = 1; length <= 17; length++) {
        for (let i = 0; i < 10; i++) add(`${prefix}${pick(['', ' ', '-'])}${write(digits(length))}`, region);
      }
    }
  }

  const phoneCharacters = '0123456789 -.()+';
  for (let i = 0; i < 20_000; i++) {
    const length = 1 + Math.floor(next() * 24);
    add(
      Array.from({ length }, () => pick([...phoneCharacters, ...'0123456789'])).join(''),
      pick(CORPUS_REGIONS),
    );
  }
  const strange = [
    '#',
    ';',
    ',',
    'x',
    'ext.',
    ' ext ',
    'tel:',
    '\t',
    '\u00a0',
    '／',
    '＋',
    '０',
    '٣',
    '~',
    '*',
    'a',
  ];
  for (let i = 0; i < 6_000; i++) {
    const text = international(pick(callingCodes), digits(4 + Math.floor(next() * 10)), next);
    const at = Math.floor(next() * (text.length + 1));
    add(`${text.slice(0, at)}${pick(strange)}${text.slice(at)}`, pick(CORPUS_REGIONS));
  }
  return corpus;
}

/** A national number written as exports write it: groups, separators, an area code in parentheses. */
function written(national: string, next: () => number): string {
  const shape = Math.floor(next() * 6);
  if (shape === 0) return national;
  if (shape === 1 && national.length > 6) {
    return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
  }
  const separator = [' ', '-', '.', ' - ', '  ', '('][Math.floor(next() * 6)] as string;
  const groups: string[] = [];
  for (let at = 0; at < national.length; ) {
    const size = 1 + Math.floor(next() * 4);
    groups.push(national.slice(at, at + size));
    at += size;
  }
  const text = groups.join(separator === '(' ? ') ' : separator);
  return shape === 5 ? `(${text})` : text;
}

/** An international number: `+` and the calling code, joined to the national number in several ways. */
function international(code: string, national: string, next: () => number): string {
  switch (Math.floor(next() * 6)) {
    case 0:
      return `+${code}${national}`;
    case 1:
      return `+${code} ${written(national, next)}`;
    case 2:
      return `+${code} (${national.slice(0, 3)}) ${national.slice(3)}`;
    case 3:
      return `(+${code}) ${written(national, next)}`;
    case 4:
      return `+${written(code + national, next)}`;
    default:
      return ` + ${code}-${written(national, next)} `;
  }
}

/** The number with one digit changed, dropped or added. */
function mutated(national: string, next: () => number): string {
  const at = Math.floor(next() * national.length);
  const digit = String(Math.floor(next() * 10));
  const change = Math.floor(next() * 3);
  if (change === 0) return `${national.slice(0, at)}${digit}${national.slice(at + 1)}`;
  if (change === 1) return `${national.slice(0, at)}${national.slice(at + 1)}`;
  return `${national.slice(0, at)}${digit}${national.slice(at)}`;
}

/**
 * A random string the pattern matches entirely, for the syntax the metadata's patterns use: digits,
 * `\d`, classes with ranges, groups, alternatives, `?`, `{n}` and `{n,m}` (and `$`, which writes nothing).
 */
export function sample(pattern: string, next: () => number): string {
  const write = (options: Piece[][]): string => {
    let text = '';
    for (const piece of options[Math.floor(next() * options.length)] as Piece[]) {
      const times = piece.min + Math.floor(next() * (piece.max - piece.min + 1));
      for (let i = 0; i < times; i++) {
        text +=
          'set' in piece.atom
            ? piece.atom.set[Math.floor(next() * piece.atom.set.length)]
            : write(piece.atom.group);
      }
    }
    return text;
  };
  return write(parsed(pattern));
}

type Piece = { atom: { set: string[] } | { group: Piece[][] }; min: number; max: number };

/** A pattern as its alternatives, each a sequence of quantified atoms. */
function parsed(pattern: string): Piece[][] {
  let at = 0;
  const alternatives = (): Piece[][] => {
    const options: Piece[][] = [[]];
    while (at < pattern.length && pattern[at] !== ')') {
      if (pattern[at] === '|') {
        at++;
        options.push([]);
        continue;
      }
      const atom = atomAt();
      const [min, max] = quantifier();
      options.at(-1)?.push({ atom, min, max });
    }
    return options;
  };
  const atomAt = (): Piece['atom'] => {
    const c = pattern[at] as string;
    if (c === '\\') {
      if (pattern[at + 1] !== 'd')
        throw new Error(`No sampling of ${pattern.slice(at, at + 2)} in ${pattern}`);
      at += 2;
      return { set: [...DIGITS] };
    }
    if (c === '[') {
      const end = pattern.indexOf(']', at);
      const body = pattern.slice(at + 1, end);
      at = end + 1;
      return { set: characters(body) };
    }
    if (c === '(') {
      at += pattern.startsWith('(?:', at) ? 3 : 1;
      const group = alternatives();
      at++;
      return { group };
    }
    at++;
    if (c === '$') return { set: [''] };
    if (!/[0-9]/.test(c)) throw new Error(`No sampling of ${c} in ${pattern}`);
    return { set: [c] };
  };
  const quantifier = (): [number, number] => {
    const c = pattern[at];
    if (c === '?') {
      at++;
      return [0, 1];
    }
    if (c !== '{') return [1, 1];
    const end = pattern.indexOf('}', at);
    const [min, max] = pattern
      .slice(at + 1, end)
      .split(',')
      .map(Number) as [number, number | undefined];
    at = end + 1;
    return [min, max ?? min];
  };
  return alternatives();
}

const DIGITS = '0123456789';

/** The characters of a class body: digits, ranges, `\d`. */
function characters(body: string): string[] {
  const set: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      set.push(...DIGITS);
      i++;
    } else if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) set.push(String.fromCharCode(c));
      i += 2;
    } else set.push(body[i] as string);
  }
  return set;
}

/** A seeded generator, so the corpus is the same at every run. */
export const random = mulberry32;
