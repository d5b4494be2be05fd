import { describe, expect, it } from 'vitest';
import { changesFor } from '#functions/create-batch/changes.ts';

const existing = {
  id: 'rec_1',
  keys: ['email:ann@x.com'],
  fields: { first_name: 'Ann', email: 'ann@x.com', status: 'Lead' },
};

describe('Function: changesFor', () => {
  it.each([
    [
      'fills a blank and leaves what the record has',
      { first_name: 'Annie', last_name: 'Lee', email: 'ann@x.com' },
      false,
      { last_name: 'Lee' },
    ],
    [
      'overwrites what differs when asked',
      { first_name: 'Annie', last_name: 'Lee', email: 'ann@x.com' },
      true,
      { first_name: 'Annie', last_name: 'Lee' },
    ],
    ['never touches a field the file does not have', { last_name: 'Lee' }, true, { last_name: 'Lee' }],
    ['never sends a blank', { first_name: '', last_name: '' }, true, undefined],
    [
      'has nothing to send when the record already says it',
      { first_name: 'Ann', status: 'Lead' },
      true,
      undefined,
    ],
  ])('%s', (_case, fields, overwrite, expected) => {
    // Act
    const changes = changesFor(fields, undefined, existing, { mode: 'update', overwrite });

    // Assess
    expect(changes?.fields).toEqual(expected);
  });

  it('links the record to its company when it has none, and moves it only when overwriting', () => {
    // Act
    const filled = changesFor({}, 'com_1', existing, { mode: 'update' });
    const kept = changesFor(
      {},
      'com_2',
      { ...existing, fields: { ...existing.fields, parentId: 'com_1' } },
      { mode: 'update' },
    );
    const moved = changesFor(
      {},
      'com_2',
      { ...existing, fields: { ...existing.fields, parentId: 'com_1' } },
      { mode: 'update', overwrite: true },
    );

    // Assess
    expect(filled).toEqual({ fields: {}, parentId: 'com_1' });
    expect(kept).toBeUndefined();
    expect(moved).toEqual({ fields: {}, parentId: 'com_2' });
  });
});
