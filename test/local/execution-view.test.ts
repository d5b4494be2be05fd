import { Writable } from 'node:stream';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { firstExecutionHistory } from '#domain/execution-history.ts';
import type { JobState } from '#domain/job-state.ts';
import { formatStageProgress } from '#view/format.ts';
import type { StageView } from '#view/stage.ts';
import {
  type EventLog,
  ExecutionView,
  estimateEtaMs,
  formatEta,
  formatSummaryTable,
  type RunSummary,
} from '#view/view.ts';

class Capture extends Writable {
  text = '';
  isTTY?: boolean;
  columns = 160;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
  get lines() {
    return this.text.split('\n');
  }
}

const ANSI = '\x1b[';
const RATE_LIMIT = 'rate limit: 30 requests per 3 s spent, next slot in 2 s';

const jobState = (overrides: Partial<JobState> = {}): JobState => ({
  jobId: 'job-1',
  bucket: 'imports',
  source: { key: 'people.csv' },
  stage: 'person',
  done: false,
  wait: { seconds: 0, reason: '' },
  cursor: {},
  progress: { stage: 'people', step: '', done: 0, total: 0 },
  counts: {},
  requests: { sent: 0, throttled: 0 },
  history: firstExecutionHistory(),
  ...overrides,
});

/** Writes the events a local execution would log, on a clock the test controls. */
const script = () => {
  let now = 1_700_000_000_000;
  const events: EventLog[] = [];
  const state = (name: string, type: 'Task' | 'Wait' | 'Choice' | 'Succeed' | 'Fail', input: unknown) => ({
    name,
    type,
    input: input as never,
  });
  return {
    events,
    started(input: JobState) {
      events.push({ type: 'ExecutionStarted', timestamp: now, input: input as never });
    },
    run(
      name: string,
      type: 'Task' | 'Wait' | 'Choice' | 'Succeed',
      ms: number,
      input: unknown,
      output = input,
    ) {
      events.push({ type: 'StateEntered', timestamp: now, state: state(name, type, input) });
      now += ms;
      events.push({
        type: 'StateExited',
        timestamp: now,
        state: { ...state(name, type, input), output: output as never },
      });
    },
    enter(name: string, type: 'Task' | 'Fail', input: unknown) {
      events.push({ type: 'StateEntered', timestamp: now, state: state(name, type, input) });
    },
    fail(name: string, type: 'Task' | 'Fail', ms: number, input: unknown, error: string, cause: unknown) {
      now += ms;
      events.push({
        type: 'StateFailed',
        timestamp: now,
        state: state(name, type, input),
        Error: error,
        Cause: cause,
      });
    },
    retry(name: string, input: unknown, attempt: number, maxAttempts: number) {
      const retrier = { ErrorEquals: ['States.ALL'], MaxAttempts: maxAttempts };
      events.push({
        type: 'StateRetried',
        timestamp: now,
        state: state(name, 'Task', input),
        retry: { retrier, attempt },
      });
    },
    caught(name: string, input: unknown, next: string) {
      const catcher = { ErrorEquals: ['States.ALL'], Next: next };
      events.push({
        type: 'StateCaught',
        timestamp: now,
        state: state(name, 'Task', input),
        catch: { catcher },
      });
    },
    exitCaught(name: string, input: unknown, output: unknown) {
      events.push({
        type: 'StateExited',
        timestamp: now,
        state: { ...state(name, 'Task', input), output: output as never },
      });
    },
    succeeded(output: unknown) {
      events.push({ type: 'ExecutionSucceeded', timestamp: now, output: output as never });
    },
    failed(error: string, cause: string) {
      events.push({ type: 'ExecutionFailed', timestamp: now, Error: error, Cause: cause });
    },
  };
};

async function* replay<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Split, then "Create people" in 8 batches of 25 rows, 0.5 s each, 2 s for the rate limit in between. */
const peopleImport = () => {
  const s = script();
  s.started(jobState());
  const split = jobState({
    stage: 'split',
    done: true,
    progress: { stage: 'split', step: '200 rows in 8 batches', done: 200, total: 200 },
  });
  s.run('Split CSV into batches', 'Task', 400, jobState({ stage: 'split' }), split);
  for (let batch = 1; batch <= 8; batch++) {
    const progress = { stage: 'people', step: `batch ${batch} of 8`, done: batch * 25, total: 200 };
    const after = jobState({ done: batch === 8, progress, wait: { seconds: 2, reason: RATE_LIMIT } });
    s.run('Create people', 'Task', 500, jobState(), after);
    s.run('Are all people created?', 'Choice', 0, after);
    if (batch < 8) s.run('Wait for rate limit (people)', 'Wait', 2000, after);
  }
  s.run('Write the report', 'Task', 100, jobState({ stage: 'report', done: true }));
  s.run('Import finished', 'Succeed', 0, jobState({ stage: 'report', done: true }));
  s.succeeded(jobState({ stage: 'report', done: true }));
  return s.events;
};

