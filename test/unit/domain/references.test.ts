import { describe, expect, it } from 'vitest';
import type { Outcome } from '#domain/outcomes.ts';
import { ownKeys, ReferenceIndex, referenceKeys, wantedKeys } from '#domain/references.ts';

const outcome = (status: Outcome['status'], keys: string[], id?: string): Outcome => ({
  entity: 'company',
  file: 'companies.csv',
  line: 2,
  status,
  keys,
  ...(id ? { id } : {}),
});

describe('Class: ReferenceIndex', () => {
  it.each([
    ['C-17', 'ref:C-17'],
    ['Bob@Acme.com', 'email:bob@acme.com'],
    ['https://www.acme.com/about', 'domain:acme.com'],
    [' Acme Inc ', 'name:acme inc'],
  ])('finds %j through the job outcome keyed %j', (value, key) => {
    // Prepare
    const index = new ReferenceIndex();
    index.addOutcome(outcome('created', [key], 'com_1'));

    // Act
    const resolution = index.resolve(value);

    // Assess
    expect(resolution).toEqual({ kind: 'found', id: 'com_1' });
  });

  it.each<Outcome['status']>(['failed', 'held'])(
    'reports a reference to a %s row as unavailable',
    (status) => {
      // Prepare
      const index = new ReferenceIndex();
      const failed = { ...outcome(status, ['domain:acme.com']), code: 'REJECTED' as const };
      index.addOutcome(failed);
      index.addExisting(['name:acme.com'], 'com_old');

      // Act
      const resolution = index.resolve('acme.com');

      // Assess
      expect(resolution).toEqual({ kind: 'unavailable', by: failed });
    },
  );

  it('finds a record that was skipped because it already existed', () => {
    // Prepare
    const index = new ReferenceIndex();
    index.addOutcome(outcome('skipped', ['email:a@x.com'], 'rec_9'));

    // Act
    const resolution = index.resolve('A@X.com');

    // Assess
    expect(resolution).toEqual({ kind: 'found', id: 'rec_9' });
  });

  it('prefers the row whose record exists when two rows answer to one key', () => {
    // Prepare
    const index = new ReferenceIndex();
    index.addOutcome(outcome('failed', ['name:acme']));
    index.addOutcome(outcome('created', ['name:acme'], 'com_2'));
    index.addOutcome(outcome('failed', ['name:acme']));

    // Act
    const resolution = index.resolve('Acme');

    // Assess
    expect(resolution).toEqual({ kind: 'found', id: 'com_2' });
  });

  it('falls back to the records the target held before the job', () => {
    // Prepare
    const index = new ReferenceIndex();
    index.addOutcome(outcome('created', ['domain:other.com'], 'com_1'));
    index.addExisting(['domain:acme.com', 'name:acme'], 'com_old');
    index.addExisting(['domain:acme.com'], 'com_later');

    // Act
    const byDomain = index.resolve('www.acme.com');
    const byName = index.resolve('ACME');

    // Assess
    expect(byDomain).toEqual({ kind: 'found', id: 'com_old' });
    expect(byName).toEqual({ kind: 'found', id: 'com_old' });
    expect(index.existingId('domain:acme.com')).toBe('com_old');
  });

  it('reports a reference nothing answers to as missing', () => {
    // Prepare
    const index = new ReferenceIndex();
    index.addOutcome(outcome('created', ['domain:acme.com'], 'com_1'));

    // Act
    const resolution = index.resolve('Globex');

    // Assess
    expect(resolution).toEqual({ kind: 'missing' });
  });
});

describe('Class: ReferenceIndex, keeping only wanted keys', () => {
  it('resolves the values it was built for exactly as a full index does, and keeps nothing else', () => {
    // Prepare: a failed Acme row first, then the Acme that exists; Globex in the target only.
    const add = (index: ReferenceIndex) => {
      index.addOutcome(outcome('failed', ['ref:C-1', 'name:acme'], undefined));
      index.addOutcome(outcome('created', ['ref:C-9', 'name:acme', 'domain:acme.com'], 'com_9'));
      for (let n = 0; n < 1_000; n++) index.addOutcome(outcome('created', [`ref:X-${n}`], `com_x${n}`));
      index.addExisting(['name:globex', 'domain:globex.com'], 'com_g');
      index.addExisting(['name:initech'], 'com_i');
      return index;
    };
    const values = ['Acme', 'C-1', 'https://globex.com', 'Nowhere'];
    const full = add(new ReferenceIndex());

    // Act
    const kept = add(new ReferenceIndex(wantedKeys([...values, undefined, ''])));

    // Assess
    for (const value of values) expect(kept.resolve(value)).toEqual(full.resolve(value));
    expect(kept.resolve('X-5')).toEqual({ kind: 'missing' });
    expect(kept.resolve('Initech')).toEqual({ kind: 'missing' });
    expect(kept.existingId('name:initech')).toBeUndefined();
  });
});

describe('Function: referenceKeys', () => {
  it('tries the source id first and the name last', () => {
    // Act
    const keys = referenceKeys(' https://Acme.com ');

    // Assess
    expect(keys).toEqual(['ref:https://Acme.com', 'domain:acme.com', 'name:https://acme.com']);
  });
});

describe('Function: ownKeys', () => {
  it('lists a row’s source id, match key and name once each', () => {
    // Act
    const keys = ownKeys({ ref: 'C-1', key: 'name:acme', fields: { name: ' Acme ' } });

    // Assess
    expect(keys).toEqual(['ref:C-1', 'name:acme']);
  });
});
