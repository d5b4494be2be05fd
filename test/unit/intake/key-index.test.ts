import { describe, expect, it } from 'vitest';
import { KeyIndex } from '#intake/key-index.ts';

describe('Class: KeyIndex', () => {
  it('finds what was set by key, and nothing for a key never set', () => {
    // Prepare
    const index = new KeyIndex(16);

    // Act
    index.set('person|email:ava@acme.com', { file: 'people.csv', line: 2, fields: ['first_name', 'email'] });
    index.set('company|domain:acme.com', { file: 'companies.csv', line: 7, fields: ['name'], text: 'c-101' });
    index.addFields('person|email:ava@acme.com', ['phone']);

    // Assess
    expect(index.find('person|email:ava@acme.com')).toEqual({
      file: 'people.csv',
      line: 2,
      fields: ['first_name', 'email', 'phone'],
    });
    expect(index.find('company|domain:acme.com')).toEqual({
      file: 'companies.csv',
      line: 7,
      fields: ['name'],
      text: 'c-101',
    });
    expect(index.find('person|email:bob@acme.com')).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('grows past its slots and keeps every key', () => {
    // Prepare
    const index = new KeyIndex(8);

    // Act
    for (let i = 0; i < 5000; i++)
      index.set(`person|email:p${i}@x.com`, { file: 'p.csv', line: i + 2, fields: [] });

    // Assess
    expect(index.size).toBe(5000);
    for (let i = 0; i < 5000; i += 499) expect(index.find(`person|email:p${i}@x.com`)?.line).toBe(i + 2);
    expect(index.has('person|email:p5000@x.com')).toBe(false);
  });

  it('saves to bytes and loads back the same entries', () => {
    // Prepare
    const index = new KeyIndex(1024);
    for (let i = 0; i < 300; i++)
      index.set(`deal|ref:d${i}`, {
        file: i % 2 ? 'a.csv' : 'b.csv',
        line: i,
        fields: i % 3 ? ['name'] : ['name', 'amount'],
        ...(i % 5 ? {} : { text: `Zoë ${i}` }),
      });

    // Act
    const loaded = KeyIndex.fromBytes(index.toBytes(), 64);

    // Assess
    expect(loaded.size).toBe(300);
    for (let i = 0; i < 300; i++) expect(loaded.find(`deal|ref:d${i}`)).toEqual(index.find(`deal|ref:d${i}`));
    loaded.set('deal|ref:new', { file: 'c.csv', line: 1, fields: ['stage'], text: 'x' });
    expect(loaded.find('deal|ref:new')).toEqual({ file: 'c.csv', line: 1, fields: ['stage'], text: 'x' });
  });

  it('keeps texts of every length across its pages, and saves and loads them', () => {
    // Prepare: short ids, ids of 255 bytes and more, a text longer than a page, enough to fill several
    const texts = Array.from({ length: 40_000 }, (_, i) =>
      i === 7 ? 'ü'.repeat(700_000) : i % 1000 === 3 ? `id-${'é'.repeat(120 + (i % 7))}` : `p${i}`,
    );
    const index = new KeyIndex(1 << 17);

    // Act
    texts.forEach((text, i) => {
      index.set(`person|email:p${i}@x.com`, { file: 'p.csv', line: i + 2, fields: [], text });
    });
    const loaded = KeyIndex.fromBytes(index.toBytes());
    loaded.set('person|email:new@x.com', { file: 'p.csv', line: 1, fields: [], text: 'after' });

    // Assess
    texts.forEach((text, i) => {
      expect(index.find(`person|email:p${i}@x.com`)?.text).toBe(text);
      expect(loaded.find(`person|email:p${i}@x.com`)?.text).toBe(text);
    });
    expect(loaded.find('person|email:new@x.com')?.text).toBe('after');
  });
});
