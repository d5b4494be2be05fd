import { Metadata, type PhoneNumber } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * `PhoneNumber.isValid()` of libphonenumber-js (1.13), step for step, with each pattern compiled once.
 * The library builds a new RegExp from every pattern at every test (a US number's fixed-line pattern is
 * 637 characters), which was a third of the time split spends on a phone. Same metadata (the default
 * `min` set the parser reads with), same numbering plan selection (the library's own Metadata class),
 * same order of checks: see isValid.js and helpers/getNumberType.js in libphonenumber-js.
 */
export function isValidPhone(phone: PhoneNumber): boolean {
  if (metadataOf(phone) !== metadata) return phone.isValid();
  const plan = selected(phone.country ?? phone.countryCallingCode);
  if (!plan.hasTypes()) return matchesEntirely(phone.nationalNumber, plan.nationalNumberPattern());
  // getNumberType: a number of no country and no calling code has no type.
  if (!phone.country && !phone.countryCallingCode) return false;
  const national = phone.nationalNumber;
  if (!matchesEntirely(national, plan.nationalNumberPattern())) return false;
  // Fixed line first; any type it then returns (fixed line, or fixed line or mobile) is a type.
  if (isOfType(national, 'FIXED_LINE', plan)) return true;
  return NON_FIXED_LINE_TYPES.some((type) => isOfType(national, type, plan));
}

/** The metadata a number was parsed with (the library's typings leave the method out). */
export const metadataOf = (phone: PhoneNumber): unknown =>
  (phone as PhoneNumber & { getMetadata(): unknown }).getMetadata();

/** The types getNumberType tries after the fixed line, in its order. */
export const NON_FIXED_LINE_TYPES = [
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

/** What of the library's Metadata class this reads (its typings declare only selectNumberingPlan). */
interface NumberingPlan {
  selectNumberingPlan(countryOrCallingCode: string): void;
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** One Metadata instance, its plan selected anew for each number, as the library selects it. */
const plans = new Metadata(metadata) as unknown as NumberingPlan;

function selected(countryOrCallingCode: string): NumberingPlan {
  plans.selectNumberingPlan(countryOrCallingCode);
  return plans;
}

/** isNumberTypeEqualTo: a type without a pattern is not it; possible lengths are checked first. */
function isOfType(national: string, type: string, plan: NumberingPlan): boolean {
  const definition = plan.type(type);
  if (!definition?.pattern()) return false;
  const lengths = definition.possibleLengths();
  if (lengths && lengths.indexOf(national.length) < 0) return false;
  return matchesEntirely(national, definition.pattern());
}

const compiled = new Map<string, RegExp>();

/**
 * A metadata pattern as matchesEntirely reads it (`^(?:pattern)$`), compiled the first time it is met
 * (the metadata has a few thousand) and shared with the fast reading of common phones (phone-fast.ts).
 */
export function entirely(pattern: string): RegExp {
  let expression = compiled.get(pattern);
  if (!expression) {
    expression = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, expression);
  }
  return expression;
}

/** matchesEntirely (helpers/matchesEntirely.js): an absent text is read as ''. */
const matchesEntirely = (text: string | undefined, pattern: string): boolean =>
  entirely(pattern).test(text || '');
