import { withoutControlCharacters } from './control-characters.ts';
import type { FailureRow } from './report.ts';

/** The columns failures.csv adds after the original ones; `job` lets a fixed file dropped back in find its job. */
export const FAILURE_COLUMNS = [
  'entity',
  'file',
  'line',
  'error_code',
  'error_message',
  'retryable',
  'job',
] as const;
const FIXED = FAILURE_COLUMNS;

/**
 * failures.csv: the original columns (every column any failed row had, in first-seen order) followed by
 * what went wrong. Safe to open in a spreadsheet: a cell that would start a formula is neutralised.
 */
export function failuresCsv(rows: readonly FailureRow[], jobId = ''): string {
  return [...failuresCsvLines(rows, jobId)].join('');
}

/** failures.csv a line at a time (each with its CRLF), for writing a large one without holding it. */
export function* failuresCsvLines(rows: readonly FailureRow[], jobId = ''): Generator<string> {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column of Object.keys(row.raw)) {
      if (!seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
    }
  }
  // An original column named like one of ours keeps its data under a prefixed name.
  const fixed: readonly string[] = FIXED;
  const header = [...columns.map((c) => (fixed.includes(c) ? `original_${c}` : c)), ...FIXED];
  yield `${header.map(cell).join(',')}\r\n`;
  for (const row of rows) {
    const fixed = [
      row.entity ?? '',
      row.file,
      String(row.line),
      row.code,
      row.message,
      String(row.retryable),
      jobId,
    ];
    yield `${[...columns.map((c) => row.raw[c] ?? ''), ...fixed].map(cell).join(',')}\r\n`;
  }
}

/**
 * `JSON.stringify(items, null, 2)` and a newline (what ObjectStore.putJson writes), an item at a time.
 */
export function* jsonArrayLines(items: readonly unknown[]): Generator<string> {
  if (!items.length) {
    yield '[]\n';
    return;
  }
  yield '[\n';
  for (let i = 0; i < items.length; i++) {
    const item = JSON.stringify(items[i], null, 2).replaceAll('\n', '\n  ');
    yield `  ${item}${i < items.length - 1 ? ',' : ''}\n`;
  }
  yield ']\n';
}

/** The mapped rows a scheduled re-run sends again (retryable and held ones), as NDJSON lines. */
export function* retryRowLines(failures: readonly FailureRow[]): Generator<string> {
  for (const failure of failures)
    if (failure.retryable && failure.source) yield `${JSON.stringify(failure.source)}\n`;
}

/**
 * A leading =, +, -, @, tab or CR would make a spreadsheet run the cell as a formula: such a cell is
 * written with a `'` before it. So is one that already starts with `'` and then one of those, so that
 * `unguarded` gives back exactly what was guarded, and a real value such as `'quoted` stays as it is.
 */
const GUARDED = /^'*[=+\-@\t\r]/;

/** Quote when needed, guard a formula, and leave control characters out. */
export function cell(value: string): string {
  const clean = withoutControlCharacters(value);
  const safe = GUARDED.test(clean) ? `'${clean}` : clean;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A cell of a failures.csv we wrote, as it was before `cell` guarded it. */
export const unguarded = (value: string): string =>
  value.startsWith("'") && GUARDED.test(value.slice(1)) ? value.slice(1) : value;
