import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import metadata from 'libphonenumber-js/min/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { isValidPhone, metadataOf } from '#domain/phone-validity.ts';
import { e164 } from '#domain/phones.ts';

/** What e164 answered before isValidPhone: the library's own parse and isValid. */
const libraryE164 = (text: string, region: CountryCode) => {
  const phone = parsePhoneNumberFromString(text, region);
  return phone?.isValid() ? phone.number : undefined;
};

/** A seeded generator, so the sample is the same at every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Every region's example number written the ways exports write phones (E.164, international with
 * spaces, national, with punctuation, an extension), each with a digit dropped, added or changed, plus
 * random digit strings and text that is no phone at all: about 40,000 inputs, read in several regions.
 */
function phoneSample(): string[] {
  const next = random(14);
  const digit = () => String(Math.floor(next() * 10));
  const sample: string[] = ['', '+', '12', 'call reception', 'n/a', '+1', '0', '+999 123', '911'];
  for (const country of getCountries()) {
    const national = (examples as Record<string, string | undefined>)[country];
    if (!national) continue;
    const code = getCountryCallingCode(country);
    const variants = [national, `${national}${digit()}`, national.slice(0, -1)];
    for (let i = 0; i < 4; i++) {
      const at = Math.floor(next() * national.length);
      variants.push(`${national.slice(0, at)}${digit()}${national.slice(at + 1)}`);
    }
    for (const n of variants) {
      const spaced = n.replace(/(\d{3})(?=\d)/g, '$1 ');
      sample.push(
        `+${code}${n}`,
        `+${code} ${spaced}`,
        `00${code} ${n}`,
        n,
        `0${n}`,
        `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
        `+${code}.${n.slice(0, 3)}.${n.slice(3)}`,
        `+${code} ${n} ext. 12`,
        `tel: +${code}-${n}`,
      );
    }
  }
  for (let i = 0; i < 3_000; i++) {
    const length = 4 + Math.floor(next() * 12);
    const digits = Array.from({ length }, digit).join('');
    sample.push(digits, `+${digits}`, `1 ${digits}`);
  }
  return sample;
}

describe('Function: isValidPhone', () => {
  it('answers as libphonenumber-js isValid on a varied sample of phones read in several regions', () => {
    // Prepare
    const sample = phoneSample();
    const regions: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'AU', 'JP', 'CA', 'CH'];
    let valid = 0;
    let compared = 0;
    // isValidPhone reads the metadata the parser read with (else it asks the library, and compares nothing).
    expect(metadataOf(parsePhoneNumberFromString('+14155550134', 'US') as PhoneNumber)).toBe(metadata);

    // Act
    const differences: string[] = [];
    for (const region of regions)
      for (const text of sample) {
        const phone = parsePhoneNumberFromString(text, region);
        if (!phone) continue;
        compared += 1;
        const expected = phone.isValid();
        if (expected) valid += 1;
        if (isValidPhone(phone) !== expected) differences.push(`${text} in ${region}`);
      }

    // Assess: the sample has plenty of both answers, and no input answers differently.
    expect(compared).toBeGreaterThan(100_000);
    expect(valid).toBeGreaterThan(10_000);
    expect(compared - valid).toBeGreaterThan(10_000);
    expect(differences).toEqual([]);
  });

  it('leaves e164 reading every phone of the sample as it read it with the library alone', () => {
    // Prepare
    const sample = phoneSample();

    // Act
    const differences = sample.filter((text) => e164(text, 'US') !== libraryE164(text, 'US'));

    // Assess
    expect(differences).toEqual([]);
  });
});