const follow = async (events: readonly unknown[], options: { isTTY?: boolean; out?: Capture } = {}) => {
  const out = options.out ?? new Capture();
  const view = new ExecutionView({ out, isTTY: options.isTTY ?? false, color: false, now: () => 0 });
  await view.follow(replay(events as EventLog[]));
  return { out, view };
};

describe('ExecutionView', () => {
  it('prints each state once with its duration, the wait and why, and folds the loop into progress lines', async () => {
    // Prepare
    const events = peopleImport();

    // Act
    const { out } = await follow(events);

    // Assess
    expect(out.text).toContain('▶ Import job-1  imports/people.csv');
    expect(out.text).toContain('✔ Split CSV into batches  0.4s  split: 200 rows in 8 batches (200/200 rows)');
    expect(out.text).toContain('✔ Create people  0.5s  people: batch 1 of 8 (25/200 rows)');
    const waits = out.lines.filter((line) => line.startsWith('⏳'));
    expect(waits).toEqual([`⏳ Wait for rate limit (people)  2s — ${RATE_LIMIT}`]);
    expect(out.text).not.toContain('Are all people created?');
    const progress = out.lines.filter((line) => line.startsWith('  ▸ people'));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(7);
    // Batch 2 ends 3 s after the stage began: 50 rows in 3 s leaves 150 rows, 9 s.
    expect(progress[0]).toMatch(/50\/200 rows\s+25%\s+elapsed 3\.0s\s+ETA 9s\s+batch 2 of 8/);
    expect(out.text).toContain('✔ Create people  8 runs in 18.0s  200/200 rows  waited 14.0s in 7 waits');
    expect(out.text).toContain('✔ Write the report  0.1s');
    expect(out.lines.at(-2)).toBe('■ Import job-1 ran to the end in 18.5s');
    expect(out.text).not.toContain(ANSI);
  });

  it('tells that a long import continued in a new execution, and times the whole import', async () => {
    // Prepare: the first execution hands over mid-stage; the second carries on and finishes
    const s = script();
    const progress = (done: number) => ({ stage: 'people', step: `batch ${done / 25}`, done, total: 100 });
    const handedOver = jobState({ progress: progress(50), history: { events: 3, limit: 40, execution: 2 } });
    s.started(jobState());
    s.run('Create people', 'Task', 1000, jobState(), jobState({ progress: progress(50) }));
    s.run('Continue in a new execution', 'Task', 0, handedOver, handedOver);
    s.succeeded({
      ...handedOver,
      continuedIn: { executionArn: 'arn:aws:states:::execution:CrmImport:job-1-2' },
    });
    s.started(handedOver);
    s.run('Create people', 'Task', 1000, handedOver, jobState({ done: true, progress: progress(100) }));
    s.succeeded({});

    // Act
    const { out } = await follow(s.events);

    // Assess
    expect(out.text).toContain('↪ Execution history nearly full (40 events): continuing in job-1-2');
    expect(out.text).toContain('▶ Import job-1 carries on in execution 2');
    expect(out.text).not.toMatch(/job-1 ran to the end in 1\.0s/);
    expect(out.lines.at(-2)).toBe('■ Import job-1 ran to the end in 2.0s');
  });

  it('prints a progress line at most every 10% when batches are small', async () => {
    // Prepare
    const s = script();
    s.started(jobState());
    for (let batch = 1; batch <= 100; batch++) {
      const progress = { stage: 'companies', step: `batch ${batch} of 100`, done: batch, total: 100 };
      s.run(
        'Create companies',
        'Task',
        10,
        jobState({ stage: 'company' }),
        jobState({ done: batch === 100, progress }),
      );
    }

    // Act
    const { out } = await follow(s.events);

    // Assess
    const progress = out.lines.filter((line) => line.startsWith('  ▸ companies'));
    expect(progress.map((line) => line.match(/(\d+)\/100 rows/)?.[1])).toEqual([
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
    ]);
  });

  it('shows a failed attempt, its retry, the catch, and the failed execution', async () => {
    // Prepare
    const s = script();
    const input = jobState();
    s.started(input);
    s.enter('Create people', 'Task', input);
    s.fail(
      'Create people',
      'Task',
      1200,
      input,
      'TargetError',
      '{"errorType":"TargetError","errorMessage":"503 from target"}',
    );
    s.retry('Create people', input, 1, 1);
    s.fail('Create people', 'Task', 300, input, 'TargetError', new Error('503 from target'));
    s.caught('Create people', input, 'Write the failure report');
    s.exitCaught('Create people', input, { ...input, error: { Error: 'TargetError', Cause: '503' } });
    s.run('Write the failure report', 'Task', 100, input);
    s.enter('Import failed', 'Fail', input);
    s.fail('Import failed', 'Fail', 0, input, 'TargetError', '503 from target');
    s.failed('TargetError', '503 from target');

    // Act
    const { out } = await follow(s.events);

    // Assess
    expect(out.lines.slice(1, 6)).toEqual([
      '✖ Create people  1.2s  TargetError: 503 from target',
      '↻ Create people  retry 1 of 1',
      '✖ Create people  0.3s  TargetError: 503 from target',
      '↪ Create people  error caught → Write the failure report',
      '✔ Write the failure report  0.1s',
    ]);
    expect(out.text).not.toContain('✔ Create people');
    expect(out.lines.at(-2)).toBe('✖ Import job-1 stopped after 1.6s  TargetError: 503 from target');
  });

  it('always shows a new kind of wait and a long wait, even inside a loop', async () => {
    // Prepare
    const s = script();
    const wait = (seconds: number, reason: string) => jobState({ wait: { seconds, reason } });
    s.run('Wait for rate limit (people)', 'Wait', 10, wait(2, RATE_LIMIT));
    s.run('Wait for rate limit (people)', 'Wait', 10, wait(1, RATE_LIMIT.replace('2 s', '1 s')));
    s.run('Wait for rate limit (people)', 'Wait', 10, wait(7, '429 from target, Retry-After 7 s'));
    s.run('Wait for rate limit (people)', 'Wait', 10, wait(45, '429 from target, Retry-After 45 s'));

    // Act
    const { out } = await follow(s.events);

    // Assess
    expect(out.lines.filter((line) => line.startsWith('⏳'))).toEqual([
      `⏳ Wait for rate limit (people)  2s — ${RATE_LIMIT}`,
      '⏳ Wait for rate limit (people)  7s — 429 from target, Retry-After 7 s',
      '⏳ Wait for rate limit (people)  45s — 429 from target, Retry-After 45 s',
    ]);
  });

  it('keeps going on events it does not know', async () => {
    // Prepare
    const events = [
      null,
      42,
      {},
      { type: 'StateEntered' },
      {
        type: 'StateEntered',
        state: { name: 'Wait for rate limit (people)', type: 'Wait', input: { wait: 'soon' } },
      },
      { type: 'MapIterationStarted', index: 0, parentState: { name: 'Map' } },
      { type: 'StateExited', state: { name: 'Odd task', type: 'Task', output: 'not a job state' } },
      { type: 'ExecutionFailed', timestamp: 'yesterday', Cause: { nested: true } },
    ];

    // Act
    const { out } = await follow(events);

    // Assess
    expect(out.text).toContain('✔ Odd task  0.0s');
    expect(out.text).toContain('✖ Import stopped after 0.0s  Error: {"nested":true}');
  });

  it('draws a live bar per stage in a terminal instead of progress lines, and restores the cursor', async () => {
    // Prepare
    const out = new Capture();
    out.isTTY = true;

    // Act
    await follow(peopleImport(), { out, isTTY: true });

    // Assess
    expect(out.text).toMatch(/people\s+█{20}\s+200\/200 rows\s+100%/);
    expect(out.text).toContain(`⏳ Wait for rate limit (people)  2s — ${RATE_LIMIT}`);
    expect(out.text).not.toContain('▸ people');
    expect(out.text).toContain('\x1b[?25h');
    expect(out.text).toContain('■ Import job-1 ran to the end in 18.5s');
  });
});

