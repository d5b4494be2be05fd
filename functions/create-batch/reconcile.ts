import { isThrottle } from '#commons/paced-task.ts';
import { classify, type ImportError } from '#domain/errors.ts';
import type { Outcome, WindowLedger } from '#domain/outcomes.ts';
import type { PlannedRow } from './plan-window.ts';
import type { SendContext, Settle } from './send-window.ts';

/** A row in doubt that cannot be looked up: failed for a person to check, rather than risk a duplicate. */
export const UNKEYED_IN_DOUBT = {
  status: 'failed',
  code: 'IN_DOUBT',
  retryable: false,
  message:
    'the answer to its create request was lost and it has no email or domain to look it up by: check the target before importing it again',
} as const satisfies Partial<Outcome>;

/** Records deleted from the target during the job would shift the list; look a little before the snapshot. */
const MARGIN = 100;

/**
 * Rows whose request's answer was lost: read the records created since the index snapshot and recover
 * the ids of those that landed (by email, domain, deal name + company). Only what is not there is sent
 * again, so a lost answer never becomes a second record. A row with no match key cannot be told apart
 * and is failed as IN_DOUBT for a person to check, rather than risk a duplicate.
 */
export async function reconcile(
  ledger: WindowLedger,
  planned: PlannedRow[],
  ctx: SendContext,
  settle: Settle,
): Promise<'done' | 'paused'> {
  const sending = ledger.sending ?? [];
  const wanted = new Set(sending.flatMap((i) => (planned[i]?.matchKey ? [planned[i].matchKey] : [])));
  if (!ledger.reconcile) {
    ledger.reconcile = {
      next: ctx.target.tailCursor(ctx.entity, (await ctx.snapshotCount()) - MARGIN),
      found: {},
    };
  }
  const progress = ledger.reconcile;
  while (progress.next !== null && wanted.size > Object.keys(progress.found).length) {
    if (ctx.outOfTime() || !(await ctx.calls.ensure(1, 'read'))) {
      await ctx.save();
      return 'paused';
    }
    let page: Awaited<ReturnType<typeof ctx.target.listExisting>>;
    try {
      page = await ctx.calls.call(() => ctx.target.listExisting(ctx.entity, progress.next), 'read');
    } catch (error) {
      const transient = classify(error) === 'transient';
      if (isThrottle(error) || transient) {
        if (transient) ctx.transient?.(error as ImportError);
        await ctx.save();
        return 'paused';
      }
      throw error;
    }
    for (const record of page.records)
      for (const key of record.keys) if (wanted.has(key)) progress.found[key] = record.id;
    progress.next = page.next;
  }
  for (const i of sending) {
    if (ledger.outcomes[i]) continue;
    const key = planned[i]?.matchKey;
    // After a crash the fresh dedupe snapshot may already hold it: then it is in the index, not the tail.
    const indexed = planned[i]?.outcome?.status === 'skipped' ? planned[i]?.outcome?.id : undefined;
    const id = (key ? progress.found[key] : undefined) ?? indexed;
    if (id)
      settle(ledger, planned, i, {
        status: 'created',
        id,
        message: 'created; its answer was lost and the id recovered from the target',
      });
    else if (!key) settle(ledger, planned, i, UNKEYED_IN_DOUBT);
  }
  ledger.sending = undefined;
  ledger.reconcile = undefined;
  await ctx.save();
  return 'done';
}
