import { DEFAULT_MAX_HISTORY_EVENTS } from '#domain/execution-history.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import { runImport } from '#runtime/run-import.ts';
import { type SampleExportSize, sampleExport } from '#sandbox/clarify/sample-export.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { PROFILES } from '#targets/profiles.ts';
import { startBenchRun } from './local-run.ts';

export interface HistoryRun {
  /** Rows of the job: companies + people + deals + deal <-> person link rows. */
  records: number;
  /** Events the executions' histories would hold on AWS, all executions together. */
  events: number;
  /** States entered (what Step Functions bills as state transitions). */
  transitions: number;
  executions: number;
}

export interface HistoryFigures {
  runs: HistoryRun[];
  /** What 1,000 more records add to the history (the slope between the two runs). */
  eventsPer1000Records: number;
  /** What 1,000 more records add in state transitions. */
  transitionsPer1000Records: number;
  /** Events an import makes whatever its size (start, split, each stage's last pass, report, end). */
  fixedEvents: number;
  /** The most records one execution holds before it continues as new, at the default threshold. */
  largestImportPerExecution: number;
  threshold: number;
}

/**
 * Clarify's default limit, as deployed: how many requests one pass sends (so how many events a record
 * costs) depends on the budget's burst at this limit, so the bench runs at it rather than a faster one.
 */
const RATE = parseRateLimit(PROFILES.clarify.defaultRate);

/** People, deals and links in the proportions of a typical CRM export, from a number of companies. */
const sized = (companies: number): SampleExportSize => ({
  companies,
  people: companies * 6,
  deals: (companies * 3) / 2,
  links: (companies * 3) / 2,
});

/**
 * History: events and state transitions per 1,000 records of a Clarify import (companies, people, deals,
 * links) counted from what the local run actually did, at two sizes. An import's events grow linearly
 * with its records: events = fixed + perRecord × records. The two runs give perRecord (the slope) and
 * fixed; one execution then holds (threshold − fixed) / perRecord records before it continues as new.
 */
export async function measureHistory(
  options: { companies?: [number, number] } = {},
): Promise<HistoryFigures> {
  const [small, large] = options.companies ?? [50, 200];
  const runs = [await measureRun(sized(small)), await measureRun(sized(large))];
  const [a, b] = runs as [HistoryRun, HistoryRun];
  const slope = (of: (run: HistoryRun) => number) => (of(b) - of(a)) / (b.records - a.records);
  const perRecord = slope((run) => run.events);
  const fixedEvents = Math.max(0, Math.round(a.events - perRecord * a.records));
  return {
    runs,
    eventsPer1000Records: perRecord * 1000,
    transitionsPer1000Records: slope((run) => run.transitions) * 1000,
    fixedEvents,
    largestImportPerExecution:
      perRecord > 0
        ? Math.floor((DEFAULT_MAX_HISTORY_EVENTS - fixedEvents) / perRecord)
        : Number.POSITIVE_INFINITY,
    threshold: DEFAULT_MAX_HISTORY_EVENTS,
  };
}

/** One import of a generated job against a fresh workspace; every execution's events are collected. */
async function measureRun(size: SampleExportSize): Promise<HistoryRun> {
  const run = await startBenchRun(await startClarifySandbox({ rate: RATE }), 'clarify', RATE);
  try {
    const result = await runImport({
      paths: [run.writeJob(sampleExport(size))],
      runtime: run.runtime,
      outDir: run.dir,
    });
    return {
      records: result.totals.rows,
      ...(await run.history.count()),
      executions: result.executions.length,
    };
  } finally {
    await run.close();
  }
}
