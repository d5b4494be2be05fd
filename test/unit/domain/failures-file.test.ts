import { describe, expect, it } from 'vitest';
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

describe('Function: failuresTyping', () => {
  it('types each row by its entity column, and refuses an entity the target has not', () => {
    // Prepare
    const typing = failuresTyping(['company', 'person', 'deal', 'link']);

    // Act & Assess
    expect(typing.typeOf('Person')).toEqual({ entity: 'person' });
    expect(typing.typeOf('lead')).toBeUndefined();
  });
});
