import { describe, expect, it } from 'vitest';
import { decodeText, newTextState } from '#csv/decode.ts';
import type { TextEncoding } from '#domain/text-format.ts';

async function decode(chunks: Uint8Array[], state = newTextState(), line?: number) {
  const encodings: TextEncoding[] = [];
  let text = '';
  const source = (async function* () {
    yield* chunks;
  })();
  const read = line === undefined ? {} : { resumed: true, line };
  for await (const part of decodeText(source, (e) => encodings.push(e), state, read)) text += part;
  return { text, encodings, state };
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
      expect(result.state.mixed).toBe(false);
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

  it.each<[string, Buffer[], string, number[]]>([
    [
      'Latin-1 lines after UTF-8 text',
      [Buffer.from('Name\nZoë\n'), Buffer.from('René\nAndré\n', 'latin1'), Buffer.from('Jürgen\n')],
      'Name\nZoë\nRené\nAndré\nJürgen\n',
      [3, 4],
    ],
    [
      'a Latin-1 line first, UTF-8 after it',
      [Buffer.from('Name\n'), Buffer.from('François\n', 'latin1'), Buffer.from('Zoë\nGärtner\n')],
      'Name\nFrançois\nZoë\nGärtner\n',
      [2],
    ],
    [
      'CRLF and CR line breaks',
      [Buffer.from('Name\r\nZoë\r\r\n'), Buffer.from('Gärtner\rRené', 'latin1')],
      'Name\r\nZoë\r\r\nGärtner\rRené',
      [4, 5],
    ],
  ])(
    'reads each line that is not UTF-8 as Windows-1252: %s, in any chunking',
    async (_case, parts, expected, lines) => {
      for (const size of [1, 2, 3, 7, 64, 4096]) {
        // Act
        const result = await decode(chunked(Buffer.concat(parts), size));

        // Assess
        expect(result.text).toBe(expected);
        expect(result.state.windows1252Lines).toEqual({ first: lines, count: lines.length });
        expect(result.state.mixed).toBe(true);
      }
    },
  );

  it('numbers the lines from where a resumed read starts', async () => {
    // Prepare
    const state = { ...newTextState(), sawNonAscii: true };

    // Act
    const result = await decode([Buffer.from('Ann\nRené\n', 'latin1')], state, 41);

    // Assess
    expect(result.text).toBe('Ann\nRené\n');
    expect(result.state.windows1252Lines).toEqual({ first: [42], count: 1 });
  });

  it('names the first lines and counts the rest', async () => {
    // Prepare
    const bytes = Buffer.concat([Buffer.from('Zoë\n'), Buffer.from('René\n'.repeat(500), 'latin1')]);

    // Act
    const result = await decode(chunked(bytes, 1000));

    // Assess
    expect(result.state.windows1252Lines?.count).toBe(500);
    expect(result.state.windows1252Lines?.first).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });

  it('reads the same lines, line ends and encodings in every chunking', async () => {
    // Prepare: LF, CR and CRLF ends, blank lines, UTF-8 and Windows-1252 lines, a CR last
    const bytes = Buffer.concat([
      Buffer.from('Name,City\r\nZoë,Zürich\rAnn,Oslo\n\r\n'),
      Buffer.from('René,Genève\r\nJosé\r', 'latin1'),
      Buffer.from('\nSøren,Århus\r\r\n'),
      Buffer.from('Noël\r', 'latin1'),
    ]);
    const whole = await decode([bytes]);

    for (let size = 1; size <= bytes.length; size++) {
      // Act
      const result = await decode(chunked(bytes, size));

      // Assess
      expect(result.text).toBe(whole.text);
      expect(result.encodings).toEqual(whole.encodings);
      expect(result.state).toEqual(whole.state);
    }
    expect(whole.text).toBe(
      'Name,City\r\nZoë,Zürich\rAnn,Oslo\n\r\nRené,Genève\r\nJosé\r\nSøren,Århus\r\r\nNoël\r',
    );
    expect(whole.state.windows1252Lines).toEqual({ first: [5, 6, 9], count: 3 });
  });

  it('never makes a replacement character, whatever the bytes', async () => {
    // Prepare: every byte value, after UTF-8 text, in lines of its own and a line of them all
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 10 && b !== 13));
    const bytes = Buffer.concat([
      Buffer.from('Zoë\n'),
      all,
      Buffer.from('\n'),
      ...[...all].map((b) => Buffer.from([b, 10])),
    ]);

    // Act
    const result = await decode(chunked(bytes, 5));

    // Assess
    expect(result.text).not.toContain('\uFFFD');
  });

  it('decides a line longer than it holds in memory a piece at a time', async () => {
    // Prepare: 3 MB with no line break, Latin-1 at the end
    const bytes = Buffer.concat([Buffer.from('x'.repeat(3_000_000)), Buffer.from('é', 'latin1')]);

    // Act
    const result = await decode(chunked(bytes, 64 * 1024));

    // Assess
    expect(result.text).toBe(`${'x'.repeat(3_000_000)}é`);
    expect(result.state.windows1252Lines).toEqual({ first: [1], count: 1 });
  });

  it('decodes an empty file as nothing', async () => {
    // Act
    const result = await decode([]);

    // Assess
    expect(result.text).toBe('');
  });
});