/** A paced stage as a rate of 1 request per 2 s makes it: 25 rows a request, a 0.2 s Task, then a 2 s Wait. */
const pacedPeople = (batches: number) => {
  const s = script();
  s.started(jobState());
  for (let batch = 1; batch <= batches; batch++) {
    const progress = { stage: 'people', step: `batch ${batch} of 8`, done: batch * 25, total: 200 };
    const before = jobState({ requests: { sent: batch - 1, throttled: 0 } });
    const after = jobState({
      progress,
      requests: { sent: batch, throttled: 0 },
      wait: { seconds: 2, reason: 'rate limit 1 per 2 s: next 1 requests fit in 2 s' },
    });
    s.run('Create people', 'Task', 200, before, after);
    s.run('Wait for rate limit (people)', 'Wait', 2000, after);
  }
  return s;
};

describe('ExecutionView: the ETA and the clock', () => {
  const RATE = { limit: 1, windowSeconds: 2 };

  it('counts the ETA from the rate budget: the requests the rows left need, at the rate', async () => {
    // Prepare: after 2 batches, 150 rows are left; at 25 rows a request that is 6 requests, 12 s at 1 per 2 s
    const out = new Capture();
    const view = new ExecutionView({ out, isTTY: false, color: false, rate: RATE });

    // Act
    await view.follow(replay(pacedPeople(2).events as EventLog[]));

    // Assess
    const progress = out.lines.filter((line) => line.startsWith('  ▸ people'));
    expect(progress[0]).toMatch(/50\/200 rows\s+25%\s+elapsed 2\.4s\s+ETA 12s\s+batch 2 of 8/);
  });

  it('a Wait in progress counts down, adds to the ETA, and elapsed time goes on', async () => {
    // Prepare: the stage entered its third 2 s Wait at t; we look at t + 1.5 s
    const s = pacedPeople(2);
    const after = jobState({
      progress: { stage: 'people', step: 'batch 3 of 8', done: 75, total: 200 },
      requests: { sent: 3, throttled: 0 },
      wait: { seconds: 5, reason: 'rate limit 1 per 2 s' },
    });
    s.run('Create people', 'Task', 200, jobState({ requests: { sent: 2, throttled: 0 } }), after);
    s.events.push({
      type: 'StateEntered',
      timestamp: (s.events.at(-1) as { timestamp: number }).timestamp,
      state: { name: 'Wait for rate limit (people)', type: 'Wait', input: after as never },
    });
    const waitStarted = (s.events.at(-1) as { timestamp: number }).timestamp;
    const view = new ExecutionView({ out: new Capture(), isTTY: false, color: false, rate: RATE });
    await view.follow(replay(s.events as EventLog[]));
    const stage = view.model.stages.people;

    // Act
    const line = formatStageProgress(stage as StageView, (_style, text) => text, undefined, {
      now: waitStarted + 1500,
      rate: RATE,
    });

    // Assess: 5 s wait, 3.5 s of it left; 125 rows left = 5 requests = 10 s; 4.6 s so far + 1.5 s
    expect(line).toMatch(/75\/200 rows\s+37%\s+elapsed 6\.1s\s+ETA 14s\s+⏳ 4s — rate limit 1 per 2 s$/);
  });

  it('the bars, redrawn while a Wait runs, show elapsed time going on with no event coming', async () => {
    // Prepare: the events stop inside a Wait for 1.2 s of real time
    const out = new Capture();
    out.isTTY = true;
    let clock = 1_700_000_000_000;
    const s = pacedPeople(1);
    const events = s.events.slice(0, -1) as EventLog[];
    async function* live(): AsyncGenerator<EventLog> {
      for (const event of events) yield event;
      const paused = Date.now();
      clock = (events.at(-1) as { timestamp: number }).timestamp;
      while (Date.now() - paused < 1200) {
        await new Promise((r) => setTimeout(r, 50));
        clock += 50;
      }
      drawnDuringWait = out.text;
    }
    let drawnDuringWait = '';
    const view = new ExecutionView({ out, isTTY: true, color: false, rate: RATE, now: () => clock });

    // Act
    await view.follow(live());

    // Assess: drawn at the Wait's start (elapsed 0.2s), then again a second later, before anything happened
    expect(drawnDuringWait).toMatch(/elapsed 0\.2s/);
    expect(drawnDuringWait).toMatch(/elapsed 1\.[1-4]s/);
  });

  it('fits a bar to the terminal: the activity is cut, never the numbers', () => {
    // Prepare
    const stage: StageView = {
      label: 'people',
      startedAt: 0,
      updatedAt: 4000,
      step: 'a step whose description is far longer than any terminal would show on one line',
      done: 50,
      total: 200,
      runs: 2,
      waits: 1,
      waitedMs: 2000,
      activity: 'a step whose description is far longer than any terminal would show on one line',
      requestsAtStart: 0,
      requests: 2,
      busyMs: 400,
      finished: false,
      reportedAt: 0,
      reportedDone: 0,
    };

    // Act
    const lines = [100, 80].map((width) =>
      formatStageProgress(stage, (_style, text) => text, undefined, { now: 4000, rate: RATE, width }),
    );

    // Assess: at 100 columns the activity is cut; at 80 the bar goes, then what is left of the activity
    expect(lines[0]!.length).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^people +\[█+░+\] +50\/200 rows +25% +elapsed 4\.0s +ETA 12s +a step .*…$/);
    expect(lines[1]!.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^people +50\/200 rows +25% +elapsed 4\.0s +ETA 12s +a step .*…$/);
    // a Wait's hourglass takes two columns
    const waiting = formatStageProgress(
      { ...stage, wait: { until: 6000, reason: 'rate limit 1 per 2 s: next 1 requests fit in 2 s' } },
      (_style, text) => text,
      undefined,
      { now: 4000, rate: RATE, width: 100 },
    );
    expect(waiting).toMatch(/ETA 14s +⏳ 2s — rate limit.*…$/);
    expect(waiting.length + 1).toBeLessThanOrEqual(100);
  });
});

