import {
  adoptedRate,
  type BudgetSnapshot,
  budgetSnapshotSchema,
  RateBudget,
  type RateLimit,
} from '#domain/rate-budget.ts';
import { budgetKey } from './job-keys.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * The rate budget lives in the bucket, one object per target and API key, so every Task of every stage
 * spends from the same window. Only one Task of a job runs at a time; two jobs on one key share it too.
 */
export async function loadBudget(
  store: ObjectStore,
  target: string,
  fingerprint: string,
  rate: RateLimit,
  burstSeconds?: number,
  /** The API's documented rate: a limit its headers state is adopted when the window is this one. */
  documented?: RateLimit,
): Promise<RateBudget> {
  // A snapshot cut short mid-write reads as none: the next 429's Retry-After then paces the job.
  const saved = await store.readJson<unknown>(budgetKey(target, fingerprint));
  const parsed = budgetSnapshotSchema.safeParse(saved.found && 'value' in saved ? saved.value : undefined);
  const snapshot: BudgetSnapshot | undefined = parsed.success ? parsed.data : undefined;
  const paced = documented ? adoptedRate(rate, snapshot?.apiLimit, documented) : rate;
  return new RateBudget(paced, snapshot, { burstSeconds });
}

export async function saveBudget(
  store: ObjectStore,
  target: string,
  fingerprint: string,
  budget: RateBudget,
) {
  await store.putJson(budgetKey(target, fingerprint), budget.snapshot());
}
