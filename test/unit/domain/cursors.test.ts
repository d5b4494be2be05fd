import { describe, expect, it } from 'vitest';
import { createCursorSchema, linkCursorSchema } from '#domain/cursors.ts';

describe('The paced stages’ cursors', () => {
  it('read a cursor written before the runner counted failures as none in a row', () => {
    // Prepare: what a create and a link Task handed on before the one retry policy
    const create = { kind: 'create', part: 1, offset: 25, windows: 3, blocked: null };
    const link = { kind: 'link', group: 4, groups: 9, attempts: 2 };

    // Act
    const parsed = [createCursorSchema.parse(create), linkCursorSchema.parse(link)];

    // Assess
    expect(parsed).toEqual([
      { ...create, failures: 0 },
      { kind: 'link', group: 4, groups: 9, blocked: null, failures: 0 },
    ]);
  });
});
