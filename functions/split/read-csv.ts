import type { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';

export interface CsvRecord {
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Streams a CSV: header row, then one record at a time with the line it starts on. A record the parser
 * cannot read is reported with its line and skipped; the records around it still come through.
 */
export async function* readCsv(
  body: Readable,
  onHeaders: (headers: string[]) => void,
  onProblem: (problem: CsvProblem) => void,
): AsyncGenerator<CsvRecord> {
  // Lines are counted from each record's raw text in parse order: csv-parse's own counter counts a CRLF
  // inside quotes twice and reports an unclosed quote at the end of the file rather than where it opened.
  let line = 2;
  const advance = (raw = '') => {
    const start = line + breaks(/^[\r\n]*/.exec(raw)?.[0] ?? '');
    line += breaks(raw);
    return start;
  };
  const parser = body.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        const headers = uniqueHeaders(header);
        onHeaders(headers);
        return headers;
      },
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      raw: true,
      // With `raw`, csv-parse hands each record over as { record, raw }.
      on_record: (item: unknown) => {
        const { record, raw } = item as { record: Record<string, string>; raw: string };
        return { line: advance(raw), values: record };
      },
      on_skip: (error: Error | undefined, raw: string | undefined) => {
        onProblem({ line: advance(raw), message: error?.message ?? 'unreadable record' });
        return undefined;
      },
    } as unknown as Options),
  );
  body.on('error', (error) => parser.destroy(error));
  for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
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
