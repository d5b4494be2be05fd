import { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';
import { type Delimiter, separatorLine, sniffDelimiter, type TextEncoding } from '#domain/text-format.ts';
import { decodeText } from './decode.ts';

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
}

export interface CsvProblem {
  line: number;
  message: string;
}

/** How far to look for the end of the header line before sniffing the separator anyway. */
const HEADER_PEEK = 64 * 1024;

/**
 * Streams a CSV: decodes it (UTF-8, UTF-16 or Windows-1252), finds its separator on the header line,
 * then yields one record at a time with the line it starts on. A record the parser cannot read is
 * reported with its line and skipped; the records around it still come through.
 */
export async function* readCsv(
  body: Readable,
  onHeaders: (headers: string[], format: CsvFormat) => void,
  onProblem: (problem: CsvProblem) => void,
): AsyncGenerator<CsvRecord> {
  const format: CsvFormat = { encoding: 'utf-8', delimiter: ',' };
  const bytes = (async function* () {
    for await (const chunk of body) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
  })();
  const texts = decodeText(bytes, {
    onEncoding: (encoding) => {
      format.encoding = encoding;
    },
    onInvalid: (message) => onProblem({ line: 0, message }),
  })[Symbol.asyncIterator]();
  let head = '';
  while (!/\r|\n/.test(head) && head.length < HEADER_PEEK) {
    const next = await texts.next();
    if (next.done) break;
    head += next.value;
  }
  const firstLine = head.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const declared = separatorLine(firstLine);
  if (declared) head = head.slice(firstLine.length).replace(/^(\r\n|\r|\n)/, '');
  format.delimiter = declared ?? sniffDelimiter(firstLine);

  const source = Readable.from(
    (async function* () {
      yield head;
      for (;;) {
        const next = await texts.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  let headers: string[] | undefined;
  // The header is taken inside the parser, as it parses: a problem it reports further on then already
  // knows the file's columns (the parser runs ahead of the loop below).
  const onFirst = (fields: string[]) => {
    headers = uniqueHeaders(fields);
    onHeaders(headers, format);
  };
  const parser = source.pipe(parserFor(format.delimiter, declared ? 2 : 1, onFirst, onProblem));
  source.on('error', (error) => parser.destroy(error));
  body.on('error', (error) => parser.destroy(error));
  try {
    for await (const { line, fields } of parser as AsyncIterable<{ line: number; fields: string[] }>) {
      const columns = headers as string[];
      const values: Record<string, string> = {};
      columns.forEach((header, i) => {
        values[header] = fields[i] ?? '';
      });
      const extra = fields.slice(columns.length).filter((f) => f.trim() !== '');
      yield { line, values, extra, short: fields.length < columns.length };
    }
  } finally {
    // A caller that stops early (a header peek) must not leave the S3 connection open.
    body.destroy();
  }
}

/** csv-parse, numbering records from the line the header is on. */
function parserFor(
  delimiter: Delimiter,
  headerLine: number,
  onHeader: (fields: string[]) => void,
  onProblem: (problem: CsvProblem) => void,
) {
  // Lines are counted from each record's raw text in parse order: csv-parse's own counter counts a CRLF
  // inside quotes twice and reports an unclosed quote at the end of the file rather than where it opened.
  let line = headerLine;
  let header = true;
  const advance = (raw = '') => {
    const start = line + breaks(/^[\r\n]*/.exec(raw)?.[0] ?? '');
    line += breaks(raw);
    return start;
  };
  return parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    raw: true,
    // With `raw`, csv-parse hands each record over as { record, raw }.
    on_record: (item: unknown) => {
      const { record, raw } = item as { record: string[]; raw: string };
      const at = advance(raw);
      if (!header) return { line: at, fields: record };
      header = false;
      onHeader(record);
      return null;
    },
    on_skip: (error: Error | undefined, raw: string | undefined) => {
      onProblem({ line: advance(raw), message: error?.message ?? 'unreadable record' });
      return undefined;
    },
  } as unknown as Options);
}

const breaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Blank and repeated header names would make columns collide: name them `Column 3`, `Email (2)`. */
function uniqueHeaders(headers: string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((raw, i) => {
    const name = raw.trim() || `Column ${i + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
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
