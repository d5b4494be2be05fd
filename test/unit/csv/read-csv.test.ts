import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CsvFormat, type CsvProblem, type CsvRecord, readCsv, readHeader } from '#csv/read-csv.ts';

async function read(chunks: (string | Buffer)[]) {
  const headers: string[][] = [];
  const formats: CsvFormat[] = [];
  const problems: CsvProblem[] = [];
  const records: CsvRecord[] = [];
  for await (const record of readCsv(
    Readable.from(chunks),
    (h, format) => {
      headers.push(h);
      formats.push({ ...format });
    },
    (p) => problems.push(p),
  )) {
    records.push(record);
  }
  return { headers, formats, problems, records };
}

const linesOf = (records: CsvRecord[]) => records.map((r) => [r.line, r.values.Name]);

describe('Function: readCsv', () => {
  it.each([
    [
      'LF',
      'Name,Email\nAnn,a@x.com\nBob,b@x.com\n',
      [
        [2, 'Ann'],
        [3, 'Bob'],
      ],
    ],
    [
      'CRLF',
      'Name,Email\r\nAnn,a@x.com\r\nBob,b@x.com\r\n',
      [
        [2, 'Ann'],
        [3, 'Bob'],
      ],
    ],
    [
      'no final line break',
      'Name,Email\nAnn,a@x.com\nBob,b@x.com',
      [
        [2, 'Ann'],
        [3, 'Bob'],
      ],
    ],
    [
      'blank lines',
      'Name,Email\n\nAnn,a@x.com\n\n\nBob,b@x.com\n\n',
      [
        [3, 'Ann'],
        [6, 'Bob'],
      ],
    ],
    [
      'blank CRLF lines',
      'Name,Email\r\n\r\nAnn,a@x.com\r\n\r\nBob,b@x.com\r\n',
      [
        [3, 'Ann'],
        [5, 'Bob'],
      ],
    ],
    [
      'a quoted line break',
      'Name,Notes\nAnn,"line one\nline two"\nBob,x\n',
      [
        [2, 'Ann'],
        [4, 'Bob'],
      ],
    ],
    [
      'a quoted line break with blank lines in it',
      'Name,Notes\n"Ann","a\n\nb"\n\nBob,x\n',
      [
        [2, 'Ann'],
        [6, 'Bob'],
      ],
    ],
    [
      'a quoted LF in a CRLF file',
      'Name,Notes\r\nAnn,"a\nb"\r\nBob,x\r\n',
      [
        [2, 'Ann'],
        [4, 'Bob'],
      ],
    ],
  ])('numbers records by the line they start on (%s)', async (_case, text, expected) => {
    // Act
    const { records, problems } = await read([text]);

    // Assess
    expect(linesOf(records)).toEqual(expected);
    expect(problems).toEqual([]);
  });

  it('gives the same lines however the stream is chunked', async () => {
    // Prepare
    const text = 'Name,Notes\n\nAnn,"one\ntwo"\nBob,x\n';

    // Act
    const { records } = await read(text.split(''));

    // Assess
    expect(linesOf(records)).toEqual([
      [3, 'Ann'],
      [5, 'Bob'],
    ]);
    expect(records[0]?.values.Notes).toBe('one\ntwo');
  });

  it('strips a byte order mark from the first header', async () => {
    // Act
    const { headers, records } = await read(['\uFEFFEmail,Name\na@x.com,Ann\n']);

    // Assess
    expect(headers).toEqual([['Email', 'Name']]);
    expect(records[0]?.values).toEqual({ Email: 'a@x.com', Name: 'Ann' });
  });

  it('renames blank and repeated headers so no column is lost', async () => {
    // Act
    const { headers, records } = await read([
      'Name,Email,, Email ,Email\nAnn,a@x.com,note,b@x.com,c@x.com\n',
    ]);

    // Assess
    expect(headers).toEqual([['Name', 'Email', 'Column 3', 'Email (2)', 'Email (3)']]);
    expect(records[0]?.values).toEqual({
      Name: 'Ann',
      Email: 'a@x.com',
      'Column 3': 'note',
      'Email (2)': 'b@x.com',
      'Email (3)': 'c@x.com',
    });
  });

  it('says which columns share a name, and on which line the header is', async () => {
    // Prepare
    const sameNames: unknown[] = [];
    const collect = async (text: string) => {
      for await (const _ of readCsv(
        Readable.from([text]),
        (_headers, _format, header) => sameNames.push(header),
        () => undefined,
      ));
    };

    // Act
    await collect('Name,Email,, Email ,Email,Name\nAnn,,note,b@x.com,c@x.com,A\n');
    await collect('sep=;\nEmail;Email\na@x.com;b@x.com\n');
    await collect('Name,Email\nAnn,a@x.com\n');

    // Assess
    expect(sameNames).toEqual([
      {
        line: 1,
        sameNames: [
          ['Name', 'Name (2)'],
          ['Email', 'Email (2)', 'Email (3)'],
        ],
      },
      { line: 2, sameNames: [['Email', 'Email (2)']] },
      { line: 1, sameNames: [] },
    ]);
  });

  it('keeps records with too few or too many cells, saying which', async () => {
    // Act
    const { records, problems } = await read(['Name,Email\nAnn\nBob,b@x.com,extra\nCy,c@x.com,,\n']);

    // Assess: too few reads as blank; too many keeps the extra fields apart; trailing blanks are nothing
    expect(linesOf(records)).toEqual([
      [2, 'Ann'],
      [3, 'Bob'],
      [4, 'Cy'],
    ]);
    expect(records.map((r) => [r.values.Email, r.short, r.extra])).toEqual([
      ['', true, []],
      ['b@x.com', false, ['extra']],
      ['c@x.com', false, []],
    ]);
    expect(problems).toEqual([]);
  });

  it('reads stray quotes inside a field rather than dropping the record', async () => {
    // Act
    const { records, problems } = await read(['Name,Email\nAnn "the boss" Lee,a@x.com\n"Bob"x,b@x.com\n']);

    // Assess
    expect(records.map((r) => r.values.Name)).toEqual(['Ann "the boss" Lee', '"Bob"x']);
    expect(problems).toEqual([]);
  });

  it('skips only the line a never-closed quote opens on, and reads the lines after it', async () => {
    // Act: as it arrives, in one piece, a character at a time, and with CRLF line ends
    const text = 'Name,Email\nAnn,a@x.com\n\n"Bob,b@x.com\nCy,c@x.com\nDee,d@x.com\n';
    const whole = await read([text]);
    const trickle = await read([...text]);
    const crlf = await read([text.replaceAll('\n', '\r\n')]);

    // Assess: Bob's line is the one problem, named by its line; Cy and Dee come through on theirs
    for (const { records, problems } of [whole, trickle, crlf]) {
      expect(linesOf(records)).toEqual([
        [2, 'Ann'],
        [5, 'Cy'],
        [6, 'Dee'],
      ]);
      expect(problems).toEqual([
        {
          line: 4,
          message:
            'a quote opens on this line and never closes: the line is skipped, the lines after it are read',
        },
      ]);
    }
    expect(whole.records.at(-1)?.values).toEqual({ Name: 'Dee', Email: 'd@x.com' });
  });

  it('a record read again after a never-closed quote ends where the file says: a resumed read starts there', async () => {
    // Prepare
    const text = 'Name,Email\n"Bob,b@x.com\nCy,c@x.com\nDee,d@x.com\n';

    // Act
    const { records } = await read([text]);

    // Assess: Cy's record ends at the byte where Dee's line begins
    const cy = records.find((r) => r.values.Name === 'Cy');
    expect(cy?.next).toEqual({ line: 4, offset: text.indexOf('Dee') });
  });

  it('counts a CRLF inside a quoted field as one line', async () => {
    // Act
    const { records } = await read(['Name,Notes\r\nAnn,"a\r\nb"\r\nBob,x\r\n']);

    // Assess
    expect(linesOf(records)).toEqual([
      [2, 'Ann'],
      [4, 'Bob'],
    ]);
  });

  it('keeps counting lines when the input arrives one character at a time', async () => {
    // Act
    const { records } = await read([...'Name,Notes\r\n\r\nAnn,"a\r\nb"\r\nBob,x\r\n']);

    // Assess
    expect(linesOf(records)).toEqual([
      [3, 'Ann'],
      [5, 'Bob'],
    ]);
  });

  it('fails when the body stream fails', async () => {
    // Prepare
    const body = new Readable({ read() {} });
    body.push('Name,Email\nAnn,a@x.com\n');
    setImmediate(() => body.destroy(new Error('S3 connection reset')));

    // Act
    const consume = async () => {
      for await (const _record of readCsv(
        body,
        () => undefined,
        () => undefined,
      )) {
        // drain
      }
    };

    // Assess
    await expect(consume()).rejects.toThrow('S3 connection reset');
  });

  it.each<[string, string | Buffer, CsvFormat]>([
    ['a comma file', 'Name,Email\nAnn,a@x.com\n', { encoding: 'utf-8', delimiter: ',' }],
    ['a semicolon file', 'Name;Email\nAnn;a@x.com\n', { encoding: 'utf-8', delimiter: ';' }],
    ['a tab file', 'Name\tEmail\nAnn\ta@x.com\n', { encoding: 'utf-8', delimiter: '\t' }],
    ['a pipe file', 'Name|Email\nAnn|a@x.com\n', { encoding: 'utf-8', delimiter: '|' }],
    [
      'Excel "Unicode text"',
      Buffer.from('\uFEFFName\tEmail\r\nAnn\ta@x.com\r\n', 'utf16le'),
      { encoding: 'utf-16le', delimiter: '\t' },
    ],
    [
      'a semicolon CRLF file',
      Buffer.from('Name;Email\r\nAnn;a@x.com\r\n'),
      { encoding: 'utf-8', delimiter: ';' },
    ],
  ])('finds the separator and encoding of %s', async (_case, input, format) => {
    // Act
    const { records, formats } = await read([input]);

    // Assess
    expect(formats).toEqual([format]);
    expect(records.map((r) => r.values)).toEqual([{ Name: 'Ann', Email: 'a@x.com' }]);
  });

  it('reads a file that names its separator on an Excel "sep=" line, counting lines from it', async () => {
    // Act
    const { headers, records, formats } = await read(['sep=;\r\nName;Notes\r\nAnn;"a, b"\r\nBob;x\r\n']);

    // Assess
    expect(headers).toEqual([['Name', 'Notes']]);
    expect(formats[0]?.delimiter).toBe(';');
    expect(records.map((r) => [r.line, r.values.Notes])).toEqual([
      [3, 'a, b'],
      [4, 'x'],
    ]);
  });

  it('knows the header before it reports a problem further on', async () => {
    // Prepare
    const order: string[] = [];

    // Act
    for await (const _record of readCsv(
      Readable.from(['Name,Email\nAnn,a@x.com\n"Bob,b@x.com\n']),
      () => order.push('headers'),
      () => order.push('problem'),
    ))
      order.push('record');

    // Assess
    expect(order.indexOf('headers')).toBe(0);
    expect(order).toContain('problem');
  });
});

