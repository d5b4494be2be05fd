import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

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
      info: true,
    }),
  );
  parser.on('skip', (error: Error & { lines?: number }) => {
    onProblem({ line: error.lines ?? 0, message: error.message });
  });
  body.on('error', (error) => parser.destroy(error));
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
    raw: string;
  }>) {
    const text = item.raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
    const line = item.info.lines - (text.match(/\n/g)?.length ?? 0);
    yield { line, values: item.record };
  }
}

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
