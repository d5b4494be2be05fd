import { countOf } from '#domain/count-words.ts';
import { ENTITIES, type Entity, STAGE_LABEL } from '#domain/entities.ts';
import type { JobOutcome } from '#domain/job-outcome.ts';
import type { Counters } from '#domain/job-state.ts';
import { countWords } from '#domain/report.ts';
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
  /** Where the report was written: the summary, the failures file a user fixes and drops back in, the plan. */
  report: { summary: string; failures: string; plan?: string };
  elapsedMs: number;
  /** A dry run: the counts say what would happen; nothing was written. */
  dryRun?: boolean;
  /** Of the held rows, those the job never reached because it stopped. */
  notAttempted?: number;
  /** The job's one outcome, the last line a person reads. */
  outcome?: JobOutcome;
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

/** A column's heading: in a dry run, what would be done. */
const heading = (column: (typeof COLUMNS)[number], dryRun: boolean): string => {
  const words = countWords(dryRun);
  return column === 'created' || column === 'updated' || column === 'failed' ? words[column] : column;
};

const formatTable = (summary: RunSummary, paint: Paint): string[] => {
  const rows: [string, Counters][] = [
    ...orderedStages(summary.stages).map((key): [string, Counters] => [
      isEntity(key) ? STAGE_LABEL[key] : key,
      summary.stages[key]!,
    ]),
    ['total', summary.totals],
  ];
  const header = ['stage', ...COLUMNS.map((column) => heading(column, summary.dryRun === true))];
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
const formatAccounting = (summary: RunSummary, paint: Paint): string => {
  const { totals } = summary;
  const accounted = OUTCOMES.reduce((sum, column) => sum + totals[column], 0);
  const missing = totals.rows - accounted;
  const held = summary.notAttempted ? ` (${summary.notAttempted} not attempted)` : '';
  const sum = OUTCOMES.map((column) => `${totals[column]} ${heading(column, summary.dryRun === true)}`)
    .join(' + ')
    .concat(held);
  if (missing === 0) return `${paint('green', '✔')} every row accounted for: ${totals.rows} rows = ${sum}`;
  const what =
    missing > 0
      ? `${countOf(missing, 'row')} unaccounted for`
      : `${countOf(-missing, 'outcome')} more than rows`;
  return paint('red', `✖ ${what}: ${totals.rows} rows, ${sum}`);
};

const field = (name: string, value: string) => `${name.padEnd(9)} ${value}`;

const OUTCOME_STYLE = { '✔': 'green', '!': 'yellow', '✖': 'red' } as const;

/** The job's one outcome: its mark, and the line that says what happened and what to do. */
export const formatOutcome = (outcome: JobOutcome, paint: Paint): string =>
  paint(['bold', OUTCOME_STYLE[outcome.mark]], `${outcome.mark} ${outcome.line}`);

/** The end of a run: the counts per stage, the accounting, where the report is, and the one outcome. */
export const formatSummaryTable = (summary: RunSummary, options: { color?: boolean } = {}): string => {
  const paint = painter(options.color ?? false);
  const dry = summary.dryRun === true;
  const { links } = summary;
  // A target without links (ActuallyCare) has no links to speak of.
  const hasLinks = summary.stages.link !== undefined || links.created + links.failed > 0;
  const outcome = summary.outcome;
  return [
    dry
      ? paint('bold', `Dry run of import ${summary.jobId}: nothing was written`)
      : paint('bold', `Import ${summary.jobId}`),
    '',
    ...formatTable(summary, paint),
    '',
    formatAccounting(summary, paint),
    ...(hasLinks
      ? [
          field(
            'links',
            `${links.created} ${dry ? 'would be created' : 'created'}, ${links.failed} ${dry ? 'would fail' : 'failed'}`,
          ),
        ]
      : []),
    field('requests', `${summary.requests.sent} sent, ${summary.requests.throttled} throttled`),
    field('elapsed', formatDuration(summary.elapsedMs)),
    field('summary', summary.report.summary),
    field('failures', summary.report.failures),
    ...(summary.report.plan ? [field('plan', summary.report.plan)] : []),
    ...(outcome ? ['', formatOutcome(outcome, paint)] : []),
    '',
  ].join('\n');
};