describe('Function: readCsv, resuming', () => {
  const collect = async (body: Buffer, start?: Parameters<typeof readCsv>[3]) => {
    const records: CsvRecord[] = [];
    let format: CsvFormat | undefined;
    for await (const record of readCsv(
      Readable.from([body]),
      (_, f) => {
        format = f;
      },
      () => undefined,
      start,
    ))
      records.push(record);
    return { records, format };
  };

  it.each<[string, Buffer]>([
    ['UTF-8, CRLF, blank lines', Buffer.from('Name,Notes\r\nAnn,x\r\n\r\n\r\nBob,"a\r\nb"\r\nCy,z\r\n')],
    ['UTF-8 with a BOM and accents', Buffer.from('\uFEFFName,Notes\nZoë,é\nBob,ü\nCy,z')],
    ['a "sep=" line', Buffer.from('sep=;\r\nName;Notes\r\nAnn;x\r\nBob;y\r\n')],
    ['Windows-1252', Buffer.from('Name,Notes\r\nAnn,x\r\nZoé,ü\r\nCy,z\r\n', 'latin1')],
    ['UTF-16 LE with a BOM', Buffer.from('\uFEFFName\tNotes\r\nZoë\tx\r\nBob\ty\r\n', 'utf16le')],
  ])('resumed at any record of %s, reads the rest with the same lines', async (_case, body) => {
    // Prepare
    const whole = await collect(body);
    const format = whole.format as CsvFormat;

    for (const [i, record] of whole.records.entries()) {
      // Act
      const { offset, line } = record.next;
      const text = { encoding: format.encoding, bom: 0, sawNonAscii: false, mixed: false };
      const rest = await collect(body.subarray(offset as number), {
        from: 'offset',
        at: { offset, line },
        headers: Object.keys(record.values),
        delimiter: format.delimiter,
        text,
      });

      // Assess
      const later = whole.records.slice(i + 1);
      expect(rest.records.map((r) => [r.line, r.values])).toEqual(later.map((r) => [r.line, r.values]));
      expect(rest.records.map((r) => r.next)).toEqual(later.map((r) => r.next));
    }
  });
});

