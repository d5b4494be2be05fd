import type { RecordEntity } from '#domain/entities.ts';
import { classify, type ImportError } from '#domain/errors.ts';
import { DRY_RUN_ID, type Outcome, type WindowLedger, withSource } from '#domain/outcomes.ts';
import type { PacedCalls } from '#domain/paced-calls.ts';
import { ownKeys } from '#domain/references.ts';
import { type TargetAdapter, TargetError } from '#targets/target.ts';
import type { PlannedRow } from './plan-window.ts';
import { reconcile, UNKEYED_IN_DOUBT } from './reconcile.ts';

export type SendResult = 'settled' | 'paused';

export interface SendContext {
  entity: RecordEntity;
  target: TargetAdapter;
  calls: PacedCalls;
  save: () => Promise<void>;
  outOfTime: () => boolean;
  /** Records the target held before the job: in-doubt rows are looked for after them. */
  snapshotCount: () => Promise<number>;
  /** Plan only: decide what each row would do and send nothing that writes. */
  dryRun?: boolean;
  /**
   * Told of the transient failure (a 5xx, a timeout, a lost connection) a window paused on: the stage
   * runner backs off before the next Task.
   */
  transient?: (error: ImportError) => void;
}

/**
 * Create the window's pending rows, exactly once. The rows of a request are written to the ledger as
 * `sending` before it goes out; if its answer is lost (crash, timeout, 5xx after commit, dropped
 * connection) they stay in doubt until the target has been read for them, and only what is not there is
 * sent again; a re-send the API refuses as a duplicate landed the first time, and is read back the same
 * way. Batches are atomic: when the API rejects one, the rows it points at fail with its own words
 * and the rest are sent again; without a pointer the batch is halved until the bad rows stand alone.
 * Returns 'paused' when the budget ran out, the API throttled or a transient failure stopped the window
 * (`ctx.transient` is told which); the next Task carries on.
 */
export async function sendWindow(
  ledger: WindowLedger,
  planned: PlannedRow[],
  ctx: SendContext,
): Promise<SendResult> {
  // Rows whose earlier request's answer was lost: read the target for them, then re-send only what is
  // not there, as an upsert where the target offers one, so even a record the read missed is not doubled.
  const wasInDoubt = ledger.sending !== undefined || ledger.attempts > 0;
  if (ledger.sending) {
    const done = await reconcile(ledger, planned, ctx, settle);
    if (done === 'paused') return 'paused';
  }
  // A row left pending by an earlier Task that the plan now settles without a request (e.g. it exists).
  for (const i of pendingIndexes(ledger)) {
    const settled = planned[i]?.outcome;
    if (settled) ledger.outcomes[i] = settled;
  }
  if (ctx.dryRun) return planOnly(ledger, planned);
  if ((await sendUpdates(ledger, planned, ctx)) === 'paused') return 'paused';
  const queue: number[][] = [pendingIndexes(ledger)];
  while (queue.length) {
    const group = queue.shift() as number[];
    if (!group.length) continue;
    // Charged to the budget before the ledger says it is sending, so a window the budget cannot pay for
    // is not left in doubt.
    if (ctx.outOfTime() || !(await ctx.calls.take('create'))) return 'paused';
    const records = group.map((i) => planned[i]?.record).filter((r) => r !== undefined);
    ledger.sending = group;
    await ctx.save();
    try {
      const ids = await ctx.calls.call(
        () => ctx.target.create(ctx.entity, records, wasInDoubt ? { idempotent: true } : undefined),
        'create',
      );
      ledger.sending = undefined;
      for (const [n, i] of group.entries()) settle(ledger, planned, i, { status: 'created', id: ids[n] });
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      if (error.inDoubt) {
        // The request may have landed: keep `sending`, and let the next Task read the target first.
        ledger.attempts += 1;
        await ctx.save();
        ctx.transient?.(error);
        return 'paused';
      }
      ledger.sending = undefined;
      if (wasInDoubt && error.code === 'DUPLICATE') {
        // A re-send of rows whose first answer was lost, refused as a duplicate: they landed the first
        // time. The next Task reads the target for their ids instead of failing rows this job created.
        ledger.sending = landed(error, group);
        ledger.attempts += 1;
        await ctx.save();
        // Until the target lists them, the window waits and tries again under the stage's retry policy.
        ctx.transient?.(
          new TargetError('IN_DOUBT', `${error.message} (a re-send of rows in doubt: read back)`, {
            cause: error,
            inDoubt: true,
          }),
        );
        return 'paused';
      }
      if (onRejected(error, group, ledger, planned, queue, ctx) === 'paused') {
        await ctx.save();
        return 'paused';
      }
    }
    await ctx.save();
  }
  return 'settled';
}

/**
 * A dry run settles every pending row with what it would do. A row to be created gets a stand-in id, so
 * the rows that reference it (people of a new company, links of a new deal) are planned as they would go.
 */
