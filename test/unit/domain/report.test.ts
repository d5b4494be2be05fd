import { describe, expect, it } from 'vitest';
import type { MergedRow } from '#domain/entities.ts';
import type { Outcome } from '#domain/outcomes.ts';
import {
  buildSummary,
  type FailureRow,
  failuresOf,
  type SummaryInput,
  settledCount,
  summaryText,
} from '#domain/report.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

const outcome = (
  file: string,
  line: number,
  status: Outcome['status'],
  extra: Partial<Outcome> = {},
): Outcome => ({
  entity: file.startsWith('companies') ? 'company' : 'person',
  file,
  line,
  status,
  ...extra,
});

const splitFailure: FailureRow = {
  entity: 'person',
  file: 'people.csv',
  line: 3,
  code: 'INVALID_ROW',
  message: "'bob@' is not an email address",
  retryable: false,
  raw: { Email: 'bob@' },
};

const merge: MergedRow = {
  entity: 'person',
  file: 'people.csv',
  line: 5,
  intoFile: 'people.csv',
  intoLine: 2,
  key: 'email:a@x.com',
  fill: {},
  raw: {},
};

/** companies.csv: 3 rows; people.csv: 4 rows (one bad, one duplicate, one created, one held). */
const input = (overrides: Partial<SummaryInput> = {}): SummaryInput => ({
  jobId: 'acme-manifest-1a2b3c4d5e',
  source: 'imports/acme/manifest.json',
  files: [
    { file: 'companies.csv', entity: 'company', rows: 3, blank: 1 },
    { file: 'people.csv', entity: 'person', rows: 4, blank: 0 },
  ],
  rows: { company: 3, person: 4 },
  splitFailures: [splitFailure],
  merges: [merge],
  outcomes: [
    outcome('companies.csv', 2, 'created', { id: 'com_1' }),
    outcome('companies.csv', 3, 'skipped', { id: 'com_2' }),
    outcome('companies.csv', 4, 'failed', { code: 'DUPLICATE', message: 'domain taken', raw: { Name: 'X' } }),
    outcome('people.csv', 2, 'created', { id: 'rec_1' }),
    outcome('people.csv', 4, 'held', { message: 'its company failed' }),
  ],
  requests: { sent: 12, throttled: 1 },
  now: NOW,
  ...overrides,
});

describe('Function: buildSummary', () => {
  it('accounts for every row, per stage and per file', () => {
    // Act
    const summary = buildSummary(input());

    // Assess
    expect(summary.stages.company).toEqual({
      rows: 3,
      created: 1,
      updated: 0,
      skipped: 1,
      merged: 0,
      failed: 1,
      held: 0,
    });
    expect(summary.stages.person).toEqual({
      rows: 4,
      created: 1,
      updated: 0,
      skipped: 0,
      merged: 1,
      failed: 1,
      held: 1,
    });
    expect(summary.totals).toEqual({
      rows: 7,
      created: 2,
      updated: 0,
      skipped: 1,
      merged: 1,
      failed: 2,
      held: 1,
    });
    expect(summary.files).toEqual([
      {
        file: 'companies.csv',
        entity: 'company',
        rows: 3,
        blank: 1,
        error: undefined,
        created: 1,
        updated: 0,
        skipped: 1,
        merged: 0,
        failed: 1,
        held: 0,
      },
      {
        file: 'people.csv',
        entity: 'person',
        rows: 4,
        blank: 0,
        error: undefined,
        created: 1,
        updated: 0,
        skipped: 0,
        merged: 1,
        failed: 1,
        held: 1,
      },
    ]);
    for (const counters of [summary.totals, ...Object.values(summary.stages), ...summary.files]) {
      expect(settledCount(counters)).toBe(counters.rows);
    }
    expect(summary.accounted).toBe(true);
    expect(summary.merged).toEqual([{ file: 'people.csv', line: 5, into: 'people.csv line 2' }]);
    expect(summary).toMatchObject({
      jobId: 'acme-manifest-1a2b3c4d5e',
      finishedAt: '2026-06-01T12:00:00.000Z',
      requests: { sent: 12, throttled: 1 },
    });
  });

  it('says it does not add up when a row has no outcome', () => {
    // Prepare
    const outcomes = input().outcomes.slice(1);

    // Act
    const summary = buildSummary(input({ outcomes }));

    // Assess
    expect(summary.accounted).toBe(false);
    expect(summary.status).toBe('completed_with_failures');
  });

  it.each<[string, Partial<SummaryInput>, string]>([
    [
      'every row went in',
      {
        splitFailures: [],
        outcomes: input().outcomes.filter((o) => o.status === 'created' || o.status === 'skipped'),
        files: [
          { file: 'companies.csv', entity: 'company', rows: 2, blank: 1 },
          { file: 'people.csv', entity: 'person', rows: 2, blank: 0 },
        ],
        rows: { company: 2, person: 2 },
      },
      'succeeded',
    ],
    ['some rows failed or are held', {}, 'completed_with_failures'],
    ['the job stopped', { error: { code: 'AUTH_FAILED', message: '401' } }, 'failed'],
  ])('is %s → %s', (_case, overrides, status) => {
    // Act
    const summary = buildSummary(input(overrides));

    // Assess
    expect(summary.status).toBe(status);
    expect(summary.accounted).toBe(true);
  });

  it('counts links created and not made', () => {
    // Prepare
    const link = (line: number, status: Outcome['status']): Outcome => ({
      entity: 'link',
      file: 'deal_people.csv',
      line,
      status,
    });

    // Act
    const summary = buildSummary(
      input({
        files: [{ file: 'deal_people.csv', entity: 'link', rows: 3, blank: 0 }],
        splitFailures: [],
        merges: [],
        outcomes: [link(2, 'created'), link(3, 'failed'), link(4, 'held')],
      }),
    );

    // Assess
    expect(summary.links).toEqual({ created: 1, failed: 2 });
  });
});

