import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { readCommonPhone, UNCOMMON } from '#domain/phone-fast.ts';
import { e164 } from '#domain/phones.ts';
import { type PhoneInput, phoneCorpus, random, sample } from './phone-corpus.ts';

/** The library's own answer, as e164 gave it before the fast path: parse, isValid, number. */
const libraryE164 = (text: string, region: CountryCode) => {
  const phone = parsePhoneNumberFromString(text, region);
  return phone?.isValid() ? phone.number : undefined;
};

/** The cases of phones.test.ts, and the shapes split meets most. */
const NAMED: PhoneInput[] = [
  ['(415) 555-0134', 'US'],
  ['415-555-0134', 'US'],
  ['415.555.0134', 'US'],
  ['4155550134', 'US'],
  ['1 415 555 0134', 'US'],
  ['+1 (800) 555-0199', 'US'],
  ['(617) 555-0182 ext. 12', 'US'],
  ['+44 20 7946 0958', 'US'],
  ['020 7946 0958', 'GB'],
  ['030 901820', 'DE'],
  ['020 7946 0958', 'US'],
  ['555-0100', 'US'],
  ['call reception', 'US'],
  ['12', 'US'],
  ['', 'US'],
  ['+', 'US'],
  ['+1', 'US'],
  ['+999 123', 'US'],
  ['8 (800) 555-35-35', 'RU'],
  ['+7 800 555 35 35', 'KZ'],
  ['011 44 20 7946 0958', 'US'],
  ['0011 61 2 9876 5432', 'AU'],
  ['+54 9 11 2345-6789', 'AR'],
  ['011 15-2345-6789', 'AR'],
  ['+1 268 464 1234', 'US'],
  ['(268) 464-1234', 'CA'],
  ['+800 1234 5678', 'US'],
].map(([text, region]) => ({ text, region }) as PhoneInput);

describe('Function: readCommonPhone', () => {
  it('answers as libphonenumber-js on a generated corpus, and reads most of it itself', () => {
    // Prepare
    const corpus = [...NAMED, ...phoneCorpus(7)];
    const mismatches: string[] = [];
    let taken = 0;
    let takenValid = 0;

    // Act
    for (const { text, region } of corpus) {
      const fast = readCommonPhone(text, region);
      const expected = libraryE164(text, region);
      if (fast !== UNCOMMON) {
        taken++;
        if (fast !== undefined) takenValid++;
      }
      const actual = e164(text, region);
      if (actual !== expected || (fast !== UNCOMMON && fast !== expected)) {
        mismatches.push(
          `${JSON.stringify(text)} in ${region}: ${String(actual)}, the library ${String(expected)}`,
        );
      }
    }

    // Assess
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(corpus.length).toBeGreaterThanOrEqual(100_000);
    // Not a pass by leaving everything to the library: it reads valid and invalid phones itself.
    expect(taken).toBeGreaterThan(corpus.length / 2);
    expect(takenValid).toBeGreaterThan(15_000);
    expect(taken - takenValid).toBeGreaterThan(30_000);
  });

  it.each<[string, CountryCode, string]>([
    ['+1 415 555 0134', 'US', '+14155550134'],
    ['+14155550134', 'GB', '+14155550134'],
    ['+1 (415) 555-0134', 'US', '+14155550134'],
    ['(415) 555-0134', 'US', '+14155550134'],
    ['415.555.0134', 'US', '+14155550134'],
    ['4155550134', 'US', '+14155550134'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['20 7946 0958', 'GB', '+442079460958'],
    ['+7 912 345-67-89', 'US', '+79123456789'],
  ])('reads %j in region %s itself, as %j', (text, region, expected) => {
    // Act, Assess
    expect(readCommonPhone(text, region)).toBe(expected);
  });

  it.each<[string, CountryCode]>([
    ['1 415 555 0134', 'US'], // the region's calling code
    ['011 44 20 7946 0958', 'US'], // its IDD
    ['020 7946 0958', 'GB'], // its national prefix
    ['8 (800) 555-35-35', 'RU'],
    ['+0 415 555 0134', 'US'],
    ['(617) 555-0182 ext. 12', 'US'],
    ['415 555 0134 #', 'US'],
    ['tel:+1-415-555-0134', 'US'],
    ['＋1 415 555 0134', 'US'],
    ['(415) 555-0134', 'XX' as CountryCode], // no region the library knows
    ['12', 'US'],
    ['+1 415 555 0134 2345 6789 012', 'US'],
  ])('leaves %j in region %s to the library', (text, region) => {
    // Act, Assess
    expect(readCommonPhone(text, region)).toBe(UNCOMMON);
  });
});

describe('Function: sample', () => {
  it('writes strings that the metadata-like pattern matches entirely', () => {
    // Prepare
    const next = random(3);
    const patterns = [
      '[2-9]\\d{9}|3\\d{6}',
      '(?:2(?:0[1-35-9]|1[02-9])|3[0-2])[2-9]\\d{6}',
      '8(?:00|33)?\\d{2,4}',
    ];

    // Act, Assess
    for (const pattern of patterns) {
      for (let i = 0; i < 200; i++) expect(sample(pattern, next)).toMatch(new RegExp(`^(?:${pattern})$`));
    }
  });
});
