import type { Cleaning, Recognized, Warning } from './cleaning.ts';
import { warningsByKind } from './cleaning.ts';
import type { ColumnMapping, ColumnUse } from './column-mapping.ts';
import { describePosition } from './errors.ts';

/**
 * The mapping preview as text: per file, whose export it is and what it holds, then one line per column
 * saying what becomes of it and two of its values; and the warnings by kind. summary.txt carries it as
 * it is; the terminal (local/view/mapping.ts) prints the same lines.
 */

const HEADER = ['column', 'becomes', 'field / why', 'values'] as const;
const WIDEST = 48;

const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** A column's cells: its name, its use, the field or rows it names (or why not), two of its values. */
function cells(m: ColumnMapping): string[] {
  const why =
    m.use === 'not imported'
      ? `${m.reason ?? 'no field'}${m.detail ? `: ${m.detail}` : ''}`
      : `${m.target ?? ''}${m.detail ? ` (${m.detail})` : ''}`;
  return [m.column, m.use, why, m.samples.map((s) => `'${cut(s, 24)}'`).join(', ')];
}

/** "3 warnings: 2 phone left out, 1 junk row", or "no warnings". */
export function warningCounts(kinds: Record<string, number>): string {
  const entries = Object.entries(kinds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((n, [, count]) => n + count, 0);
  if (!total) return 'no warnings';
  return `${total} warning${total === 1 ? '' : 's'}: ${entries.map(([kind, n]) => `${n} ${kind}`).join(', ')}`;
}

/** One file's table (a cell longer than its column pushes the rest of its line along): its heading, then a line per column with the column's use (none for the header line). */
export function fileMapping(
  r: Recognized,
  cleaning?: Pick<Cleaning, 'warningKinds'>,
): { heading: string; lines: { text: string; use?: ColumnUse }[] } {
  const what = `${r.vendor} ${r.entity ?? 'unknown entity'}${r.failuresOf ? ` (failures of job ${r.failuresOf})` : ''}`;
  const format = [r.encoding, r.delimiter].filter(Boolean).join(', ');
  const counts = warningCounts(warningsByKind(cleaning, [r.file]));
  const heading = `Recognised ${r.file}: ${what}${format ? ` (${format})` : ''}; ${counts}`;
  if (!r.mapping?.length) return { heading, lines: [] };
  const rows = [[...HEADER], ...r.mapping.map(cells)];
  const widths = HEADER.map((_, i) => Math.min(WIDEST, Math.max(...rows.map((row) => row[i]?.length ?? 0))));
  const line = (row: string[]) =>
    `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return {
    heading,
    lines: rows.map((row, i) => ({ text: line(row), ...(i ? { use: r.mapping?.[i - 1]?.use } : {}) })),
  };
}

/** Every file's heading and table, one after the other. */
export function mappingLines(report: { recognized?: Recognized[]; cleaning?: Cleaning }): string[] {
  return (report.recognized ?? []).flatMap((r) => {
    const { heading, lines } = fileMapping(r, report.cleaning);
    return [heading, ...lines.map((l) => l.text)];
  });
}

/** How many warnings of each kind, and the first few with their file, line and column. */
export function warningLines(report: { cleaning?: Cleaning; warnings?: Warning[] }, first = 5): string[] {
  const kinds = warningsByKind(report.cleaning);
  const total = report.cleaning?.warnings ?? report.warnings?.length ?? 0;
  if (!total) return [];
  const counted = Object.keys(kinds).length ? warningCounts(kinds) : `${total} warnings`;
  const shown = (report.warnings ?? []).slice(0, first).map((w) => {
    const where = w.line ? describePosition(w) : w.file;
    return `  ${where}: ${w.message}`;
  });
  const more = total > shown.length ? [`  … ${total - shown.length} more in summary.json (warnings)`] : [];
  return [`Warnings: ${counted}`, ...shown, ...more];
}