describe('Function: readHeader', () => {
  it('reads the header and format and no further', async () => {
    // Prepare
    let pulled = 0;
    const body = Readable.from(
      (function* () {
        yield 'First Name;Email\n';
        for (let i = 0; i < 100_000; i++) {
          pulled += 1;
          yield `Ann;a${i}@x.com\n`;
        }
      })(),
    );

    // Act
    const head = await readHeader(body);

    // Assess
    expect(head).toEqual({ headers: ['First Name', 'Email'], format: { encoding: 'utf-8', delimiter: ';' } });
    // a few buffers' worth of a 1.7 MB file, not all of it
    expect(pulled).toBeLessThan(20_000);
    expect(body.destroyed).toBe(true);
  });
});

describe('Function: readCsv, Windows-1252', () => {
  it('reads European Excel (Windows-1252, semicolons) with its accents', async () => {
    // Act
    const { records, formats } = await read([Buffer.from('Name;City\r\nRené;Genève\r\n', 'latin1')]);

    // Assess
    expect(formats).toEqual([{ encoding: 'windows-1252', delimiter: ';' }]);
    expect(records.map((r) => r.values)).toEqual([{ Name: 'René', City: 'Genève' }]);
  });
});

describe('Function: readCsv, a big chunk', () => {
  it('reads a chunk of many records in pieces as it reads the same bytes a few at a time', async () => {
    // Prepare: CRLF, notes over several lines, letters of two and four UTF-8 bytes, extra fields.
    let text = 'Name,Notes,City\r\n';
    for (let i = 0; i < 3000; i++) {
      const notes = i % 7 === 0 ? `"first line ${i}\r\nsecond 😀 line, quoted"` : `note ${i} 😀`;
      text += `Zoë ${i},${notes},Genève${i % 11 === 0 ? ',extra' : ''}\r\n`;
    }
    const bytes = Buffer.from(text, 'utf8');
    const small: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 7) small.push(bytes.subarray(at, at + 7));

    // Act
    const whole = await read([bytes]);
    const bySmallChunks = await read(small);

    // Assess
    expect(whole.records).toHaveLength(3000);
    expect(whole.records).toEqual(bySmallChunks.records);
    expect(whole.problems).toEqual(bySmallChunks.problems);
    expect(whole.records[7]?.values.Notes).toBe('first line 7\r\nsecond 😀 line, quoted');
    expect(whole.records.at(-1)?.next).toEqual({
      line: 3000 + Math.ceil(3000 / 7) + 2,
      offset: bytes.length,
    });
  });
});
