import { countOf } from './count-words.ts';
import { type ErrorCode, isRetryableCode } from './errors.ts';
import type { Counters } from './job-state.ts';

/**
 * A job's one outcome, in the words a person uses, read from its summary: the view, summary.txt, `up` and
 * the CLI's exit code all say the same thing. "Imported" is created + updated; "already there" is skipped.
 */
export type OutcomeKind = 'imported' | 'needs-attention' | 'dry-run' | 'stopped';

export interface JobOutcome {
  kind: OutcomeKind;
  /** ✔, ! or ✖: how the line reads at a glance. */
  mark: '✔' | '!' | '✖';
  /** One line: what happened, and what to do next when anything. */
  line: string;
}

/** The outcome in a few words, where a line has no room for more (the report Task's progress). */
export const OUTCOME_IN_BRIEF: Record<OutcomeKind, string> = {
  imported: 'every row is in',
  'needs-attention': 'some rows need attention',
  'dry-run': 'dry run planned, nothing written',
  stopped: 'the job stopped',
};

/** What the outcome is read from: the parts of a summary it needs. */
export interface OutcomeFacts {
  status: 'succeeded' | 'completed_with_failures' | 'failed';
  totals: Counters;
  failures?: { permanent: number; retryable: number; held: number };
  error?: { code: string; message: string };
  dryRun?: boolean;
  /** Rows the job never reached because it stopped (held with "not attempted"). */
  notAttempted?: number;
}

/** How the outcome names things: the credential (`the key in CLARIFY_API_KEY`), the failures file. */
export interface OutcomeWords {
  credential?: string;
  failuresFile?: string;
  planFile?: string;
}

/** How the report marks a row the job never reached because it stopped (held, with this message first). */
export const NOT_ATTEMPTED = 'not attempted';

/** The reason a job stopped, in words, and what a person does about it. */
const STOPS: Partial<Record<ErrorCode, { why: string; todo: (w: OutcomeWords) => string }>> = {
  AUTH_FAILED: {
    why: 'the API refused the key',
    todo: (w) => `Check ${w.credential ?? 'the API key'}, then run crm-import check.`,
  },
  FORBIDDEN: {
    why: 'the key may not do what the job needs',
    todo: () => 'Run crm-import check: it names each resource the key cannot use.',
  },
  NETWORK: {
    why: 'the API could not be reached',
    todo: () => 'Check the base URL and the network, then run crm-import check.',
  },
  TIMEOUT: {
    why: 'the API took too long to answer',
    todo: () => 'Run crm-import check to see how it answers.',
  },
  SERVER_ERROR: {
    why: 'the API kept failing (5xx)',
    todo: () => 'Run crm-import check once the API is back.',
  },
  RATE_LIMITED: {
    why: 'the API kept refusing for its rate limit',
    todo: () => 'Give --rate the limit the API states (crm-import check shows it).',
  },
  BAD_MANIFEST: {
    why: 'manifest.json is not valid',
    todo: () => 'Fix it as said below and run the job again.',
  },
  CONFIG: { why: 'the job is set up wrong', todo: () => 'Fix what is said below and run the job again.' },
};

export function jobOutcome(facts: OutcomeFacts, words: OutcomeWords = {}): JobOutcome {
  const t = facts.totals;
  const imported = t.created + t.updated;
  const parts = [
    ...(t.skipped ? [`${t.skipped} already there`] : []),
    ...(t.merged ? [`${countOf(t.merged, 'duplicate')} merged`] : []),
  ];
  const failuresFile = words.failuresFile ?? 'failures.csv';
  if (facts.dryRun) {
    const would = [
      `would import ${imported}${t.updated ? ` (${t.created} new, ${t.updated} updated)` : ''}`,
      ...parts,
      ...(t.failed + t.held ? [`${t.failed + t.held} would fail or wait`] : []),
    ];
    return {
      kind: 'dry-run',
      mark: t.failed + t.held ? '!' : '✔',
      line: `DRY RUN, nothing was written to the target: ${would.join(', ')}. What each row would do: ${words.planFile ?? 'plan.csv'}`,
    };
  }
  if (facts.status === 'failed') return stopped(facts, imported, words);
  const attention = t.failed + t.held;
  if (!attention) {
    const done = [`${imported} imported`, ...parts].join(', ');
    return { kind: 'imported', mark: '✔', line: `Finished: ${done}. Every row is in the target.` };
  }
  const retried = (facts.failures?.retryable ?? 0) + (facts.failures?.held ?? 0);
  const later = retried ? ` (${retried} of them will be retried on schedule: crm-import retry)` : '';
  return {
    kind: 'needs-attention',
    mark: '!',
    line: `Finished: ${[`${imported} imported`, ...parts].join(', ')}; ${attention} ${attention === 1 ? 'needs' : 'need'} your attention${later}: see ${failuresFile}`,
  };
}

function stopped(facts: OutcomeFacts, imported: number, words: OutcomeWords): JobOutcome {
  const code = facts.error?.code ?? 'INTERNAL';
  const stop = STOPS[code as ErrorCode];
  const why = stop ? `${stop.why} (${code})` : `${facts.error?.message ?? 'it stopped'} (${code})`;
  const notAttempted = facts.notAttempted ?? 0;
  const what = imported
    ? `Stopped part-way: ${why}. ${imported} imported`
    : `Could not run: ${why}. Nothing was written`;
  const left = notAttempted ? `; ${countOf(notAttempted, 'row')} not attempted` : '';
  const retried =
    notAttempted && (facts.failures?.held ?? 0) && isRetryableCode(code as ErrorCode)
      ? ', to be retried on schedule'
      : '';
  const todo = stop?.todo(words) ?? 'The reason is below.';
  return { kind: 'stopped', mark: '✖', line: `${what}${left}${retried}. ${todo}` };
}

/** The exit code the CLI ends with: 0 all in, 2 finished but rows need attention, 1 could not run. */
export const exitCodeOf = (outcome: JobOutcome): 0 | 1 | 2 =>
  outcome.kind === 'stopped' ? 1 : outcome.mark === '✔' ? 0 : 2;
