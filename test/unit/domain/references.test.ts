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

  it('adds the name within the company the row names, which tells two namesakes apart', () => {
    // Act
    const keys = ownKeys({ fields: { first_name: 'Jane', last_name: 'Doe' }, refs: { company: ' Acme ' } });

    // Assess
    expect(keys).toEqual(['name:jane doe', 'name:jane doe|company:acme']);
  });
});

describe('Class: ReferenceIndex, ambiguity', () => {
  const person = (line: number, keys: string[], id: string): Outcome => ({
    entity: 'person',
    file: 'people.csv',
    line,
    status: 'created',
    keys,
    id,
  });

  it('fails an id two different rows have, naming both lines', () => {
    // Prepare
    const index = new ReferenceIndex(wantedKeys(['P92']));
    index.addOutcome(person(2, ['ref:P92', 'email:ana@x.com'], 'per_1'));
    index.addOutcome(person(7, ['ref:P92', 'email:bo@x.com'], 'per_2'));

    // Act
    const resolution = index.resolve('P92');

    // Assess
    expect(resolution).toEqual({
      kind: 'ambiguous',
      by: [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 7 })],
    });
  });

  it("fails an id split rewrote to a duplicate's surviving row when another row has that id too", () => {
    // Prepare: line 2 is P92; line 4, also P92, was a duplicate of line 3 (P10) and merged into it
    const ask = { value: 'P10', aliased: { id: 'P92', file: 'people.csv', line: 4 } };
    const index = new ReferenceIndex(wantedKeys([ask]));
    index.addOutcome(person(2, ['ref:P92', 'email:ana@x.com'], 'per_1'));
    index.addOutcome(person(3, ['ref:P10', 'email:bo@x.com'], 'per_2'));

    // Act
    const resolution = index.resolve(ask);
    const alone = new ReferenceIndex();
    alone.addOutcome(person(3, ['ref:P10', 'email:bo@x.com'], 'per_2'));

    // Assess: both rows that had the id are named; without another P92 the duplicate's row is meant
    expect(resolution).toEqual({
      kind: 'ambiguous',
      by: [expect.objectContaining({ file: 'people.csv', line: 2 }), { file: 'people.csv', line: 4 }],
    });
    expect(alone.resolve(ask)).toEqual({ kind: 'found', id: 'per_2' });
  });

  it('fails a name two people share, unless the company of the row that names it tells them apart', () => {
    // Prepare
    const jane = (line: number, company: string, id: string) =>
      person(line, ownKeys({ fields: { first_name: 'Jane', last_name: 'Doe' }, refs: { company } }), id);
    const asks = [
      { value: 'Jane Doe', within: 'Acme' },
      'Jane Doe',
      { value: 'jane doe', within: 'Initech' },
    ];
    const index = new ReferenceIndex(wantedKeys(asks));
    index.addOutcome(jane(2, 'Acme', 'per_1'));
    index.addOutcome(jane(5, 'Globex', 'per_2'));

    // Act
    const [withinAcme, anywhere, withinInitech] = asks.map((ask) => index.resolve(ask));

    // Assess
    expect(withinAcme).toEqual({ kind: 'found', id: 'per_1' });
    expect(anywhere).toMatchObject({ kind: 'ambiguous', by: [{ line: 2 }, { line: 5 }] });
    expect(withinInitech).toMatchObject({ kind: 'ambiguous' });
  });

  it('is not ambiguous when the rows are one record, or one of them never became one', () => {
    // Prepare: a row and its re-run; a failed row and a created one (a fixed failures.csv dropped back in)
    const index = new ReferenceIndex();
    index.addOutcome(person(2, ['ref:P1'], 'per_1'));
    index.addOutcome(person(2, ['ref:P1'], 'per_1'));
    index.addOutcome({ ...person(3, ['ref:P2'], 'x'), status: 'failed', id: undefined });
    index.addOutcome({ ...person(2, ['ref:P2'], 'per_2'), file: 'failures.csv' });
    index.addOutcome(person(8, ['ref:P3'], 'per_3'));
    index.addOutcome({ ...person(9, ['ref:P3'], 'per_3'), status: 'skipped' });

    // Act, Assess
    expect(index.resolve('P1')).toEqual({ kind: 'found', id: 'per_1' });
    expect(index.resolve('P2')).toEqual({ kind: 'found', id: 'per_2' });
    expect(index.resolve('P3')).toEqual({ kind: 'found', id: 'per_3' });
  });
});
