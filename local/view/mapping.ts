import { fileMapping, warningLines } from '#domain/mapping-table.ts';
import type { CleaningReport } from '#domain/report-cleaning.ts';
import { type Paint, painter } from './format.ts';

/**
 * What a person reads about the files before the counts: for a dry run, one table per file (each column
 * and what becomes of it, two of its values, whose export and which entity, its warnings by kind); for
 * every run, the warnings by kind and the first few with file, line and column.
 */
export function mappingPreview(
  report: CleaningReport & { dryRun?: boolean },
  paint: Paint = painter(false),
  width?: number,
): string[] {
  // A table line is cut to the terminal (its values column goes first), never wrapped into the next.
  const toWidth = (text: string) => (width && text.length > width ? `${text.slice(0, width - 1)}…` : text);
  const tables = report.dryRun
    ? (report.recognized ?? []).flatMap((r) => {
        const { heading, lines } = fileMapping(r, report.cleaning);
        return [
          paint('bold', heading),
          ...lines.map(({ text, use }) =>
            use === 'not imported' ? paint('yellow', toWidth(text)) : toWidth(text),
          ),
        ];
      })
    : [];
  const warnings = warningLines(report).map((line, i) => (i === 0 ? paint('yellow', line) : line));
  return [...tables, ...warnings];
}
