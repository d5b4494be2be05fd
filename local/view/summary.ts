import { ENTITIES, type Entity, STAGE_LABEL } from '#domain/entities.ts';
import type { Counters } from '#domain/job-state.ts';
import { formatDuration, type Paint, painter } from './format.ts';

/** What the end of a run shows: the counts that account for every input row, and where the report is. */
export interface RunSummary {
  jobId: string;
  status: string;
  totals: Counters;
  /** Counters per stage, keyed by entity (company, person, deal) or any other stage name. */
  stages: Record<string, Counters>;
  links: { created: number; failed: number };
  requests: { sent: number; throttled: number };
  /** Where the report was written: the summary and the failures file a user fixes and drops back in. */
  report: { summary: string; failures: string };
  elapsedMs: number;
}

const COLUMNS = ['rows', 'created', 'updated', 'skipped', 'merged', 'failed', 'held'] as const;
const OUTCOMES = COLUMNS.slice(1);

const isEntity = (key: string): key is Entity => (ENTITIES as readonly string[]).includes(key);

/** Dependency order first (companies, people, deals, links), then anything else as given. */
const orderedStages = (stages: Record<string, Counters>): string[] => {
  const keys = Object.keys(stages);
  return [...ENTITIES.filter((entity) => keys.includes(entity)), ...keys.filter((key) => !isEntity(key))];
};

const cellStyle = (column: (typeof COLUMNS)[number], value: number) => {
  if (value === 0) return undefined;
  if (column === 'failed') return 'red';
  if (column === 'held') return 'yellow';
  return undefined;
};

const formatTable = (summary: RunSummary, paint: Paint): string[] => {
  const rows: [string, Counters][] = [
    ...orderedStages(summary.stages).map((key): [string, Counters] => [
      isEntity(key) ? STAGE_LABEL[key] : key,
      summary.stages[key]!,
    ]),
    ['total', summary.totals],
  ];
  const header = ['stage', ...COLUMNS];
  const cells = rows.map(([label, counters]) => [
    label,
    ...COLUMNS.map((column) => String(counters[column])),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const align = (text: string, i: number) => (i === 0 ? text.padEnd(widths[0]!) : text.padStart(widths[i]!));
  const headerLine = paint('bold', header.map(align).join('  '));
  const bodyLines = rows.map(([, counters], r) => {
    const line = cells[r]!.map((text, i) => {
      const column = COLUMNS[i - 1];
      const style = column ? cellStyle(column, counters[column]) : undefined;
      return style ? paint(style, align(text, i)) : align(text, i);
    });
    return r === rows.length - 1 ? paint('bold', line.join('  ')) : line.join('  ');
  });
  return [headerLine, ...bodyLines];
};

/** The design's promise, checked where a person reads it: rows in = the sum of every outcome. */
const formatAccounting = (totals: Counters, paint: Paint): string => {
  const accounted = OUTCOMES.reduce((sum, column) => sum + totals[column], 0);
  const missing = totals.rows - accounted;
  const sum = OUTCOMES.map((column) => `${totals[column]} ${column}`).join(' + ');
  if (missing === 0) return `${paint('green', '✔')} every row accounted for: ${totals.rows} rows = ${sum}`;
  const what = missing > 0 ? `${missing} rows unaccounted for` : `${-missing} outcomes more than rows`;
  return paint('red', `✖ ${what}: ${totals.rows} rows, ${sum}`);
};

const field = (name: string, value: string) => `${name.padEnd(9)} ${value}`;

export const formatSummaryTable = (summary: RunSummary, options: { color?: boolean } = {}): string => {
  const paint = painter(options.color ?? false);
  const statusStyle = summary.status === 'succeeded' ? 'green' : 'red';
  return [
    `Import ${summary.jobId} ${paint(['bold', statusStyle], summary.status)}`,
    '',
    ...formatTable(summary, paint),
    '',
    formatAccounting(summary.totals, paint),
    field('links', `${summary.links.created} created, ${summary.links.failed} failed`),
    field('requests', `${summary.requests.sent} sent, ${summary.requests.throttled} throttled`),
    field('elapsed', formatDuration(summary.elapsedMs)),
    field('summary', summary.report.summary),
    field('failures', summary.report.failures),
    '',
  ].join('\n');
};
