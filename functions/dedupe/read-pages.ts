import type { DedupeCursor } from '#domain/cursors.ts';
import type { RecordEntity } from '#domain/entities.ts';
import { classify, type ImportError } from '#domain/errors.ts';
import type { PacedCalls } from '#domain/paced-calls.ts';
import type { ExistingRecord, ListPage, TargetAdapter } from '#targets/target.ts';

/** Where the snapshot's pages go (the JobStore's snapshot methods). */
export interface SnapshotPages {
  putSnapshotPage(entity: RecordEntity, page: number, records: readonly ExistingRecord[]): Promise<void>;
  completeSnapshot(entity: RecordEntity, count: number): Promise<void>;
}

export interface ReadContext {
  target: Pick<TargetAdapter, 'listExisting' | 'tailCursor'>;
  calls: PacedCalls;
  snapshot: SnapshotPages;
  outOfTime: () => boolean;
  /** Reads of one entity kept in flight at most (`calls.inFlight('read')`). */
  width: number;
}

/**
 * `done`: the entity's snapshot is complete and the cursor is at the next entity. `more`: pages are left
 * and the caller may go on. `stopped`: the budget is spent, a 429 or the Task's time stopped it, or a
 * read failed transiently (`failed`): the Task hands back its cursor.
 */
export type ReadOutcome = { kind: 'done' } | { kind: 'more' } | Stopped;
type Stopped = { kind: 'stopped'; failed?: ImportError };

/**
 * Reads what the target holds of the cursor's entity, from the page the cursor is at. A page read alone
 * shows how many records a page holds and whether the next page starts where that says (offset or page
 * number pagination); from then on the pages after it are read several at a time: up to the total the
 * API gave, or, when it gave none, until a page says it is the last (at most `width - 1` reads past the
 * end, each charged). Pages are stored and counted in page order, and the cursor moves only past a page
 * that is stored: a page answered after a gap is dropped and read again by the next Task, and a page
 * stored again by a Task after a killed one replaces itself and is counted once.
 */
export async function readPages(
  entity: RecordEntity,
  cursor: DedupeCursor,
  ctx: ReadContext,
): Promise<ReadOutcome> {
  if (!cursor.perPage) return readAlone(entity, cursor, ctx);
  return readAhead(entity, cursor, ctx);
}

/** One page, the one the cursor is at; it says whether the pages after it can be read ahead. */
async function readAlone(entity: RecordEntity, cursor: DedupeCursor, ctx: ReadContext): Promise<ReadOutcome> {
  if (ctx.outOfTime() || !(await ctx.calls.take('read'))) return { kind: 'stopped' };
  const read = await readOne(entity, cursor.next, ctx);
  if ('stopped' in read) return read.stopped;
  const { page } = read;
  const index = cursor.page;
  if (await store(entity, cursor, page, ctx)) return { kind: 'done' };
  const perPage = page.records.length;
  if (perPage > 0 && page.next === ctx.target.tailCursor(entity, (index + 1) * perPage)) {
    cursor.perPage = perPage;
    cursor.total = page.total ?? null;
  }
  return { kind: 'more' };
}

async function readOne(
  entity: RecordEntity,
  at: string | null,
  ctx: ReadContext,
): Promise<{ page: ListPage } | { stopped: Stopped }> {
  try {
    return { page: await ctx.calls.call(() => ctx.target.listExisting(entity, at), 'read') };
  } catch (error) {
    const kind = classify(error);
    if (kind === 'throttled') return { stopped: { kind: 'stopped' } };
    // A read is safe to repeat: a 5xx or a lost connection is read again by the next Task, after a backoff.
    if (kind === 'transient') return { stopped: { kind: 'stopped', failed: error as ImportError } };
    throw error;
  }
}

/** Stores the page the cursor is at and moves past it; true when it was the entity's last. */
async function store(
  entity: RecordEntity,
  cursor: DedupeCursor,
  page: ListPage,
  ctx: ReadContext,
): Promise<boolean> {
  await ctx.snapshot.putSnapshotPage(entity, cursor.page, page.records);
  return countStored(entity, cursor, page, ctx);
}

/** Counts the stored page the cursor is at and moves past it; true when it was the entity's last. */
async function countStored(
  entity: RecordEntity,
  cursor: DedupeCursor,
  page: ListPage,
  ctx: ReadContext,
): Promise<boolean> {
  cursor.pages += 1;
  cursor.records += page.records.length;
  cursor.entityRecords += page.records.length;
  if (page.next) {
    cursor.next = page.next;
    cursor.page += 1;
    return false;
  }
  await ctx.snapshot.completeSnapshot(entity, cursor.entityRecords);
  Object.assign(cursor, { entity: cursor.entity + 1, next: null, page: 0, entityRecords: 0 });
  Object.assign(cursor, { perPage: 0, total: null });
  return true;
}

