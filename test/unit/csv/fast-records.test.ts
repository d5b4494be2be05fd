import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { copyTextState, newTextState } from '#csv/decode.ts';
import { type CsvStart, readCsvBatches } from '#csv/read-csv.ts';
import { bytesOf, type CorpusFile, chunksOf, corpusFile, shrink } from './csv-corpus.ts';

type Records = 'tokenizer' | 'csv-parse';

/**
 * Everything `readCsvBatches` hands out and reports, in order: headers (and the format as it stood
 * then), batch by batch every record, problems, an error, and the decoder's state at the end. Also the
 * lines csv-parse was started on, and a cursor after every record whose offset is known.
 */
async function readAll(chunks: Buffer[], records: Records, start?: CsvStart) {
  const log: unknown[] = [];
  const csvParse: number[] = [];
  const cursors: CsvStart[] = [];
  const text = start?.from === 'offset' ? copyTextState(start.text) : newTextState();
  let headers: string[] = [];
  let delimiter: ',' | ';' | '\t' | '|' = ',';
  try {
    for await (const batch of readCsvBatches(
      Readable.from(chunks),
      (found, format, header) => {
        headers = found;
        delimiter = format.delimiter;
        log.push(['headers', found, { ...format }, header]);
      },
      (problem) => log.push(['problem', problem.line, problem.message]),
      start,
      text,
      { records, onCsvParse: (line) => csvParse.push(line) },
    )) {
      log.push('batch');
      for (const r of batch) {
        log.push(['record', r.line, r.values, r.extra, r.short, r.next]);
        if (r.next.offset !== null)
          cursors.push({ from: 'offset', at: r.next, headers, delimiter, text: copyTextState(text) });
      }
    }
  } catch (error) {
    log.push(['error', String(error)]);
  }
  log.push(['text', text]);
  return { log: JSON.stringify(log), csvParse, cursors };
}

/** Both readers over the file, from its top and resumed after one of its records. */
async function compare(file: CorpusFile) {
  const bytes = bytesOf(file);
  const reference = await readAll(chunksOf(bytes, file.chunks), 'csv-parse');
  const fast = await readAll(chunksOf(bytes, file.chunks), 'tokenizer');
  const cursor = reference.cursors[Math.floor(file.resumeAt * reference.cursors.length)];
  let resumed: { reference: string; fast: string } | undefined;
  if (cursor?.from === 'offset') {
    const rest = chunksOf(bytes.subarray(cursor.at.offset as number), file.chunks);
    resumed = {
      reference: (await readAll(rest, 'csv-parse', cursor)).log,
      fast: (await readAll(rest, 'tokenizer', cursor)).log,
    };
  }
  const same = reference.log === fast.log && resumed?.reference === resumed?.fast;
  return { same, reference, fast, resumed };
}

/** Files in the corpus: a few seconds' worth; `CSV_CORPUS=100000` soaks it for longer. */
const CORPUS = Number(process.env.CSV_CORPUS ?? 3000);

describe('Function: readCsvBatches, the tokenizer against csv-parse', () => {
  it(`hands out and reports exactly what csv-parse does, over ${CORPUS} generated files`, async () => {
    // Prepare
    let regular = 0;
    let midFile = 0;
    let differing: CorpusFile | undefined;

    // Act
    for (let seed = 1; seed <= CORPUS && !differing; seed++) {
      const file = corpusFile(seed);
      const { same, fast } = await compare(file);
      if (!same) differing = file;
      if (file.regular) {
        regular += 1;
        // The tokenizer really read it: csv-parse was never started.
        expect(fast.csvParse, JSON.stringify(file)).toEqual([]);
      } else if (fast.csvParse.some((line) => line > 2)) midFile += 1;
    }

    // Assess: the smallest differing file, printed with what each reader made of it
    if (differing) {
      const smallest = await shrink(differing, async (file) => !(await compare(file)).same);
      const { reference, fast, resumed } = await compare(smallest);
      expect({ fast: fast.log, resumed: resumed?.fast }, JSON.stringify(smallest)).toEqual({
        fast: reference.log,
        resumed: resumed?.reference,
      });
    }
    // Both kinds of file are there in numbers: read alone, and handed to csv-parse part way through.
    expect(regular).toBeGreaterThan(CORPUS / 4);
    expect(midFile).toBeGreaterThan(CORPUS / 10);
  });

  it('reads a plain file without csv-parse, and hands one to it from its first irregular record', async () => {
    // Prepare
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `Ann ${i},"${i} Main St, Apt ""${i}""",a${i}@x.com\n`,
    );
    const plain = `Name,Address,Email\n${rows.join('')}`;
    // A quote inside an unquoted field is text to both: a nickname, a screen's inches.
    const inside = `Name,Address,Email\n${rows.slice(0, 499).join('')}Bob "B" Lee,"15"" screen",7" tall\n${rows.slice(499).join('')}`;
    // Text after a closing quote is csv-parse's to read.
    const stray = `Name,Address,Email\n${rows.slice(0, 499).join('')}"Bob" Lee,x,y\n${rows.slice(499).join('')}`;

    for (const [text, started] of [
      [plain, []],
      [inside, []],
      [stray, [501]],
    ] as const) {
      const chunks = chunksOf(Buffer.from(text), [4096]);

      // Act
      const reference = await readAll(chunks, 'csv-parse');
      const fast = await readAll(chunks, 'tokenizer');

      // Assess
      expect(fast.log).toBe(reference.log);
      expect(fast.csvParse).toEqual(started);
      expect(reference.csvParse).toEqual([1]);
    }
  });

  it('hands a record still open after a megabyte to csv-parse, and reads it as csv-parse does', async () => {
    // Prepare: a quoted field of 1.2 MB over many lines, then a record after it
    const notes = 'a line of notes, "quoted"\n'.replaceAll('"', '""').repeat(50_000);
    const text = `Name,Notes\r\nAnn,x\r\nBob,"${notes}"\r\nCy,z\r\n`;
    const chunks = chunksOf(Buffer.from(text), [65_536]);

    // Act
    const reference = await readAll(chunks, 'csv-parse');
    const fast = await readAll(chunks, 'tokenizer');

    // Assess
    expect(fast.log).toBe(reference.log);
    expect(fast.csvParse).toEqual([3]);
  });
});
