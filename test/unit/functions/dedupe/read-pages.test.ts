import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type DedupeCursor, dedupeCursorSchema } from '#domain/cursors.ts';
import { type ReadOutcome, readPages, type SnapshotPages } from '#functions/dedupe/read-pages.ts';
import { type ExistingRecord, type ListPage, TargetError } from '#targets/target.ts';
import { dedupeCursor, readCalls } from './fixtures.ts';

interface ListOptions {
  records: number;
  /** Records a page holds, as the API answers. */
  perPage: number;
  /** Whether the answer says how many records the list holds. */
  total?: boolean;
  /** Page numbers instead of offsets (ActuallyCare), with the page size the client assumes. */
  pageNumbers?: { assumedPerPage: number };
  /** What the API answers to the read of a page, instead of the page. */
  fail?: (page: number, attempt: number) => TargetError | undefined;
}

/** A list of records read a page at a time, with the requests it answered and how many overlapped. */
function fakeList(options: ListOptions) {
  const all: ExistingRecord[] = Array.from({ length: options.records }, (_, i) => ({
    id: `r${i}`,
    keys: [`email:r${i}@example.com`],
  }));
  const reads: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const target = {
    listExisting: async (_entity: string, cursor: string | null): Promise<ListPage> => {
      const page = options.pageNumbers
        ? Number(cursor ?? 1) - 1
        : Math.floor(Number(cursor ?? 0) / options.perPage);
      reads.push(page);
      const attempt = reads.filter((p) => p === page).length;
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(5);
      inFlight -= 1;
      const failure = options.fail?.(page, attempt);
      if (failure) throw failure;
      const start = page * options.perPage;
      const records = all.slice(start, start + options.perPage);
      const more = start + options.perPage < all.length && records.length > 0;
      const next = more ? String(options.pageNumbers ? page + 2 : start + records.length) : null;
      return { records, next, ...(options.total ? { total: all.length } : {}) };
    },
    tailCursor: (_entity: string, skip: number) =>
      options.pageNumbers ? String(Math.floor(skip / options.pageNumbers.assumedPerPage) + 1) : String(skip),
  };
  return { target, all, reads, mostInFlight: () => mostInFlight };
}

/** The JobStore's snapshot, in memory: the pages as last stored, and each completion. */
function fakeSnapshot() {
  const pages = new Map<number, ExistingRecord[]>();
  const completed: number[] = [];
  const snapshot: SnapshotPages = {
    putSnapshotPage: async (_entity, page, records) => {
      pages.set(page, [...records]);
    },
    completeSnapshot: async (_entity, count) => {
      completed.push(count);
    },
  };
  const stored = () =>
    [...pages.keys()].sort((a, b) => a - b).flatMap((page) => pages.get(page) as ExistingRecord[]);
  return { snapshot, pages, completed, stored };
}

/** A Task's calls, with `slots` requests left in the budget. */
const callsWith = (slots = 1_000) => readCalls(slots, 1_000, 5);

const newCursor = () => dedupeCursor(3, true);

/** One Task: reads until the entity is done or the Task stops, as the dedupe stage does. */
async function task(
  list: ReturnType<typeof fakeList>,
  snapshot: SnapshotPages,
  cursor: DedupeCursor,
  calls = callsWith(),
  width = 4,
): Promise<ReadOutcome> {
  let outcome: ReadOutcome = { kind: 'more' };
  while (cursor.entity < cursor.entities.length && outcome.kind !== 'stopped') {
    outcome = await readPages('person', cursor, {
      target: list.target,
      calls,
      snapshot,
      outOfTime: () => false,
      width,
    });
  }
  return outcome;
}

