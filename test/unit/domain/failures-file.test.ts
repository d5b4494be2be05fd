import { describe, expect, it } from 'vitest';
import { failuresCsv } from '#domain/failures-csv.ts';
import { failuresTyping, isFailuresFile, originalColumns } from '#domain/failures-file.ts';

describe('Function: isFailuresFile', () => {
  it.each([
    [['Email', 'entity', 'file', 'line', 'error_code', 'error_message', 'retryable', 'job'], true],
    [['Email', 'entity', 'file', 'line', 'error_code', 'error_message', 'retryable'], false],
    [['Email', 'First Name'], false],
  ])('reads %j as a failures.csv: %s', (headers, expected) => {
    // Act & Assess
    expect(isFailuresFile(headers)).toBe(expected);
  });
});

describe('Function: originalColumns', () => {
  it("drops the report's columns and gives clashing original columns their name back", () => {
    // Act
    const raw = originalColumns({
      Email: 'a@x.com',
      original_file: 'crm-7',
      file: 'people.csv',
      error_code: 'X',
      job: 'j',
    });

    // Assess
    expect(raw).toEqual({ Email: 'a@x.com', file: 'crm-7' });
  });
});

describe('Function: originalColumns, the formula guard', () => {
  it.each([
    ['=HYPERLINK("http://x","y")'],
    ['+1 555 0100'],
    ['-5'],
    ['@cmd'],
    ["'=SUM(A1)"],
    ["''=SUM(A1)"],
    ["'quoted"],
    ["'"],
    ['plain'],
  ])('gives back %j exactly as it was before failures.csv guarded it', (value) => {
    // Prepare
    const written = failuresCsv([
      {
        file: 'people.csv',
        line: 2,
        code: 'INVALID_ROW',
        message: 'm',
        retryable: false,
        raw: { Name: value },
      },
    ]);
    const cellOfName = /^("(?:[^"]|"")*"|[^,]*)/.exec(written.split('\r\n')[1] ?? '')?.[1] ?? '';
    const read = cellOfName.startsWith('"') ? cellOfName.slice(1, -1).replaceAll('""', '"') : cellOfName;

    // Act
    const raw = originalColumns({ Name: read, entity: 'person', job: 'j' });

    // Assess
    expect(raw).toEqual({ Name: value });
  });
});

describe('Function: failuresTyping', () => {
  it('types each row by its entity column, and refuses an entity the target has not', () => {
    // Prepare
    const typing = failuresTyping(['company', 'person', 'deal', 'link']);

    // Act & Assess
    expect(typing.typeOf('Person')).toEqual({ entity: 'person' });
    expect(typing.typeOf('lead')).toBeUndefined();
  });
});
