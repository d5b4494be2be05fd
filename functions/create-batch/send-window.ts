import type { RecordEntity } from '#domain/entities.ts';
import type { Outcome, WindowLedger } from '#domain/outcomes.ts';
import type { PacedCalls } from '#domain/paced-calls.ts';
import { ownKeys } from '#domain/references.ts';
import { type TargetAdapter, TargetError } from '#targets/target.ts';
import type { PlannedRow } from './plan-window.ts';

/** Transient failures of one window before its rows are given up as retryable (the schedule re-runs them). */
export const MAX_ATTEMPTS = 3;

export type SendResult = 'settled' | 'paused';

/**
 * Create the window's pending rows. Batches are atomic: when the API rejects one, the rows it points at
 * fail with its own words and the rest are sent again; without a pointer the batch is halved until the
 * bad rows stand alone. Returns 'paused' when the budget ran out or the API throttled; the ledger then
 * holds what is settled and the next Task carries on.
 */
export async function sendWindow(
  ledger: WindowLedger,
  planned: PlannedRow[],
  ctx: {
    entity: RecordEntity;
    target: TargetAdapter;
    calls: PacedCalls;
    save: () => Promise<void>;
    outOfTime: () => boolean;
  },
): Promise<SendResult> {
  // A row left pending by an earlier Task that the plan now settles without a request (e.g. it exists).
  for (const i of pendingIndexes(ledger)) {
    const settled = planned[i]?.outcome;
    if (settled) ledger.outcomes[i] = settled;
  }
  const queue: number[][] = [pendingIndexes(ledger)];
  while (queue.length) {
    const group = queue.shift() as number[];
    if (!group.length) continue;
    if (!ctx.calls.canCall() || ctx.outOfTime()) return 'paused';
    const records = group.map((i) => planned[i]?.record).filter((r) => r !== undefined);
    try {
      const ids = await ctx.calls.call(() => ctx.target.create(ctx.entity, records));
      for (const [n, i] of group.entries()) settle(ledger, planned, i, { status: 'created', id: ids[n] });
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      const handled = await onRejected(error, group, ledger, planned, queue);
      if (handled === 'paused') {
        await ctx.save();
        return 'paused';
      }
    }
    await ctx.save();
  }
  return 'settled';
}

async function onRejected(
  error: TargetError,
  group: number[],
  ledger: WindowLedger,
  planned: PlannedRow[],
  queue: number[][],
): Promise<'continue' | 'paused'> {
  // Not the data's fault and not transient: the whole job stops with the API's reason.
  if (error.code === 'AUTH_FAILED' || error.code === 'FORBIDDEN' || error.status === 404) throw error;
  if (error.code === 'RATE_LIMITED') return 'paused';
  if (error.retryable) {
    ledger.attempts += 1;
    if (ledger.attempts < MAX_ATTEMPTS) return 'paused';
    for (const i of group) {
      settle(ledger, planned, i, {
        status: 'failed',
        code: error.code,
        message: error.message,
        retryable: true,
      });
    }
    return 'continue';
  }
  const pointed = error.items.filter((item) => item.index >= 0 && item.index < group.length);
  if (pointed.length) {
    const bad = new Set(pointed.map((item) => item.index));
    for (const item of pointed) {
      const field = item.field ? ` (${item.field})` : '';
      settle(ledger, planned, group[item.index] as number, {
        status: 'failed',
        code: error.code,
        message: `${error.status ?? ''} ${item.message}${field}`.trim(),
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

const pendingIndexes = (ledger: WindowLedger) => ledger.outcomes.flatMap((o, i) => (o === null ? [i] : []));

function settle(
  ledger: WindowLedger,
  planned: PlannedRow[],
  i: number,
  result: Partial<Outcome> & Pick<Outcome, 'status'>,
) {
  const p = planned[i] as PlannedRow;
  const keys = [...new Set([...ownKeys(p.row), ...(p.matchKey ? [p.matchKey] : [])])];
  ledger.outcomes[i] = {
    entity: ledger.entity,
    file: p.row.file,
    line: p.row.line,
    raw: p.row.raw,
    keys,
    ...result,
  };
}
