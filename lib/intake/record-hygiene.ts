import type { CsvHeader, CsvRecord } from '#csv/read-csv.ts';
import type { CleaningSink, Warning } from '#domain/cleaning.ts';
import {
  controlCharacterNames,
  hasControlCharacters,
  withoutControlCharacters,
} from '#domain/control-characters.ts';

/**
 * Control characters go from every value of a record before anything reads it, so neither the target nor
 * failures.csv ever gets them; each value they went from gets a warning naming its column.
 */
export function removeControlCharacters(record: CsvRecord, file: string, sink: CleaningSink): void {
  // for...in rather than Object.entries: it runs for every record, and builds no array of pairs.
  for (const column in record.values) {
    const value = record.values[column] as string;
    if (!hasControlCharacters(value)) continue;
    record.values[column] = withoutControlCharacters(value);
    sink.count('controlCharacters');
    sink.warn({
      file,
      line: record.line,
      column,
      message: `control characters removed (${controlCharacterNames(value)})`,
      kind: 'control characters',
    });
  }
  if (record.extra.some(hasControlCharacters)) record.extra = record.extra.map(withoutControlCharacters);
}

/** One warning per name that several columns share: which of them a row reads. */
export function sameNameWarnings(
  file: string,
  headers: readonly string[],
  header: CsvHeader,
): (Warning & { kind: 'file' })[] {
  return header.sameNames.map((group) => {
    const numbers = group.map((name) => headers.indexOf(name) + 1);
    const listed = `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
    const name = group[0] as string;
    return {
      file,
      line: header.line,
      column: name,
      message: `columns ${listed} are ${group.length === 2 ? 'both' : 'all'} named '${name}': each row reads the first of them that is not blank`,
      kind: 'file',
    };
  });
}