/**
 * The pages from the cursor on, `width` at a time. Each request is charged (a slot taken) before it
 * leaves; the first read that cannot be charged, answers 429 or fails transiently stops the rest from
 * being sent, and those in flight are awaited. A page is stored as soon as it and every page before it
 * are answered (several stored at once, never one after a gap), and counted once its store and those
 * of the pages before it are done.
 */
async function readAhead(entity: RecordEntity, cursor: DedupeCursor, ctx: ReadContext): Promise<ReadOutcome> {
  const { perPage } = cursor;
  const first = cursor.page;
  const startAt = cursor.next;
  const at = (index: number) => (index === first ? startAt : ctx.target.tailCursor(entity, index * perPage));
  /** Pages the API said it holds; past them, a page is read only once the one before says there is more. */
  const expected = cursor.total === null ? Number.POSITIVE_INFINITY : Math.ceil(cursor.total / perPage);
  /** Pages known to exist: the cursor's (its `next` says so), and each after a page that says there is more. */
  let known = first + 1;
  /** One past the last page, once a page says it is the last. */
  let end = Number.POSITIVE_INFINITY;
  let nextIndex = first;
  let stop: Stopped | undefined;
  let fatal: unknown;
  /** A page's `next` is not where the read-ahead went: the pages after it are read one at a time. */
  let misplaced = false;
  let done = false;
  const answered = new Map<number, ListPage>();
  /** The first transient failure is the one the stage's backoff counts. */
  const halt = (why: Stopped) => {
    if (!stop?.failed) stop = why;
  };

  // Answered pages with none missing before them are stored at once; they are counted in page order.
  const stores = new Map<number, { page: ListPage; stored: Promise<void> }>();
  let released = first;
  let counting: Promise<void> = Promise.resolve();
  const release = () => {
    for (let page = answered.get(released); page && !misplaced; page = answered.get(released)) {
      answered.delete(released);
      const stored = ctx.snapshot.putSnapshotPage(entity, released, page.records);
      stored.catch(() => undefined);
      stores.set(released, { page, stored });
      if (page.next === null) break;
      if (page.next !== at(released + 1)) misplaced = true;
      released += 1;
    }
    counting = counting.then(countReleased);
  };
  const countReleased = async () => {
    for (let next = stores.get(cursor.page); next && !done; next = stores.get(cursor.page)) {
      stores.delete(cursor.page);
      await next.stored;
      if (next.page.next !== null && next.page.next !== at(cursor.page + 1)) {
        // Read ahead from the wrong places: keep this page, drop the others, go on one at a time.
        cursor.perPage = 0;
        cursor.total = null;
      }
      done = await countStored(entity, cursor, next.page, ctx);
    }
  };

  /** Reads the next page not yet asked for, while there is one to read; false when it should stop. */
  const left = () => nextIndex < end && (nextIndex < known || nextIndex < expected);
  const readNext = async (): Promise<boolean> => {
    if (!left()) return false;
    if (!(await ctx.calls.take('read'))) {
      halt({ kind: 'stopped' });
      return false;
    }
    // The page is chosen once its slot is held, so pages leave in the order their slots were granted (a
    // Task whose budget runs out leaves no gap), and one found past the end meanwhile is neither sent nor
    // charged.
    if (!left() || stop || misplaced) {
      ctx.calls.release('read');
      return false;
    }
    const index = nextIndex++;
    const read = await readOne(entity, at(index), ctx);
    if ('stopped' in read) {
      halt(read.stopped);
      return false;
    }
    const { page } = read;
    if (page.next === null) end = Math.min(end, index + 1);
    else known = Math.max(known, index + 2);
    answered.set(index, page);
    release();
    return true;
  };
  const worker = async (): Promise<void> => {
    try {
      while (!stop && fatal === undefined && !misplaced && !ctx.outOfTime() && (await readNext()));
    } catch (error) {
      fatal ??= error;
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, ctx.width) }, worker));
  await counting;
  if (fatal !== undefined) throw fatal;
  if (done) return { kind: 'done' };
  return stop ?? (ctx.outOfTime() ? { kind: 'stopped' } : { kind: 'more' });
}
