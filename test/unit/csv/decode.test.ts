import { describe, expect, it } from 'vitest';
import { decodeText } from '#csv/decode.ts';
import type { TextEncoding } from '#domain/text-format.ts';

async function decode(chunks: Uint8Array[]) {
  const encodings: TextEncoding[] = [];
  const invalid: string[] = [];
  let text = '';
  const source = (async function* () {
    yield* chunks;
  })();
  for await (const part of decodeText(source, {
    onEncoding: (e) => encodings.push(e),
    onInvalid: (m) => invalid.push(m),
  }))
    text += part;
  return { text, encodings, invalid };
}

/** Splits bytes into chunks of `size`, as a network stream might. */
const chunked = (bytes: Buffer, size: number) => {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};

const TEXT = 'Name,City\r\nZoë,Zürich\r\nJosé,São Paulo\r\n';

describe('Function: decodeText', () => {
  it.each<[string, Buffer, TextEncoding[]]>([
    ['UTF-8', Buffer.from(TEXT), ['utf-8']],
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${TEXT}`), ['utf-8 (BOM)']],
    ['UTF-16 LE with a BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le'), ['utf-16le']],
    ['UTF-16 BE with a BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le').swap16(), ['utf-16be']],
    ['UTF-16 LE without a BOM', Buffer.from(TEXT, 'utf16le'), ['utf-16le']],
    ['Windows-1252', Buffer.from(TEXT, 'latin1'), ['utf-8', 'windows-1252']],
  ])('decodes %s, in any chunking', async (_case, bytes, encodings) => {
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      // Act
      const result = await decode(chunked(bytes, size));

      // Assess
      expect(result.text).toBe(TEXT);
      expect(result.encodings).toEqual(encodings);
      expect(result.invalid).toEqual([]);
    }
  });

  it('switches to Windows-1252 at the first non-UTF-8 byte when all before it was ASCII', async () => {
    // Prepare: 100 kB of ASCII, then a Windows-1252 é
    const ascii = `Name,City\n${'Ann,Paris\n'.repeat(10_000)}`;
    const bytes = Buffer.concat([Buffer.from(ascii), Buffer.from('René,Genève\n', 'latin1')]);

    // Act
    const result = await decode(chunked(bytes, 16 * 1024));

    // Assess
    expect(result.text).toBe(`${ascii}René,Genève\n`);
    expect(result.encodings).toEqual(['utf-8', 'windows-1252']);
  });

  it('replaces bytes that are not UTF-8 after UTF-8 text, and says so once', async () => {
    // Prepare
    const bytes = Buffer.concat([Buffer.from('Name\nZoë\n'), Buffer.from('René\nAndré\n', 'latin1')]);

    // Act
    const result = await decode([bytes]);

    // Assess
    expect(result.text).toBe('Name\nZoë\nRen�\nAndr�\n');
    expect(result.encodings).toEqual(['utf-8']);
    expect(result.invalid).toHaveLength(1);
  });

  it('decodes an empty file as nothing', async () => {
    // Act
    const result = await decode([]);

    // Assess
    expect(result.text).toBe('');
  });
});
