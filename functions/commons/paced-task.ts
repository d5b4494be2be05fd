import { classify } from '#domain/errors.ts';
import { afterPass } from '#domain/execution-history.ts';
import type { JobState } from '#domain/job-state.ts';
import { PacedCalls, type RateLimitSource, type Wait } from '#domain/paced-calls.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import { loadBudget, saveBudget } from '#storage/budget-store.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { profileOf } from '#targets/profiles.ts';
import { type PipelineDeps, storeFor } from './pipeline.ts';

export interface PacedStep {
  done: boolean;
  /** How many requests the next Task will want to send (sizes the Wait). */
  wantNext: number;
}

export interface PacedContext {
  store: ObjectStore;
  calls: PacedCalls;
  /** True once this Task has worked long enough and should hand back its cursor. */
  outOfTime: () => boolean;
  /** True when a 429 stopped this Task: the step must return and let the Wait run out the Retry-After. */
  throttled: () => boolean;
}

/**
 * The shape of every paced loop body: spend what the shared budget allows right now, save the budget,
 * and return how long the Wait state must wait before the next Task. No Lambda ever sleeps. The pass's
 * events are counted into the state, so the loop's Choice can continue in a new execution before the cap.
 */
export async function pacedTask(
  state: JobState,
  deps: PipelineDeps,
  step: (ctx: PacedContext) => Promise<PacedStep>,
  /** The target the step calls: its rate-limit headers correct the budget. */
  target: RateLimitSource = {},
): Promise<{ wait: Wait; done: boolean; requests: JobState['requests']; history: JobState['history'] }> {
  const store = storeFor(deps, state.bucket);
  const fingerprint = await deps.keyFingerprint();
  const budget = await loadBudget(
    store,
    deps.config.target,
    fingerprint,
    deps.config.rate,
    deps.config.burstSeconds,
    parseRateLimit(profileOf(deps.config.target).defaultRate),
  );
  const meter = { ...state.requests };
  const calls = new PacedCalls(budget, deps.clock, meter, target);
  const started = deps.clock();
  const throttledBefore = meter.throttled;
  const ctx: PacedContext = {
    store,
    calls,
    outOfTime: () => deps.clock() - started > deps.config.maxTaskMs,
    throttled: () => meter.throttled > throttledBefore,
  };
  try {
    const result = await step(ctx);
    const wait = result.done ? { seconds: 0, reason: '' } : calls.waitFor(result.wantNext, ctx.throttled());
    return { wait, done: result.done, requests: meter, history: afterPass(state.history, result.done) };
  } finally {
    await saveBudget(store, deps.config.target, fingerprint, budget);
  }
}

/** A 429 is not a failure of anything: the caller stops and the Wait state waits it out. */
export const isThrottle = (error: unknown) => classify(error) === 'throttled';
