import { describe, expect, it } from 'vitest';
import { exitCodeOf, jobOutcome, type OutcomeFacts } from '#domain/job-outcome.ts';
import { type Counters, emptyCounters } from '#domain/job-state.ts';

const totals = (counts: Partial<Counters>): Counters => ({ ...emptyCounters(), ...counts });

describe('Function: jobOutcome', () => {
  it('a job whose every row went in: finished, in words, exit 0', () => {
    // Act
    const outcome = jobOutcome({ status: 'succeeded', totals: totals({ rows: 71, created: 70, merged: 1 }) });

    // Assess
    expect(outcome).toEqual({
      kind: 'imported',
      mark: '✔',
      line: 'Finished: 70 imported, 1 duplicate merged. Every row is in the target.',
    });
    expect(exitCodeOf(outcome)).toBe(0);
  });

  it('a job with rows that failed: finished, how many need attention and where, exit 2', () => {
    // Prepare
    const facts: OutcomeFacts = {
      status: 'completed_with_failures',
      totals: totals({ rows: 73, created: 60, updated: 8, skipped: 2, failed: 3 }),
      failures: { permanent: 3, retryable: 0, held: 0 },
    };

    // Act
    const outcome = jobOutcome(facts, { failuresFile: '/data/reports/j/failures.csv' });

    // Assess
    expect(outcome.line).toBe(
      'Finished: 68 imported, 2 already there; 3 need your attention: see /data/reports/j/failures.csv',
    );
    expect(outcome.mark).toBe('!');
    expect(exitCodeOf(outcome)).toBe(2);
  });

  it('says which of those the schedule retries', () => {
    // Act
    const outcome = jobOutcome({
      status: 'completed_with_failures',
      totals: totals({ rows: 10, created: 7, failed: 2, held: 1 }),
      failures: { permanent: 1, retryable: 1, held: 1 },
    });

    // Assess
    expect(outcome.line).toBe(
      'Finished: 7 imported; 3 need your attention (2 of them will be retried on schedule: crm-import retry): see failures.csv',
    );
  });

  it('a refused key: could not run, nothing written, rows not attempted, what to do, exit 1', () => {
    // Act
    const outcome = jobOutcome(
      {
        status: 'failed',
        totals: totals({ rows: 32, held: 32 }),
        failures: { permanent: 0, retryable: 0, held: 32 },
        error: { code: 'AUTH_FAILED', message: '401 Unauthorized' },
        notAttempted: 32,
      },
      { credential: 'the key in CLARIFY_API_KEY' },
    );

    // Assess
    expect(outcome.line).toBe(
      'Could not run: the API refused the key (AUTH_FAILED). Nothing was written; 32 rows not attempted. Check the key in CLARIFY_API_KEY, then run crm-import check.',
    );
    expect(outcome.line).not.toMatch(/unaccounted|drop the file back in/);
    expect(exitCodeOf(outcome)).toBe(1);
  });

  it('an API that went away part-way: stopped, what went in, what the schedule retries', () => {
    // Act
    const outcome = jobOutcome({
      status: 'failed',
      totals: totals({ rows: 32, created: 10, held: 22 }),
      failures: { permanent: 0, retryable: 0, held: 22 },
      error: { code: 'NETWORK', message: 'ECONNREFUSED' },
      notAttempted: 22,
    });

    // Assess
    expect(outcome.line).toBe(
      'Stopped part-way: the API could not be reached (NETWORK). 10 imported; 22 rows not attempted, to be retried on schedule. Check the base URL and the network, then run crm-import check.',
    );
  });

  it('a dry run says "would" and where the plan is, never "imported"', () => {
    // Act
    const clean = jobOutcome(
      { status: 'succeeded', dryRun: true, totals: totals({ rows: 32, created: 32 }) },
      { planFile: '/data/reports/j/plan.csv' },
    );
    const failing = jobOutcome({
      status: 'completed_with_failures',
      dryRun: true,
      totals: totals({ rows: 5, created: 3, updated: 1, failed: 1 }),
    });

    // Assess
    expect(clean.line).toBe(
      'DRY RUN, nothing was written to the target: would import 32. What each row would do: /data/reports/j/plan.csv',
    );
    expect(failing.line).toMatch(
      /^DRY RUN, nothing was written to the target: would import 4 \(3 new, 1 updated\), 1 would fail or wait\./,
    );
    expect([clean, failing].map(exitCodeOf)).toEqual([0, 2]);
    expect(`${clean.line}${failing.line}`).not.toMatch(/imported|Finished/);
  });
});
