import { describe, expect, it } from 'vitest';
import { isNamesakeKey, namesakeKey } from '#domain/namesakes.ts';

describe('Function: namesakeKey', () => {
  it('gives a row and a target record of the same name within the same parent one key', () => {
    // Act
    const row = namesakeKey({ first_name: ' Ann ', last_name: 'Lee' }, 'company-1');
    const record = namesakeKey({ first_name: 'ann', last_name: 'LEE', email: 'ann@acme.com' }, 'company-1');

    // Assess
    expect(row).toBe(record);
    expect(isNamesakeKey(row as string)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string | undefined, Record<string, unknown>, string | undefined]>(
    [
      [
        'another parent',
        { first_name: 'Ann', last_name: 'Lee' },
        'company-1',
        { first_name: 'Ann', last_name: 'Lee' },
        'company-2',
      ],
      [
        'no parent on one side',
        { first_name: 'Ann', last_name: 'Lee' },
        'company-1',
        { first_name: 'Ann', last_name: 'Lee' },
        undefined,
      ],
      [
        'another name',
        { first_name: 'Ann', last_name: 'Lee' },
        undefined,
        { first_name: 'Ann', last_name: 'Li' },
        undefined,
      ],
    ],
  )('tells records apart by %s', (_case, a, parentA, b, parentB) => {
    // Act
    const first = namesakeKey(a, parentA);
    const second = namesakeKey(b, parentB);

    // Assess
    expect(first).not.toBe(second);
  });

  it('reads a single name (an ActuallyCare lead) as the first and last name joined', () => {
    // Act
    const lead = namesakeKey({ name: 'Dee  Ford' });
    const client = namesakeKey({ first_name: 'Dee', last_name: 'Ford' });

    // Assess
    expect(lead).toBe(client);
  });

  it('has no key for a record without a name', () => {
    // Act
    const key = namesakeKey({ email: '' }, 'company-1');

    // Assess
    expect(key).toBeUndefined();
  });

  it('is never mistaken for a match key', () => {
    // Assess
    expect(isNamesakeKey('email:ann@acme.com')).toBe(false);
    expect(isNamesakeKey('name:acme')).toBe(false);
  });
});
