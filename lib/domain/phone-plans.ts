import { Metadata } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * libphonenumber-js's numbering plans (the `min` metadata the parser reads with), each pattern compiled
 * once: the library builds a new RegExp from a pattern at every test. Read by phone-fast.ts, which reads
 * common phones without the library, and by phone-validity.ts, which checks those the library parsed.
 */

/** The types getNumberType tries after the fixed line, in its order. */
const NON_FIXED_LINE_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

const compiled = new Map<string, RegExp>();

/**
 * A metadata pattern as matchesEntirely reads it (`^(?:pattern)$`), compiled the first time it is met
 * (the metadata has a few thousand).
 */
function entirely(pattern: string): RegExp {
  let expression = compiled.get(pattern);
  if (!expression) {
    expression = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, expression);
  }
  return expression;
}

/** isValid.js: a plan without types checks the national number pattern alone. */
export const isValid = (nationalNumber: string, plan: Plan): boolean =>
  plan.hasTypes ? isOfAnyType(nationalNumber, plan) : plan.nationalNumber.test(nationalNumber);

/** helpers/getNumberType.js: answers a type (truthy) when the pattern and one type's length and pattern match. */
export function isOfAnyType(nationalNumber: string, plan: Plan): boolean {
  if (!plan.nationalNumber.test(nationalNumber)) return false;
  for (const type of plan.types) {
    // isNumberTypeEqualTo: possible lengths first.
    if (type.lengths && type.lengths.indexOf(nationalNumber.length) < 0) continue;
    if (type.pattern.test(nationalNumber)) return true;
  }
  return false;
}

/** What of a numbering plan the reading needs, with each pattern compiled once. */
export interface Plan {
  callingCode: string;
  nationalNumber: RegExp;
  hasTypes: boolean;
  /** Types with a pattern, fixed line first (getNumberType's order). */
  types: { lengths: number[] | undefined; pattern: RegExp }[];
  leadingDigits: RegExp | undefined;
  nationalPrefix: RegExp | undefined;
  idd: RegExp | undefined;
}

/** What of the library's Metadata class this reads (its typings declare only selectNumberingPlan). */
interface PlanReader {
  selectNumberingPlan(countryOrCallingCode: string): void;
  hasCallingCode(callingCode: string): boolean | undefined;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  countryCallingCode(): string;
  IDDPrefix(): string | undefined;
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

const reader = new Metadata(metadata) as unknown as PlanReader;

/**
 * Every calling code the library would extract (Metadata hasCallingCode, asked of each 1–3 digits once),
 * with the countries that share it, or null for a non-geographic one.
 */
export const CALLING_CODES = new Map<string, readonly string[] | null>();
for (let code = 1; code < 1000; code++) {
  const callingCode = String(code);
  if (reader.hasCallingCode(callingCode)) {
    CALLING_CODES.set(callingCode, reader.getCountryCodesForCallingCode(callingCode) ?? null);
  }
}

const plans = new Map<string, Plan>();

/** A country's plan, or a calling code's main plan (Metadata selectNumberingPlan), compiled when first met. */
export function planOf(countryOrCallingCode: string): Plan {
  let plan = plans.get(countryOrCallingCode);
  if (!plan) {
    reader.selectNumberingPlan(countryOrCallingCode);
    plan = {
      callingCode: reader.countryCallingCode(),
      nationalNumber: entirely(reader.nationalNumberPattern()),
      hasTypes: reader.hasTypes(),
      types: ['FIXED_LINE', ...NON_FIXED_LINE_TYPES].flatMap((name) => {
        const type = reader.type(name);
        const pattern = type?.pattern();
        return type && pattern ? [{ lengths: type.possibleLengths(), pattern: entirely(pattern) }] : [];
      }),
      leadingDigits: startingWith(reader.leadingDigits()),
      nationalPrefix: startingWith(reader.nationalPrefixForParsing()),
      idd: startingWith(reader.IDDPrefix()),
    };
    plans.set(countryOrCallingCode, plan);
  }
  return plan;
}

/** A pattern that must match at the start (String search() === 0, or exec of `^(?:pattern)`). */
const startingWith = (pattern: string | undefined): RegExp | undefined =>
  pattern ? new RegExp(`^(?:${pattern})`) : undefined;
