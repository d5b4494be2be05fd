import type { CountryCode } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/min/metadata';
import { CALLING_CODES, isOfAnyType, isValid, type Plan, planOf } from './phone-plans.ts';

/** What readCommonPhone answers for a text it leaves to libphonenumber-js. */
export const UNCOMMON: unique symbol = Symbol('uncommon phone');

/**
 * A common phone as `parsePhoneNumberFromString(text, region)` then `isValid()` then `.number` of
 * libphonenumber-js 1.13 (min metadata) read it: its E.164, or undefined when that is not a valid number;
 * UNCOMMON for any other text, which the library must read. The library spends ~5 µs a phone building a
 * Metadata and a RegExp at every step; split reads a phone a row. Taken here: ASCII digits with spaces,
 * dashes, dots and parentheses, a `+` before the first digit or none. Left to the library: every rewrite
 * it makes (an IDD or the region's calling code before a national number, a national prefix or carrier
 * code, a transform rule), too few or too many digits, a `+0`, and any other character (letters, `#`,
 * `;`, `,`, extensions, `tel:`, other digits and punctuation), so no guess is made about those.
 */
export function readCommonPhone(text: string, region: CountryCode): string | undefined | typeof UNCOMMON {
  if (text.length > MAX_TEXT_LENGTH) return UNCOMMON;
  let digits = '';
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += text[i];
    // The library starts a phone at its first `+` or digit: a `+` after a digit is no phone's start.
    else if (code === 43 && !plus && digits === '') plus = true;
    else if (!SEPARATORS.has(code)) return UNCOMMON;
  }
  // isViablePhoneNumber: three digits at least (two only when written alone).
  if (digits.length < 3) return UNCOMMON;
  return plus ? international(digits) : national(digits, region);
}

/** Space, `-`, `.`, `(`, `)`: punctuation the library drops (parseIncompletePhoneNumber.js). */
const SEPARATORS = new Set([32, 45, 46, 40, 41]);

/** Well above any phone, below the library's 250 (parse.js MAX_INPUT_STRING_LENGTH). */
const MAX_TEXT_LENGTH = 64;

/** The national (significant) number's bounds (constants.js MIN/MAX_LENGTH_FOR_NSN). */
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;

/**
 * `+` then digits (helpers/extractCountryCallingCode.js): the calling code is the first of 1–3 digits the
 * metadata has; the numbering plan read with is that code's main country's (or its non-geographic plan).
 */
function international(digits: string): string | undefined | typeof UNCOMMON {
  // No calling code starts with 0; the library gives up on `+0`.
  if (digits[0] === '0') return UNCOMMON;
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    const callingCode = digits.slice(0, length);
    const countries = CALLING_CODES.get(callingCode);
    if (countries !== undefined) {
      return read(callingCode, countries, digits.slice(length), planOf(callingCode), undefined);
    }
  }
  return UNCOMMON;
}

/**
 * Digits without `+`, read in the region (parse.js parsePhoneNumber). The library turns them international
 * when they start with the region's IDD (helpers/stripIddPrefix.js) or with its calling code
 * (helpers/extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.js): both go to the library.
 */
function national(digits: string, region: CountryCode): string | undefined | typeof UNCOMMON {
  // parsePhoneNumber_.js reads a region the metadata lacks (metadata.js isSupportedCountry) as none.
  if (!Object.hasOwn(metadata.countries, region)) return UNCOMMON;
  const plan = planOf(region);
  if (plan.idd === undefined || plan.idd.test(digits) || digits.startsWith(plan.callingCode)) return UNCOMMON;
  const countries = CALLING_CODES.get(plan.callingCode);
  if (countries === undefined) return UNCOMMON;
  return read(plan.callingCode, countries, digits, plan, plan);
}

/**
 * The national number after the calling code, its exact country and its validity (parse.js, then
 * PhoneNumber.js isValid). `parsing` is the plan whose national prefix the library would strip
 * (helpers/extractNationalNumber.js); `region` is the country kept when no exact one is found.
 */
function read(
  callingCode: string,
  countries: readonly string[] | null,
  nationalNumber: string,
  parsing: Plan,
  region: Plan | undefined,
): string | undefined | typeof UNCOMMON {
  const length = nationalNumber.length;
  if (length < MIN_NATIONAL_LENGTH || length > MAX_NATIONAL_LENGTH) return UNCOMMON;
  // A national prefix, carrier code or transform rule that applies: the library may rewrite the number.
  // An empty match (AR's pattern is all optional) captures nothing and leaves the number as it is
  // (helpers/extractNationalNumberFromPossiblyIncompleteNumber.js).
  const prefix = parsing.nationalPrefix?.exec(nationalNumber);
  if (prefix && prefix[0] !== '') return UNCOMMON;
  // Validity is read in the exact country, else in the region, else in the code's main plan (parse.js,
  // isValid.js). helpers/getCountryByCallingCode.js: no country for a non-geographic code; a code's lone
  // country is the region or the main plan already.
  let plan = region ?? planOf(callingCode);
  if (countries !== null && countries.length > 1) {
    // helpers/getCountryByNationalNumber.js: the first country whose leading digits start the number,
    // or (for a country without leading digits) of whose types it is a number.
    for (const country of countries) {
      const candidate = planOf(country);
      if (candidate.leadingDigits) {
        if (candidate.leadingDigits.test(nationalNumber)) {
          plan = candidate;
          break;
        }
      } else if (isOfAnyType(nationalNumber, candidate)) {
        // isValid.js asks the same getNumberType of the same country: it is valid.
        return `+${callingCode}${nationalNumber}`;
      }
    }
  }
  return isValid(nationalNumber, plan) ? `+${callingCode}${nationalNumber}` : undefined;
}
