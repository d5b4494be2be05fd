import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type Options, parse } from 'csv-parse';
import { withoutControlCharacters } from '#domain/control-characters.ts';
import { type Delimiter, separatorLine, sniffDelimiter, type TextEncoding } from '#domain/text-format.ts';
import {
  copyTextState,
  decodeText,
  encodedLength,
  LineNotes,
  newTextState,
  type TextState,
} from './decode.ts';
import { breaks, fastRecords, type ParsedRecord, type Takeover, type TextParser } from './fast-records.ts';
import { plainBytes } from './plain-bytes.ts';

export interface CsvFormat {
  encoding: TextEncoding;
  delimiter: Delimiter;
}

export interface CsvRecord {
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  /** One value per header; a record with fewer fields has the missing ones blank. */
  values: Record<string, string>;
  /** Non-blank fields past the last header (blank ones, a trailing separator, are ignored). */
  extra: string[];
  /** The record had fewer fields than the header. */
  short: boolean;
  /** Where the read goes on after this record: a split that stops here resumes from it. */
  next: CsvPosition;
}

/** A place between two records of a file. */
export interface CsvPosition {
  /** Line the next record is counted from. */
  line: number;
  /** Its byte offset in the file; null once decoded text no longer measures bytes (lines of both encodings). */
  offset: number | null;
}

/** What the header line says besides the column names. */
export interface CsvHeader {
  /** The line it is on (2 after a `sep=` line; 0 when a resumed read was handed the header). */
  line: number;
  /** Columns that share a name: the names given to them (`Email`, `Email (2)`), in column order. */
  sameNames: string[][];
}

export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Where a read begins: at the top of the file; at a record's first byte (the body is the file from
 * there, read as the header and decoder state say); or, when no byte offset is known, at the top again
 * with every record before a line passed over.
 */
export type CsvStart =
  | { from: 'top' }
  | {
      from: 'offset';
      at: CsvPosition;
      headers: string[];
      sameNames?: string[][];
      delimiter: Delimiter;
      text: TextState;
    }
  | { from: 'line'; at: CsvPosition };

/** How records are read; the defaults are what every caller wants. */
export interface CsvReading {
  /**
   * `csv-parse` reads every record with csv-parse, as before the tokenizer: the reference the tokenizer is
   * tested against, record for record.
   */
  records?: 'tokenizer' | 'csv-parse';
  /** Told the line each csv-parse starts on: shows which files the tokenizer left to it. */
  onCsvParse?: (line: number) => void;
}

/** The most text parsed into one batch of records. */
const BATCH_TEXT = 16 * 1024;

/**
 * Where the piece of a decoded chunk that starts at `at` ends: just after its last line feed within
 * BATCH_TEXT, as the decoder itself ends a chunk after a line break (the whole rest when there is none).
 */
function pieceEnd(chunk: string, at: number): number {
  if (chunk.length - at <= BATCH_TEXT) return chunk.length;
  const feed = chunk.lastIndexOf('\n', at + BATCH_TEXT - 1);
  return feed >= at ? feed + 1 : chunk.length;
}

/** How far to look for the end of the header line before sniffing the separator anyway. */
const HEADER_PEEK = 64 * 1024;

/**
 * Streams a CSV: decodes it (UTF-8, UTF-16, or Windows-1252 line by line), finds its separator on the header line,
 * then yields one record at a time with the line it starts on. A record the parser cannot read is
 * reported with its line and skipped; the records around it still come through. Problems are reported
 * in file order between the records, so a reader that stops after a record has seen exactly the
 * problems before it. `text` is kept up to date with what the decoder learns.
 */
export async function* readCsv(
  body: Readable,
  onHeaders: (headers: string[], format: CsvFormat, header: CsvHeader) => void,
  onProblem: (problem: CsvProblem) => void,
  start: CsvStart = { from: 'top' },
  text?: TextState,
): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(body, onHeaders, onProblem, start, text)) yield* batch;
}

