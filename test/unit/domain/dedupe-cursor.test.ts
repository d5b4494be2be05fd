import { describe, expect, it } from 'vitest';
import { dedupeCursorSchema } from '#domain/cursors.ts';

describe('The dedupe stage’s cursor', () => {
  it('reads a cursor written before pages were read ahead as one whose next page is read alone', () => {
    // Prepare: a Task that stopped at page 3 of the people, one page after another
    const before = {
      kind: 'dedupe',
      entities: ['company', 'person'],
      entity: 1,
      next: '1500',
      page: 3,
      pages: 4,
      records: 1520,
      checked: 3,
      preflightDone: true,
      entityRecords: 1500,
      failures: 0,
    };

    // Act
    const parsed = dedupeCursorSchema.parse(before);

    // Assess: no page size known, so the next page goes alone and shows it
    expect(parsed).toEqual({ ...before, perPage: 0, total: null });
  });
});
