import { describe, expect, it } from 'vitest';
import type { SourceRow } from '#domain/entities.ts';
import { cell, failuresCsv, jsonArrayLines, retryRowLines } from '#domain/failures-csv.ts';
import type { FailureRow } from '#domain/report.ts';

const failure = (line: number, raw: Record<string, string>, extra: Partial<FailureRow> = {}): FailureRow => ({
  entity: 'person',
  file: 'people.csv',
  line,
  code: 'INVALID_ROW',
  message: 'bad',
  retryable: false,
  raw,
  ...extra,
});

describe('Function: failuresCsv', () => {
  it('writes the union of the original columns, in first-seen order, then what went wrong', () => {
    // Prepare
    const rows = [
      failure(3, { Name: 'Ann', Email: 'ann@' }),
      failure(
        7,
        { Email: 'bob@', Phone: '555' },
        { code: 'DEPENDENCY_FAILED', message: 'its company failed', retryable: true },
      ),
    ];

    // Act
    const csv = failuresCsv(rows, 'acme-manifest-1a2b3c4d5e');

    // Assess: the job column lets the file, fixed and dropped back in, find its job
    expect(csv.split('\r\n')).toEqual([
      'Name,Email,Phone,entity,file,line,error_code,error_message,retryable,job',
      'Ann,ann@,,person,people.csv,3,INVALID_ROW,bad,false,acme-manifest-1a2b3c4d5e',
      ',bob@,555,person,people.csv,7,DEPENDENCY_FAILED,its company failed,true,acme-manifest-1a2b3c4d5e',
      '',
    ]);
  });

  it('writes only the header when nothing failed', () => {
    // Act
    const csv = failuresCsv([]);

    // Assess
    expect(csv).toBe('entity,file,line,error_code,error_message,retryable,job\r\n');
  });

  it('quotes cells with commas, quotes and line breaks', () => {
    // Prepare
    const rows = [failure(2, { Notes: 'said "hi", then\nleft' }, { message: 'a, b' })];

    // Act
    const csv = failuresCsv(rows);

    // Assess
    expect(csv).toContain('"said ""hi"", then\nleft",person');
    expect(csv).toContain(',"a, b",false,');
  });
});

describe('Function: failuresCsv, original columns named like ours', () => {
  it('keeps their data under an original_ prefix', () => {
    // Act
    const text = failuresCsv([failure(2, { Name: 'Ann', file: 'crm-export-7' })]);

    // Assess
    const [header, row] = text.split('\r\n');
    expect(header).toBe('Name,original_file,entity,file,line,error_code,error_message,retryable,job');
    expect(row).toMatch(/^Ann,crm-export-7,/);
  });
});

describe('Function: cell', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
    // a real value that already looks guarded gets a guard of its own, so reading it back is exact
    ["'=SUM(A1)", "''=SUM(A1)"],
    ["'quoted", "'quoted"],
    // control characters never reach the file (tab and line breaks inside a value are kept)
    ['Ann\u0000Lee\u0007\u009b', 'AnnLee'],
    ['two\nlines\tand a tab', '"two\nlines\tand a tab"'],
  ])('writes %j as %j', (value, expected) => {
    // Act
    const written = cell(value);

    // Assess
    expect(written).toBe(expected);
  });
});

describe('Function: jsonArrayLines', () => {
  it.each([
    ['no failures', []],
    ['one', [failure(2, { Email: 'a@b.co' })]],
    [
      'several, with nesting, quotes and line breaks',
      [
        failure(2, { Notes: 'two\nlines "quoted"' }),
        failure(3, {}, { source: { entity: 'person', fields: { tags: ['a', 'b'] } } as never }),
        failure(4, { Name: 'Zoë' }, { retryable: true }),
      ],
    ],
  ])('writes %s exactly as JSON.stringify(items, null, 2) and a newline', (_name, items) => {
    // Act
    const text = [...jsonArrayLines(items)].join('');

    // Assess
    expect(text).toBe(`${JSON.stringify(items, null, 2)}\n`);
  });
});

describe('Function: retryRowLines', () => {
  const source = (line: number): SourceRow => ({
    entity: 'person',
    file: 'people.csv',
    line,
    key: `email:p${line}@acme.com`,
    fields: { email: `p${line}@acme.com` },
    refs: {},
    raw: { Email: `p${line}@acme.com` },
  });

  it('writes the mapped row of each retryable or held failure, one per line, and nothing else', () => {
    // Prepare
    const rows = [
      failure(2, {}, { retryable: true, source: source(2) }),
      failure(3, {}, { retryable: false }),
      failure(4, {}, { retryable: true }),
      failure(5, {}, { code: 'DEPENDENCY_FAILED', retryable: true, source: source(5) }),
    ];

    // Act
    const lines = [...retryRowLines(rows)];

    // Assess: a permanent failure stays for the user; a split failure has no mapped row to send
    expect(lines).toEqual([`${JSON.stringify(source(2))}\n`, `${JSON.stringify(source(5))}\n`]);
  });
});
