import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import { readCommonPhone, UNCOMMON } from './phone-fast.ts';
import { isValidPhone } from './phone-validity.ts';

/** The region a phone without a country code is read in, unless the manifest says otherwise. */
export const DEFAULT_PHONE_REGION: CountryCode = 'US';

export const isPhoneRegion = (region: string): region is CountryCode => isSupportedCountry(region);

/**
 * A phone as E.164 (`(415) 555-0134` -> `+14155550134`), or undefined when libphonenumber cannot read it
 * as a valid number of `region` (or of the country its `+` prefix names). An extension is dropped.
 * Common shapes are read without the library (phone-fast.ts: same answers, a fraction of the time);
 * the rest goes to it.
 */
export function e164(text: string, region: CountryCode = DEFAULT_PHONE_REGION): string | undefined {
  const common = readCommonPhone(text, region);
  if (common !== UNCOMMON) return common;
  const phone = parsePhoneNumberFromString(text, region);
  return phone && isValidPhone(phone) ? phone.number : undefined;
}

/** Exports put several phones in one cell ("+1 415 555 0134, +1 415 555 0199"): the first is the phone. */
export const firstPhone = (text: string): { phone: string; listed: number } => {
  // Most cells hold one phone: no list to split.
  if (!LISTED.test(text)) {
    const phone = text.trim();
    return { phone, listed: phone ? 1 : 0 };
  }
  const items = text
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter(Boolean);
  return { phone: items[0] ?? '', listed: items.length };
};

const LISTED = /[;,]/;
