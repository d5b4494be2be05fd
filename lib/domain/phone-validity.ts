import type { PhoneNumber } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';
import { isValid, planOf } from './phone-plans.ts';

/**
 * `PhoneNumber.isValid()` of libphonenumber-js (1.13), step for step, on the numbering plans compiled
 * once (phone-plans.ts). The library builds a new RegExp from every pattern at every test (a US number's
 * fixed-line pattern is 637 characters). Same metadata (the default `min` set the parser reads with),
 * same numbering plan selection, same order of checks: see isValid.js and helpers/getNumberType.js.
 */
export function isValidPhone(phone: PhoneNumber): boolean {
  if (metadataOf(phone) !== metadata) return phone.isValid();
  const plan = planOf(phone.country ?? phone.countryCallingCode);
  // getNumberType: a number of no country and no calling code has no type.
  if (plan.hasTypes && !phone.country && !phone.countryCallingCode) return false;
  return isValid(phone.nationalNumber || '', plan);
}

/** The metadata a number was parsed with (the library's typings leave the method out). */
export const metadataOf = (phone: PhoneNumber): unknown =>
  (phone as PhoneNumber & { getMetadata(): unknown }).getMetadata();
