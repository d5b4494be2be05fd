import { describe, expect, it } from 'vitest';
import { type ContentKind, contentOf } from '#domain/column-content.ts';

describe('Function: contentOf', () => {
  it.each<[ContentKind, string[]]>([
    ['email', ['ana@acme.com', 'Bo@Globex.io', 'cy@initech.co, cy.two@gmail.com']],
    ['url', ['https://www.acme.com/about', 'globex.io', 'www.initech.co']],
    ['date', ['2026-06-30', '7/15/2026', '30.09.2026', '2026-01-02 09:14']],
    ['phone', ['(206) 555-0143', '+44 20 7946 0958', '415.555.0134']],
    ['amount', ['$12,500', '4800', '1,200.50', 'USD 900']],
    ['text', ['Retail', 'Logistics', 'Healthcare']],
    ['empty', ['', '  ', '']],
  ])('reads a column of %s', (kind, values) => {
    // Act, Assess
    expect(contentOf(values)).toBe(kind);
  });

  it('reads a column by most of its values: a stray value does not change what it holds', () => {
    // Prepare
    const emails = ['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'ask reception', ''];

    // Act, Assess
    expect(contentOf(emails)).toBe('email');
    expect(contentOf(['a@x.com', 'b@x.com', 'no', 'none'])).toBe('text');
  });

  it('never reads a date or a short number as a phone', () => {
    // Act, Assess
    expect(contentOf(['2026-06-30', '2026-07-01'])).toBe('date');
    expect(contentOf(['250', '40', '1200'])).toBe('amount');
  });
});