/**
 * `readCsv`, a batch of records at a time (those of one decoded chunk): a reader of every record waits
 * once a chunk rather than once a record. Each batch is read once, in order, before the next is asked
 * for; problems are reported, and the decoder's notes taken, as its records are, so a reader that stops
 * after a record has seen exactly what `readCsv` would have shown it. Records are read by our tokenizer
 * (`fast-records.ts`) and, from the first one it is not certain of, by csv-parse; `reading` can have
 * csv-parse read them all, as the reference the tokenizer is tested against.
 */
export async function* readCsvBatches(
  body: Readable,
  onHeaders: (headers: string[], format: CsvFormat, header: CsvHeader) => void,
  onProblem: (problem: CsvProblem) => void,
  start: CsvStart = { from: 'top' },
  text: TextState = start.from === 'offset' ? copyTextState(start.text) : newTextState(),
  reading: CsvReading = {},
): AsyncGenerator<Iterable<CsvRecord>> {
  const resumed = start.from === 'offset';
  const format: CsvFormat = { encoding: text.encoding, delimiter: resumed ? start.delimiter : ',' };
  const skipBefore = start.from === 'line' ? start.at.line : 0;
  const bytes = plainBytes(body, text, !resumed);
  const notes = new LineNotes(text);
  const texts = decodeText(
    bytes,
    (encoding) => {
      format.encoding = encoding;
    },
    text,
    { resumed, line: resumed ? start.at.line : 1, notes },
  )[Symbol.asyncIterator]();
  let head = '';
  let declared: Delimiter | undefined;
  let offset = resumed ? (start.at.offset as number) : 0;
  if (!resumed) {
    while (!/\r|\n/.test(head) && head.length < HEADER_PEEK) {
      const next = await texts.next();
      if (next.done) break;
      head += next.value;
    }
    const firstLine = head.split(/\r\n|\r|\n/, 1)[0] ?? '';
    declared = separatorLine(firstLine);
    offset = text.bom;
    if (declared) {
      const rest = head.slice(firstLine.length).replace(/^(\r\n|\r|\n)/, '');
      offset += encodedLength(head.slice(0, head.length - rest.length), format.encoding);
      head = rest;
    }
    format.delimiter = declared ?? sniffDelimiter(firstLine);
  }

  let headers: string[] | undefined = resumed ? start.headers : undefined;
  if (resumed) onHeaders(start.headers, format, { line: 0, sameNames: start.sameNames ?? [] });
  // The header is taken inside the parser, as it parses: records and problems further on then already
  // know the file's columns (the parser runs ahead of the records handed out).
  const onFirst = (fields: string[]) => {
    const unique = uniqueHeaders(fields);
    headers = unique.headers;
    onHeaders(headers, format, { line: declared ? 2 : 1, sameNames: unique.sameNames });
  };
  const problems: CsvProblem[] = [];
  const measure = (raw: string) => {
    offset += encodedLength(raw, format.encoding);
    return text.mixed || text.gzip ? null : offset;
  };
  // Records are collected as the parser finds them, not pushed through its readable side one by one:
  // each text chunk is written to it and parsed there and then.
  let parsed: ParsedRecord[] = [];
  /** The lines after a never-closed quote, read again once the parser has ended. */
  let unclosed: { tail: string; line: number } | undefined;
  let failed: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failed ??= { error };
  };
  const onRecord = (record: ParsedRecord) => parsed.push(record);
  const csvParse = (at: Takeover): TextParser => {
    reading.onCsvParse?.(at.line);
    const made = parserFor({
      delimiter: format.delimiter,
      at,
      onHeader: onFirst,
      onRecord,
      onProblem: (problem) => problems.push(problem),
      measure,
      onUnclosed: (tail, line) => {
        unclosed = { tail, line };
      },
    });
    made.on('error', fail);
    return {
      write: (piece) => {
        made.write(piece);
      },
      end: async () => {
        made.end();
        await finished(made, { readable: false });
      },
    };
  };
  const newParser = (line: number, header: boolean): TextParser =>
    reading.records === 'csv-parse'
      ? csvParse({ line, header, fresh: true })
      : fastRecords({
          delimiter: format.delimiter,
          line,
          header,
          onHeader: onFirst,
          onRecord,
          measure,
          onError: fail,
          takeover: csvParse,
        });
  const parser = newParser(resumed ? start.at.line : declared ? 2 : 1, !resumed);
  body.on('error', fail);
  const reportBefore = (line: number) => {
    while (problems.length && (problems[0] as CsvProblem).line < line) {
      const problem = problems.shift() as CsvProblem;
      if (problem.line >= skipBefore) onProblem(problem);
    }
  };
  function* recordsOf(batch: ParsedRecord[]): Generator<CsvRecord> {
    for (const { line, fields, next } of batch) {
      reportBefore(line);
      if (line < skipBefore) continue;
      const columns = headers as string[];
      const values: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i] as string] = fields[i] ?? '';
      const extra = fields.length > columns.length ? extraFields(fields, columns.length) : [];
      notes.taken(next.line);
      yield { line, values, extra, short: fields.length < columns.length, next };
    }
  }
  const taken = () => {
    const batch = parsed;
    parsed = [];
    return recordsOf(batch);
  };
  /** Writes text to a parser a piece at a time; each piece's records are all alive until its batch is read. */
  function* feed(into: TextParser, chunk: string): Generator<Iterable<CsvRecord>> {
    for (let at = 0, end = 0; at < chunk.length; at = end) {
      end = pieceEnd(chunk, at);
      into.write(at === 0 && end === chunk.length ? chunk : chunk.slice(at, end));
      // Set by the parser's callbacks, which the compiler does not follow.
      const stopped = failed as { error: unknown } | undefined;
      if (stopped) throw stopped.error;
      if (parsed.length) yield taken();
    }
  }
  /** Ends a parser, then hands over what it parsed last. */
  async function* end(into: TextParser): AsyncGenerator<Iterable<CsvRecord>> {
    await into.end();
    if (parsed.length) yield taken();
  }
  try {
    let chunk: string | undefined = head || undefined;
    for (;;) {
      if (chunk === undefined) {
        const next = await texts.next();
        if (failed) throw failed.error;
        if (next.done) break;
        chunk = next.value;
      }
      yield* feed(parser, chunk);
      chunk = undefined;
    }
    yield* end(parser);
    // The lines after a quote that never closed, read again by a parser of their own.
    while (unclosed) {
      const { tail, line } = unclosed;
      unclosed = undefined;
      const again = newParser(line, false);
      yield* feed(again, tail);
      yield* end(again);
    }
    reportBefore(Infinity);
    notes.taken(Infinity);
  } finally {
    // A caller that stops early (a header peek) must not leave the S3 connection open.
    body.destroy();
  }
}