function planOnly(ledger: WindowLedger, planned: PlannedRow[]): SendResult {
  for (const i of pendingIndexes(ledger)) {
    const update = planned[i]?.update;
    if (update) {
      const what = Object.keys(update.record.fields).join(', ') || 'its link';
      settle(ledger, planned, i, { status: 'updated', id: update.id, message: `would update ${what}` });
    } else {
      settle(ledger, planned, i, {
        status: 'created',
        id: `${DRY_RUN_ID}${ledger.part}-${ledger.start + i}`,
        message: 'would create',
      });
    }
  }
  return 'settled';
}

/** Existing records to PATCH (--on-existing update), one request each. A PATCH is safe to send again. */
async function sendUpdates(
  ledger: WindowLedger,
  planned: PlannedRow[],
  ctx: SendContext,
): Promise<SendResult> {
  for (const i of pendingIndexes(ledger)) {
    const update = planned[i]?.update;
    if (!update) continue;
    if (ctx.outOfTime() || !(await ctx.calls.ensure(1, 'update'))) return 'paused';
    try {
      await ctx.calls.call(() => ctx.target.update(ctx.entity, update.id, update.record), 'update');
      settle(ledger, planned, i, {
        status: 'updated',
        id: update.id,
        message: `updated ${Object.keys(update.record.fields).join(', ') || 'its link'}`,
      });
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      const kind = classify(error);
      if (kind === 'stops-job') throw error;
      if (kind === 'throttled' || kind === 'transient') {
        if (kind === 'transient') {
          ledger.attempts += 1;
          ctx.transient?.(error);
        }
        await ctx.save();
        return 'paused';
      }
      settle(ledger, planned, i, {
        status: 'failed',
        code: error.code,
        message: error.message,
        retryable: error.retryable,
      });
    }
    await ctx.save();
  }
  return 'settled';
}

function onRejected(
  error: TargetError,
  group: number[],
  ledger: WindowLedger,
  planned: PlannedRow[],
  queue: number[][],
  ctx: SendContext,
): 'continue' | 'paused' {
  const kind = classify(error);
  // Not the data's fault and not transient: the whole job stops with the API's reason (a 404: the
  // endpoint itself is not there).
  if (kind === 'stops-job' || error.status === 404) throw error;
  if (kind === 'throttled') return 'paused';
  if (kind === 'transient') {
    ledger.attempts += 1;
    ctx.transient?.(error);
    return 'paused';
  }
  const pointed = error.items.filter((item) => item.index >= 0 && item.index < group.length);
  if (pointed.length) {
    // One message per row, naming every field the API found wrong in it (an API may point at several).
    const byRow = new Map<number, string[]>();
    for (const item of pointed) {
      const field = item.field ? ` (${item.field})` : '';
      byRow.set(item.index, [...(byRow.get(item.index) ?? []), `${item.message}${field}`]);
    }
    const bad = new Set(byRow.keys());
    for (const [index, problems] of byRow) {
      settle(ledger, planned, group[index] as number, {
        status: 'failed',
        code: error.code,
        message: `${error.status ?? ''} ${problems.join('; ')}`.trim(),
        retryable: false,
      });
    }
    queue.unshift(group.filter((_, n) => !bad.has(n)));
  } else if (group.length === 1) {
    settle(ledger, planned, group[0] as number, {
      status: 'failed',
      code: error.code,
      message: error.message,
      retryable: false,
    });
  } else {
    const half = Math.ceil(group.length / 2);
    queue.unshift(group.slice(0, half), group.slice(half));
  }
  return 'continue';
}

/** The rows of a refused request that collided: those the API pointed at, or all of them without a pointer. */
function landed(error: TargetError, group: number[]): number[] {
  const pointed = error.items.flatMap((item) => group[item.index] ?? []);
  return pointed.length ? [...new Set(pointed)] : group;
}

/**
 * Settles every row of the window still pending with one outcome: a stage stopped by a refusal, or given
 * up after too many failures in a row. A row whose request's answer was lost and that has no key to look
 * it up by must be checked by a person (the re-run looks the others up before it sends them again).
 */
export function settleRest(
  ledger: WindowLedger,
  planned: PlannedRow[],
  result: Partial<Outcome> & Pick<Outcome, 'status'>,
): void {
  const inDoubt = new Set(ledger.sending ?? []);
  for (const i of pendingIndexes(ledger))
    settle(ledger, planned, i, inDoubt.has(i) && !planned[i]?.matchKey ? UNKEYED_IN_DOUBT : result);
  ledger.sending = undefined;
  ledger.reconcile = undefined;
}

const pendingIndexes = (ledger: WindowLedger) => ledger.outcomes.flatMap((o, i) => (o === null ? [i] : []));

export type Settle = typeof settle;

function settle(
  ledger: WindowLedger,
  planned: PlannedRow[],
  i: number,
  result: Partial<Outcome> & Pick<Outcome, 'status'>,
) {
  const p = planned[i] as PlannedRow;
  const keys = [...new Set([...ownKeys(p.row), ...(p.matchKey ? [p.matchKey] : [])])];
  ledger.outcomes[i] = withSource(
    {
      entity: ledger.entity,
      file: p.row.file,
      line: p.row.line,
      raw: p.row.raw,
      keys,
      ...(p.matched ? { matched: p.matched } : {}),
      ...result,
    },
    p.row,
  );
}
