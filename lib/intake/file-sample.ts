import type { Readable } from 'node:stream';
import { readCsv } from '#csv/read-csv.ts';

/** The top of a file, read to recognise it: its headers and its first records' values. */
export interface FileSample {
  headers: string[];
  rows: Record<string, string>[];
  /** Columns that share a name (`Email`, `Email (2)`): a row reads the first of them that is not blank. */
  sameNames?: string[][];
}

/**
 * Rows read from the top of each file to recognise it: enough to tell what a column holds and, for a
 * column naming the rows of another file, to find many of those rows (deals rarely name only the first
 * few contacts of a large export). A few hundred kilobytes for a typical export.
 */
export const SAMPLE_ROWS = 5_000;

/**
 * The headers and first `rows` records of a CSV; undefined when it has no header. Records the parser
 * cannot read are passed over: split reports them with their lines.
 */
export async function readSample(body: Readable, rows = SAMPLE_ROWS): Promise<FileSample | undefined> {
  let headers: string[] | undefined;
  let sameNames: string[][] = [];
  const sampled: Record<string, string>[] = [];
  for await (const record of readCsv(
    body,
    (found, _format, header) => {
      headers = found;
      sameNames = header.sameNames;
    },
    () => undefined,
  )) {
    sampled.push(record.values);
    if (sampled.length >= rows) break;
  }
  body.destroy();
  return headers ? { headers, rows: sampled, ...(sameNames.length ? { sameNames } : {}) } : undefined;
}
