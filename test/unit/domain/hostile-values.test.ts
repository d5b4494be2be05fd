import { describe, expect, it } from 'vitest';
import { resolveColumns } from '#domain/columns.ts';
import type { Entity } from '#domain/entities.ts';
import { type RowResult, type RowRules, toSourceRow } from '#domain/rows.ts';

const rowOf = (entity: Entity, raw: Record<string, string>, rules: RowRules = {}): RowResult =>
  toSourceRow({
    entity,
    file: 'people.csv',
    line: 7,
    roles: resolveColumns(entity, Object.keys(raw)),
    raw,
    rules,
  });

const failureOf = (result: RowResult) => {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.row.fields)}`);
  return result.failure;
};

describe('Emails as RFC 5321 bounds them', () => {
  it.each([
    [
      `${'x'.repeat(65)}@acme.com`,
      /its local part \(before @\) is 65 characters, more than 64 \(RFC 5321\)$/,
    ],
    [`${'a'.repeat(60)}@${'b'.repeat(250)}.com`, /it is 315 characters, more than 254 \(RFC 5321\)$/],
  ])('fails %s with the reason', (address, reason) => {
    // Act
    const failure = failureOf(rowOf('person', { 'First Name': 'Ann', Email: address }));

    // Assess
    expect(failure.code).toBe('INVALID_ROW');
    expect(failure.column).toBe('Email');
    expect(failure.message).toMatch(/^'x{20}|^'a{20}/);
    expect(failure.message).toMatch(reason);
    // the message quotes the start of the value, not all of it
    expect(failure.message.length).toBeLessThan(160);
  });

  it('takes the longest address RFC 5321 allows', () => {
    // Prepare: 64 + 1 + 189 = 254
    const address = `${'x'.repeat(64)}@${'b'.repeat(185)}.com`;

    // Act
    const result = rowOf('person', { 'First Name': 'Ann', Email: address });

    // Assess
    expect(result.ok && result.row.fields.email).toBe(address);
  });
});

describe('A name over several lines', () => {
  it('fails the row a stray quote joined to the lines after it, naming the column and the lines', () => {
    // Act: what csv-parse makes of `"Bob,b@x.com` when a later line's quote closes it
    const failure = failureOf(
      rowOf('company', { 'Company Name': 'Bob,b@x.com\nCy,c@x.com\nDee,', Website: 'dee.example.com' }),
    );

    // Assess
    expect(failure.column).toBe('Company Name');
    expect(failure.message).toBe(
      "'Bob,b@x.com / Cy,c@x.com / Dee,' runs over 3 lines of the file, where a name takes one: a quote on this line probably opens a value that a quote on a later line closes; fix the quotes and drop the rows again",
    );
  });

  it('keeps line breaks where they belong: a note over several lines', () => {
    // Act
    const result = rowOf('deal', { 'Deal Name': 'Renewal', Notes: 'Called twice.\nSends the PO in May.' });

    // Assess
    expect(result.ok && result.row.fields.notes).toBe('Called twice.\nSends the PO in May.');
  });
});

describe('Field lengths', () => {
  it('fails a value longer than the field takes, naming the column and the limit', () => {
    // Act
    const failure = failureOf(rowOf('person', { 'First Name': 'Bob', 'Last Name': 'x'.repeat(10_000_000) }));

    // Assess
    expect(failure.column).toBe('Last Name');
    expect(failure.message).toBe(
      '10,000,000 characters, more than the 255 assumed for last_name (raise it with "fieldLimits" in manifest.json if the target takes more)',
    );
  });

  it('takes 255 characters, and more where the manifest says the target takes more', () => {
    // Prepare
    const long = 'x'.repeat(300);

    // Act
    const at255 = rowOf('person', { 'First Name': 'Bob', 'Last Name': 'x'.repeat(255) });
    const raised = rowOf(
      'person',
      { 'First Name': 'Bob', 'Last Name': long },
      { fieldLimits: { last_name: 300 } },
    );
    const everywhere = rowOf('company', { Name: long }, { fieldLimits: { '*': 1000 } });

    // Assess
    expect(at255.ok).toBe(true);
    expect(raised.ok && raised.row.fields.last_name).toBe(long);
    expect(everywhere.ok && everywhere.row.fields.name).toBe(long);
  });

  it('gives notes 10,000 characters', () => {
    // Act
    const kept = rowOf('lead', { Name: 'Ann Lee', Notes: 'n'.repeat(10_000) });
    const cut = failureOf(rowOf('lead', { Name: 'Ann Lee', Notes: 'n'.repeat(10_001) }));

    // Assess
    expect(kept.ok).toBe(true);
    expect(cut.column).toBe('Notes');
    expect(cut.message).toMatch(/^10,001 characters, more than the 10000 assumed for notes/);
  });

  it('names the full name column when the part too long was split from it', () => {
    // Act
    const failure = failureOf(rowOf('person', { 'Full Name': `Ann ${'x'.repeat(300)}` }));

    // Assess
    expect(failure.column).toBe('Full Name');
    expect(failure.message).toMatch(/^300 characters, more than the 255 assumed for last_name/);
  });
});

describe('Values holding a replacement character', () => {
  it('fails the row rather than send what an earlier conversion lost', () => {
    // Act
    const failure = failureOf(rowOf('person', { 'First Name': 'Fran\uFFFDois', Email: 'f@acme.com' }));

    // Assess
    expect(failure.column).toBe('First Name');
    expect(failure.message).toBe(
      "'Fran\uFFFDois' holds \uFFFD, a character an earlier conversion of the file lost: write the value again",
    );
  });
});

describe('Columns that share a name', () => {
  it('reads the first of them that is not blank', () => {
    // Prepare
    const raw = { 'First Name': 'Ann', Email: '', 'Email (2)': ' ann@acme.com ', 'Email (3)': 'x@acme.com' };
    const input = {
      entity: 'person' as const,
      file: 'people.csv',
      line: 3,
      roles: resolveColumns('person', Object.keys(raw)),
      raw,
      sameNames: [['Email', 'Email (2)', 'Email (3)']],
    };

    // Act
    const second = toSourceRow(input);
    const first = toSourceRow({ ...input, raw: { ...raw, Email: 'first@acme.com' } });
    const without = toSourceRow({ ...input, sameNames: [] });

    // Assess
    expect(second.ok && second.row.fields.email).toBe('ann@acme.com');
    expect(first.ok && first.row.fields.email).toBe('first@acme.com');
    expect(without.ok && without.row.fields.email).toBeUndefined();
  });
});