describe('ExecutionView with the ASL interpreter', () => {
  it('follows the events of a real paced loop', async () => {
    // Prepare
    const machine = new StateMachine({
      StartAt: 'Create people',
      States: {
        'Create people': {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:create-batch',
          Next: 'Are all people created?',
        },
        'Are all people created?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Import finished' }],
          Default: 'Wait for rate limit (people)',
        },
        'Wait for rate limit (people)': {
          Type: 'Wait',
          SecondsPath: '$.wait.seconds',
          Next: 'Create people',
        },
        'Import finished': { Type: 'Succeed' },
      },
    });
    const createBatch = (input: unknown) => {
      const state = input as JobState;
      const done = state.progress.done + 50;
      const progress = { stage: 'people', step: `batch ${done / 50} of 2`, done, total: 100 };
      return { ...state, done: done === 100, progress, wait: { seconds: 0, reason: RATE_LIMIT } };
    };
    const execution = machine.run(jobState(), {
      overrides: { taskResourceLocalHandlers: { 'Create people': createBatch as never } },
    });

    // Act
    const out = new Capture();
    await new ExecutionView({ out, isTTY: false, color: false }).follow(execution.eventLogs);
    await execution.result;

    // Assess
    expect(out.lines[0]).toBe('▶ Import job-1  imports/people.csv');
    expect(out.text).toMatch(/✔ Create people {2}\d+\.\ds {2}people: batch 1 of 2 \(50\/100 rows\)/);
    expect(out.text).toContain(`⏳ Wait for rate limit (people)  0s — ${RATE_LIMIT}`);
    expect(out.text).toMatch(/✔ Create people {2}2 runs in .+ {2}100\/100 rows {2}waited .+ in 1 wait\n/);
    expect(out.text).toMatch(/■ Import job-1 ran to the end in \d+\.\ds\n$/);
  });
});

