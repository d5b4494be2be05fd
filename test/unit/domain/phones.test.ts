import { describe, expect, it } from 'vitest';
import { e164, firstPhone, isPhoneRegion } from '#domain/phones.ts';

describe('Function: e164', () => {
  it.each<[string, string, string | undefined]>([
    ['(415) 555-0134', 'US', '+14155550134'],
    ['415-555-0134', 'US', '+14155550134'],
    ['415.555.0134', 'US', '+14155550134'],
    ['1 415 555 0134', 'US', '+14155550134'],
    ['+1 (800) 555-0199', 'US', '+18005550199'],
    ['(617) 555-0182 ext. 12', 'US', '+16175550182'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['030 901820', 'DE', '+4930901820'],
    ['020 7946 0958', 'US', undefined],
    ['555-0100', 'US', undefined],
    ['call reception', 'US', undefined],
    ['12', 'US', undefined],
  ])('reads %j in region %s as %j', (text, region, expected) => {
    // Act
    const phone = e164(text, region as 'US');

    // Assess
    expect(phone).toBe(expected);
  });
});

describe('Function: firstPhone', () => {
  it.each([
    ['(860) 555-0112', '(860) 555-0112', 1],
    ['(860) 555-0112, (860) 555-0199', '(860) 555-0112', 2],
    [' ; +1 415 555 0134; 415 555 0199', '+1 415 555 0134', 2],
  ])('takes the first of %j', (text, phone, listed) => {
    // Act, Assess
    expect(firstPhone(text)).toEqual({ phone, listed });
  });
});

describe('Function: isPhoneRegion', () => {
  it.each([
    ['US', true],
    ['GB', true],
    ['DE', true],
    ['XX', false],
    ['us', false],
    ['USA', false],
  ])('says %j is a region: %s', (region, expected) => {
    // Act, Assess
    expect(isPhoneRegion(region)).toBe(expected);
  });
});