/**
 * csv-parse, numbering records from the line the header is on and measuring where each one ends. Taking
 * over from the tokenizer between two records, it reads on as one csv-parse reading from the start would
 * have: no byte order mark to drop there, and records end with the line break the tokenizer found first.
 */
function parserFor(options: {
  delimiter: Delimiter;
  at: Takeover;
  onHeader: (fields: string[]) => void;
  onRecord: (record: ParsedRecord) => void;
  onProblem: (problem: CsvProblem) => void;
  /** The byte offset after a record's raw text (null when unknown). */
  measure: (raw: string) => number | null;
  /** The text after the line a never-closed quote opened on, and the line it starts on: to read again. */
  onUnclosed: (tail: string, line: number) => void;
}) {
  // Lines are counted from each record's raw text in parse order: csv-parse's own counter counts a CRLF
  // inside quotes twice and reports an unclosed quote at the end of the file rather than where it opened.
  // Bytes are measured from it too: csv-parse's `info.bytes` counts the decoded text, not the file.
  let { line, header } = options.at;
  const advance = (raw = '') => {
    const start = line + breaks(raw, 0, leadingBreaks(raw));
    line += breaks(raw);
    return start;
  };
  let crlf: boolean | undefined;
  const parser = parse({
    bom: options.at.fresh,
    ...(options.at.lineBreak ? { record_delimiter: options.at.lineBreak } : {}),
    delimiter: options.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    raw: true,
    // With `raw`, csv-parse hands each record over as { record, raw }.
    on_record: (item: unknown) => {
      const { record, raw: text } = item as { record: string[]; raw: string };
      crlf ??= String(parser.options.record_delimiter) === '\r\n';
      const raw = crlf ? withLineFeeds(text) : text;
      const at = advance(raw);
      const offset = options.measure(raw);
      if (header) {
        header = false;
        options.onHeader(record);
      } else options.onRecord({ line: at, fields: record, next: { line, offset } });
      return null;
    },
    on_skip: (error: (Error & { code?: string }) | undefined, raw: string | undefined) => {
      // A quote that never closes takes the rest of the file into one record. Only its own line is lost:
      // the lines after it are read again as records of their own.
      const tail = !header && error?.code === 'CSV_QUOTE_NOT_CLOSED' ? afterFirstLine(raw ?? '') : undefined;
      if (tail) {
        const first = (raw as string).slice(0, (raw as string).length - tail.length);
        options.measure(first);
        const at = advance(first);
        options.onProblem({
          line: at,
          message:
            'a quote opens on this line and never closes: the line is skipped, the lines after it are read',
        });
        options.onUnclosed(tail, line);
        return undefined;
      }
      options.measure(raw ?? '');
      // csv-parse's own "at line N" counts from where it began reading, not from the top of the file.
      const message = error?.message.replace(/ at line \d+$/, '') ?? 'unreadable record';
      options.onProblem({ line: advance(raw), message });
      return undefined;
    },
  } as unknown as Options);
  return parser;
}