describe('Function: failuresOf', () => {
  it('lists split failures and failed or held outcomes by file and line, with defaults for held rows', () => {
    // Act
    const failures = failuresOf(input());

    // Assess
    expect(failures.map((f) => `${f.file}:${f.line}`)).toEqual([
      'companies.csv:4',
      'people.csv:3',
      'people.csv:4',
    ]);
    expect(failures[0]).toEqual({
      entity: 'company',
      file: 'companies.csv',
      line: 4,
      code: 'DUPLICATE',
      message: 'domain taken',
      retryable: false,
      raw: { Name: 'X' },
    });
    expect(failures[2]).toMatchObject({ code: 'DEPENDENCY_FAILED', retryable: true, raw: {} });
  });

  it('calls a failure without a code a rejection that is not retried', () => {
    // Act
    const failures = failuresOf(input({ splitFailures: [], outcomes: [outcome('people.csv', 9, 'failed')] }));

    // Assess
    expect(failures).toEqual([
      {
        entity: 'person',
        file: 'people.csv',
        line: 9,
        code: 'REJECTED',
        message: '',
        retryable: false,
        raw: {},
      },
    ]);
  });
});

describe('Function: summaryText', () => {
  it('opens with the outcome; rows a stopped job never reached are not attempted, and add up', () => {
    // Prepare: the key was refused after split; two rows never reached
    const stopped = input({
      outcomes: [
        outcome('companies.csv', 2, 'held', {
          code: 'AUTH_FAILED',
          message: 'not attempted: the job stopped (AUTH_FAILED: 401)',
        }),
        outcome('companies.csv', 3, 'held', {
          code: 'AUTH_FAILED',
          message: 'not attempted: the job stopped (AUTH_FAILED: 401)',
        }),
      ],
      rows: { company: 2 },
      splitFailures: [],
      merges: [],
      error: { code: 'AUTH_FAILED', message: '401 Unauthorized' },
    });

    // Act
    const summary = buildSummary(stopped);
    const text = summaryText(summary);

    // Assess
    expect(summary).toMatchObject({ status: 'failed', accounted: true, notAttempted: 2 });
    expect(text.split('\n')[0]).toBe(
      'Could not run: the API refused the key (AUTH_FAILED). Nothing was written; 2 rows not attempted. Check the API key, then run crm-import check.',
    );
    expect(text).toMatch(/held 2 \(2 not attempted: the job stopped before them\)$/m);
    expect(text).not.toMatch(/DOES NOT ADD UP|drop the file back in/);
  });

  it('a dry run says what would be done, line by line', () => {
    // Act
    const text = summaryText(buildSummary(input({ dryRun: true })));

    // Assess
    expect(text.split('\n')[0]).toMatch(/^DRY RUN, nothing was written to the target: would import 2, /);
    expect(text).toMatch(/^Rows: 7 = would create 2 \+ would update 0 \+ skipped 1/m);
    expect(text).toMatch(
      /^ {2}company {2}rows 3, would create 1, would update 0, skipped 1, merged 0, would fail 1/m,
    );
    expect(text).not.toMatch(/\bcreated \d/);
  });
});

describe('Function: buildSummary, failure classes', () => {
  it('a row held behind one that failed for its data waits for the user: permanent, not for the schedule', () => {
    // Act
    const summary = buildSummary(
      input({
        splitFailures: [],
        outcomes: [
          outcome('people.csv', 2, 'failed', { code: 'REJECTED', retryable: false }),
          outcome('people.csv', 3, 'held', { code: 'DEPENDENCY_FAILED', retryable: false }),
          outcome('people.csv', 4, 'held', { code: 'DEPENDENCY_FAILED', retryable: true }),
          outcome('people.csv', 5, 'failed', { code: 'SERVER_ERROR', retryable: true }),
        ],
      }),
    );

    // Assess
    expect(summary.failures).toEqual({ permanent: 2, retryable: 1, held: 1 });
  });
});