describe('Function: readPages (the dedupe stage reading what the target holds)', () => {
  it('reads the first page alone, then the rest several at once, up to the total the API gave', async () => {
    // Prepare: 23 records, 5 a page: 5 pages
    const list = fakeList({ records: 23, perPage: 5, total: true });
    const { snapshot, completed, stored } = fakeSnapshot();
    const cursor = newCursor();
    const calls = callsWith();

    // Act
    await task(list, snapshot, cursor, calls);

    // Assess: each page read once, none past the end; every record stored once, in order, counted once
    expect([...list.reads].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(list.reads[0]).toBe(0);
    expect(list.mostInFlight()).toBeGreaterThan(1);
    expect(list.mostInFlight()).toBeLessThanOrEqual(4);
    expect(calls.meter.sent).toBe(5);
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([23]);
    expect(cursor).toMatchObject({ entity: 1, page: 0, next: null, pages: 5, records: 23, perPage: 0 });
  });

  it('without a total, reads until a page says it is the last, at most width - 1 reads past it', async () => {
    // Prepare: 40 records, 5 a page: 8 pages, the last one full
    const list = fakeList({ records: 40, perPage: 5 });
    const { snapshot, completed, stored } = fakeSnapshot();
    const cursor = newCursor();

    // Act
    await task(list, snapshot, cursor, callsWith(), 4);

    // Assess
    expect(new Set(list.reads).size).toBe(list.reads.length);
    expect(list.reads.filter((page) => page >= 8).length).toBeLessThanOrEqual(3);
    expect(list.mostInFlight()).toBeGreaterThan(1);
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([40]);
  });

  it('stops on a read that fails transiently, keeping the pages before it; the next Task reads the rest once', async () => {
    // Prepare: page 3 of 6 answers 503 the first time
    const list = fakeList({
      records: 30,
      perPage: 5,
      total: true,
      fail: (page, attempt) =>
        page === 3 && attempt === 1 ? new TargetError('SERVER_ERROR', '503', { status: 503 }) : undefined,
    });
    const { snapshot, pages, completed, stored } = fakeSnapshot();
    const cursor = newCursor();

    // Act: the first Task
    const first = await task(list, snapshot, cursor);

    // Assess: stopped on the failure with pages 0-2 kept and counted, nothing after the gap stored
    expect(first).toMatchObject({ kind: 'stopped', failed: { code: 'SERVER_ERROR' } });
    expect([...pages.keys()].sort()).toEqual([0, 1, 2]);
    expect(cursor).toMatchObject({
      entity: 0,
      page: 3,
      next: '15',
      entityRecords: 15,
      perPage: 5,
      total: 30,
    });
    expect(completed).toEqual([]);

    // Act: the next Task, from the cursor as the state machine hands it on
    const resumed = dedupeCursorSchema.parse(JSON.parse(JSON.stringify(cursor)));
    await task(list, snapshot, resumed);

    // Assess: every record once, counted once
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([30]);
    expect(resumed).toMatchObject({ entity: 1, pages: 6, records: 30 });
  });

  it('a Task killed after storing pages is redone from its cursor: pages stored again are counted once', async () => {
    // Prepare: a Task that stored pages 0-4 of 6, then died before handing on its cursor
    const list = fakeList({ records: 30, perPage: 5, total: true });
    const { snapshot, completed, stored } = fakeSnapshot();
    const before = newCursor();
    const dying = dedupeCursorSchema.parse(JSON.parse(JSON.stringify(before)));
    await task(list, snapshot, dying, callsWith(5));
    expect(dying.page).toBe(5);

    // Act: the Task runs again from the cursor it started with
    await task(list, snapshot, before);

    // Assess
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([30]);
    expect(before).toMatchObject({ entity: 1, pages: 6, records: 30 });
  });

  it('stops when the budget is spent and carries on in the next Task, each request charged before it leaves', async () => {
    // Prepare: 12 pages, a budget of 4 requests a Task
    const list = fakeList({ records: 60, perPage: 5, total: true });
    const { snapshot, completed, stored } = fakeSnapshot();
    const cursor = newCursor();

    // Act: Tasks until done
    const sent: number[] = [];
    for (let n = 0; n < 10 && cursor.entity < 1; n++) {
      const calls = callsWith(4);
      const outcome = await task(list, snapshot, cursor, calls);
      sent.push(calls.meter.sent);
      if (cursor.entity < 1) expect(outcome).toEqual({ kind: 'stopped' });
    }

    // Assess: no Task sent more than it was granted, and the pages add up
    expect(Math.max(...sent)).toBeLessThanOrEqual(4);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(12);
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([60]);
  });

  it('a 429 stops the Task without a failure, and the page is read again by the next', async () => {
    // Prepare
    const list = fakeList({
      records: 30,
      perPage: 5,
      total: true,
      fail: (page, attempt) =>
        page === 2 && attempt === 1
          ? new TargetError('RATE_LIMITED', '429', { status: 429, retryAfterSeconds: 1 })
          : undefined,
    });
    const { snapshot, completed, stored } = fakeSnapshot();
    const cursor = newCursor();

    // Act
    const first = await task(list, snapshot, cursor);
    await task(list, snapshot, cursor);

    // Assess
    expect(first).toEqual({ kind: 'stopped' });
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([30]);
  });

  it('pages that do not start where the first page says are read one after another', async () => {
    // Prepare: page numbers, the API answering 5 a page where the client asks (and assumes) 10
    const list = fakeList({ records: 23, perPage: 5, total: true, pageNumbers: { assumedPerPage: 10 } });
    const { snapshot, completed, stored } = fakeSnapshot();
    const cursor = newCursor();

    // Act
    await task(list, snapshot, cursor);

    // Assess: nothing read ahead from a wrong place, every record once
    expect(list.reads).toEqual([0, 1, 2, 3, 4]);
    expect(list.mostInFlight()).toBe(1);
    expect(stored().map((r) => r.id)).toEqual(list.all.map((r) => r.id));
    expect(completed).toEqual([23]);
  });

  it('an entity of one page is read with one request', async () => {
    // Prepare
    const list = fakeList({ records: 3, perPage: 5, total: true });
    const { snapshot, completed } = fakeSnapshot();

    // Act
    await task(list, snapshot, newCursor());

    // Assess
    expect(list.reads).toEqual([0]);
    expect(completed).toEqual([3]);
  });
});