/** csv-parse leaves the LF of each CRLF record delimiter (those of blank lines too) out of `raw`. */
function withLineFeeds(raw: string): string {
  const blank = /^\r*/.exec(raw)?.[0].length ?? 0;
  const record = raw.slice(blank);
  return `${'\r\n'.repeat(blank)}${record}${record.endsWith('\r') ? '\n' : ''}`;
}

/** What follows the first line of a record's raw text (blank lines before it included in that line). */
function afterFirstLine(raw: string): string | undefined {
  const from = leadingBreaks(raw);
  const end = /\r\n|\r|\n/.exec(raw.slice(from));
  if (!end) return undefined;
  const tail = raw.slice(from + end.index + end[0].length);
  return tail.trim() ? tail : undefined;
}

/** How many characters at the start of a record's raw text are line breaks (blank lines before it). */
function leadingBreaks(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === CR || text.charCodeAt(i) === LF) i += 1;
  return i;
}

const CR = 13;
const LF = 10;

/** Non-blank fields past the last header (blank ones, a trailing separator, are ignored). */
const extraFields = (fields: string[], from: number) => fields.slice(from).filter((f) => f.trim() !== '');

/**
 * Blank and repeated header names would make columns collide: name them `Column 3`, `Email (2)`. The
 * columns that share a name come back as groups of the names given to them, in column order.
 */
function uniqueHeaders(fields: string[]): { headers: string[]; sameNames: string[][] } {
  const groups = new Map<string, string[]>();
  const headers = fields.map((raw, i) => {
    const name = withoutControlCharacters(raw).trim() || `Column ${i + 1}`;
    const group = groups.get(name) ?? [];
    groups.set(name, group);
    const header = group.length ? `${name} (${group.length + 1})` : name;
    group.push(header);
    return header;
  });
  return { headers, sameNames: [...groups.values()].filter((group) => group.length > 1) };
}

/** The header and format of a file, reading no further than its first record. */
export async function readHeader(
  body: Readable,
): Promise<{ headers: string[]; format: CsvFormat } | undefined> {
  let found: { headers: string[]; format: CsvFormat } | undefined;
  for await (const _record of readCsv(
    body,
    (headers, format) => {
      found = { headers, format };
    },
    () => undefined,
  ))
    break;
  return found;
}