describe('ExecutionView ETA', () => {
  it('projects the observed rate, waits included, onto the rows left', () => {
    // Act & Assess
    expect(estimateEtaMs({ done: 50, total: 200, elapsedMs: 3000 })).toBe(9000);
    expect(estimateEtaMs({ done: 0, total: 200, elapsedMs: 3000 })).toBeUndefined();
    expect(estimateEtaMs({ done: 10, total: 0, elapsedMs: 3000 })).toBeUndefined();
    expect(estimateEtaMs({ done: 200, total: 200, elapsedMs: 3000 })).toBe(0);
  });

  it('rounds up to whole seconds and unknown shows as ?', () => {
    // Act & Assess
    expect(formatEta(8_100)).toBe('9s');
    expect(formatEta(61_000)).toBe('1m 01s');
    expect(formatEta(2 * 3_600_000 + 5 * 60_000)).toBe('2h 05m');
    expect(formatEta(undefined)).toBe('?');
  });
});

describe('formatSummaryTable', () => {
  const counters = (
    rows: number,
    created: number,
    skipped: number,
    merged: number,
    failed: number,
    held: number,
  ) => ({
    rows,
    created,
    updated: 0,
    skipped,
    merged,
    failed,
    held,
  });
  const summary: RunSummary = {
    jobId: 'job-1',
    status: 'succeeded',
    totals: counters(1250, 1190, 20, 15, 20, 5),
    stages: {
      deal: counters(50, 40, 0, 0, 5, 5),
      person: counters(1000, 960, 15, 15, 10, 0),
      company: counters(200, 190, 5, 0, 5, 0),
    },
    links: { created: 80, failed: 2 },
    requests: { sent: 412, throttled: 3 },
    report: {
      summary: 's3://imports/reports/job-1/summary.json',
      failures: 's3://imports/reports/job-1/failures.csv',
    },
    elapsedMs: 64_000,
  };

  it('aligns one row per stage in dependency order, then the totals', () => {
    // Act
    const text = formatSummaryTable(summary, { color: false });

    // Assess
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.startsWith('stage'));
    const table = lines.slice(start, start + 5);
    expect(table.map((line) => line.split(/\s+/)[0])).toEqual([
      'stage',
      'companies',
      'people',
      'deals',
      'total',
    ]);
    expect(new Set(table.map((line) => line.length)).size).toBe(1);
    const header = table[0]!;
    for (const row of table.slice(1)) {
      // Numbers are right-aligned under their heading.
      for (const column of ['rows', 'created', 'failed', 'held']) {
        const end = header.indexOf(column) + column.length;
        expect(row[end - 1]).toMatch(/\d/);
        expect(row[end] ?? ' ').toBe(' ');
      }
    }
    expect(table[4]!.split(/\s+/)).toEqual(['total', '1250', '1190', '0', '20', '15', '20', '5']);
    expect(text).not.toContain(ANSI);
  });

  it('proves every row is accounted for and lists requests, elapsed time and the report files', () => {
    // Act
    const text = formatSummaryTable(summary);

    // Assess
    expect(text).toContain('every row accounted for: 1250 rows = 1190 created + 0 updated + 20 skipped');
    expect(text).toMatch(/links\s+80 created, 2 failed/);
    expect(text).toMatch(/requests\s+412 sent, 3 throttled/);
    expect(text).toMatch(/elapsed\s+1m 04s/);
    expect(text).toContain('s3://imports/reports/job-1/summary.json');
    expect(text).toContain('s3://imports/reports/job-1/failures.csv');
  });

  it('says how many rows are missing when the counts do not add up', () => {
    // Prepare
    const short = { ...summary, totals: { ...summary.totals, created: 1180 } };

    // Act
    const text = formatSummaryTable(short);

    // Assess
    expect(text).toContain('✖ 10 rows unaccounted for');
  });

  it('colours only when asked', () => {
    // Act & Assess
    expect(formatSummaryTable(summary, { color: true })).toContain(ANSI);
  });

  it('a dry run heads its columns with what would be done, names the plan, and never says created', () => {
    // Prepare
    const dry: RunSummary = {
      ...summary,
      dryRun: true,
      report: { ...summary.report, plan: 's3://imports/reports/job-1/plan.csv' },
      outcome: {
        kind: 'dry-run',
        mark: '!',
        line: 'DRY RUN, nothing was written to the target: would import 1190',
      },
    };

    // Act
    const text = formatSummaryTable(dry);

    // Assess
    expect(text).toMatch(/^Dry run of import job-1: nothing was written\n/);
    expect(text).toMatch(/^stage +rows +would create +would update +skipped +merged +would fail +held$/m);
    expect(text).toMatch(/links\s+80 would be created, 2 would fail/);
    expect(text).toMatch(/^plan +s3:\/\/imports\/reports\/job-1\/plan\.csv$/m);
    expect(text.trim().split('\n').at(-1)).toBe(
      '! DRY RUN, nothing was written to the target: would import 1190',
    );
    expect(text).not.toMatch(/\d created/);
  });

  it('ends on the outcome; a target without links has no links line', () => {
    // Prepare
    const actuallyCare: RunSummary = {
      ...summary,
      stages: { lead: summary.stages.person! },
      links: { created: 0, failed: 0 },
      outcome: { kind: 'imported', mark: '✔', line: 'Finished: 960 imported. Every row is in the target.' },
    };

    // Act
    const text = formatSummaryTable(actuallyCare);

    // Assess
    expect(text).not.toMatch(/^links/m);
    expect(text.trim().split('\n').at(-1)).toBe('✔ Finished: 960 imported. Every row is in the target.');
  });
});
