import { describe, expect, it } from 'vitest';
import { isPlaceholder, junkReason } from '#domain/junk.ts';

describe('Function: junkReason', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['only dashes', { Name: '-', Email: '--', Phone: '' }, "holds only placeholders ('-', '--')"],
    [
      'N/A and friends',
      { Name: 'N/A', Email: 'n.a.', Notes: '#N/A' },
      "holds only placeholders ('N/A', 'n.a.', '#N/A')",
    ],
    ['test rows', { 'First Name': 'test', 'Last Name': 'TEST' }, "holds only placeholders ('test', 'TEST')"],
    ['punctuation', { Name: '?', Email: '...', Notes: '*' }, "holds only placeholders ('?', '...', '*')"],
    ['Excel errors', { Name: '#REF!', Amount: '#VALUE!' }, "holds only placeholders ('#REF!', '#VALUE!')"],
    ['the header again', { 'First Name': 'First Name', Email: 'email', Phone: '' }, 'repeats the header'],
    [
      'the header, differently spelled',
      { FirstName: 'first_name', 'E-mail': 'E Mail' },
      'repeats the header',
    ],
    ['a real person', { Name: 'Ann Lee', Email: 'N/A' }, undefined],
    ['a real email among placeholders', { Name: '-', Email: 'ann@x.com' }, undefined],
    ['one value that names its column', { Name: 'Name', Email: 'ann@x.com' }, undefined],
    ['a one-word value matching one header only', { Company: 'Company', Email: '' }, undefined],
    ['a blank row (counted apart)', { Name: '', Email: ' ' }, undefined],
    ['"Unknown Company" is a name', { Name: 'Unknown Company' }, undefined],
  ])('%s: %j -> %j', (_case, values, expected) => {
    // Act
    const reason = junkReason(values);

    // Assess
    expect(reason).toBe(expected);
  });
});

describe('Function: isPlaceholder', () => {
  it.each([
    ['-', true],
    ['N/A', true],
    ['none', true],
    ['NULL', true],
    ['tbd', true],
    ['xxx', true],
    ['Ann', false],
    ['0', false],
    ['n/a/b', false],
  ])('%j is a placeholder: %s', (value, expected) => {
    // Act, Assess
    expect(isPlaceholder(value)).toBe(expected);
  });
});
