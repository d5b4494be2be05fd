import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, readCsv, readHeader } from '#csv/read-csv.ts';
import { ImportError } from '#domain/errors.ts';
import { storedZip } from '../../fixtures/office-files.ts';

const PEOPLE = 'First Name,Email\r\nZoë,zoe@x.com\r\nAnn,ann@x.com\r\n';

async function records(body: Readable): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of readCsv(
    body,
    () => undefined,
    () => undefined,
  ))
    out.push(record);
  return out;
}

const refusal = async (bytes: Buffer): Promise<ImportError> => {
  try {
    await records(Readable.from([bytes]));
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
};

describe('Function: readCsv, files that are not CSV', () => {
  it('reads a gzip-compressed CSV as the CSV inside it, with its lines', async () => {
    // Prepare
    const bytes = gzipSync(Buffer.from(PEOPLE));

    // Act
    const read = await records(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));

    // Assess
    expect(read.map((r) => [r.line, r.values['First Name']])).toEqual([
      [2, 'Zoë'],
      [3, 'Ann'],
    ]);
    // the compressed bytes cannot be read from the middle: a resumed split starts at the top
    expect(read.map((r) => r.next.offset)).toEqual([null, null]);
  });

  it('streams a gzip-compressed CSV: its header is read without decompressing the rest', async () => {
    // Prepare: 4 MB of CSV that does not compress much, handed over 4 kB at a time
    const rows = Array.from({ length: 100_000 }, () => `Ann,${randomBytes(16).toString('hex')}@x.com\n`);
    const big = gzipSync(Buffer.from(`First Name,Email\n${rows.join('')}`));
    let pulled = 0;
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < big.length; i += 4096) {
          pulled += 1;
          yield big.subarray(i, i + 4096);
        }
      })(),
    );

    // Act
    const head = await readHeader(body);

    // Assess
    expect(head?.headers).toEqual(['First Name', 'Email']);
    expect(pulled).toBeLessThan(Math.ceil(big.length / 4096) / 4);
  });

  it.each<[string, Buffer, string]>([
    [
      'an Excel workbook (.xlsx)',
      storedZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }),
      'is an Excel workbook: save it as CSV',
    ],
    [
      'another zip archive',
      storedZip({ 'people.csv': PEOPLE }),
      'is a zip archive: unzip it and drop the CSV files in it',
    ],
    [
      'an Excel 97-2003 workbook (.xls)',
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
      'is an Excel workbook (.xls, or another Office file): save it as CSV',
    ],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), 'is a PDF: export the data as CSV'],
    [
      'a binary file',
      Buffer.concat([Buffer.from('First Name,Email\n'), Buffer.from([0x00, 0x01, 0x02, 0x9c, 0x00])]),
      'is not a text file (it has binary bytes): export the data as CSV',
    ],
  ])('refuses %s with one message', async (_case, bytes, message) => {
    // Act
    const error = await refusal(bytes);

    // Assess
    expect(error.code).toBe('NOT_CSV');
    expect(error.message).toBe(message);
  });

  it('refuses a gzip-compressed workbook as the workbook it is', async () => {
    // Act
    const error = await refusal(gzipSync(storedZip({ 'xl/workbook.xml': '<workbook/>' })));

    // Assess
    expect(error.message).toBe('is an Excel workbook: save it as CSV');
  });

  it.each<[string, Buffer]>([
    ['UTF-16 LE without a BOM (its zero bytes are text)', Buffer.from(PEOPLE, 'utf16le')],
    ['UTF-16 BE with a BOM', Buffer.from(`\uFEFF${PEOPLE}`, 'utf16le').swap16()],
    ['Windows-1252', Buffer.from(PEOPLE, 'latin1')],
    ['a CSV with a stray NUL in a name', Buffer.from(PEOPLE.replace('Ann', 'A\u0000nn'))],
  ])('still reads %s', async (_case, bytes) => {
    // Act
    const read = await records(Readable.from([bytes]));

    // Assess
    expect(read.map((r) => r.values['First Name']?.replace('\u0000', ''))).toEqual(['Zoë', 'Ann']);
  });
});
