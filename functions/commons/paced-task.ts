import { classify } from '#domain/errors.ts';
import { afterPass } from '#domain/execution-history.ts';
import type { JobState } from '#domain/job-state.ts';
import {
  PacedCalls,
  type RateLimitSource,
  type SlotSource,
  type Wait,
  waitFor,
} from '#domain/paced-calls.ts';
import { parseRateLimit, type RateBudget } from '#domain/rate-budget.ts';
import { SharedBudget } from '#storage/budget-store.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { endpointClassOf } from '#targets/endpoint-classes.ts';
import { profileOf } from '#targets/profiles.ts';
import { type PipelineDeps, storeFor } from './pipeline.ts';
import { renewWorkspace } from './workspace-lease.ts';

export interface PacedStep {
  done: boolean;
  /** How many requests the next Task will want to send (sizes the Wait). */
  wantNext: number;
  /** The least the next Wait may be, whatever the budget allows (the stage runner's backoff). */
  atLeast?: Wait;
}

export interface PacedContext {
  store: ObjectStore;
  calls: PacedCalls;
  /** True once this Task has worked long enough and should hand back its cursor. */
  outOfTime: () => boolean;
  /** True when a 429 stopped this Task: the step must return and let the Wait run out the Retry-After. */
  throttled: () => boolean;
}

/** A Task's reserved slots stand in the shared log this long past its time budget: no answer comes later. */
const HOLD_MARGIN_MS = 60_000;

/**
 * The shape of every paced loop body: renew the job's hold on its workspace, spend what the shared budgets
 * allow right now, settle them, and return how long the Wait state must wait before the next Task. No
 * Lambda ever sleeps. The pass's events are counted into the state, so the loop's Choice can continue in a
 * new execution before the cap.
 */
export async function pacedTask(
  state: JobState,
  deps: PipelineDeps,
  step: (ctx: PacedContext) => Promise<PacedStep>,
  /** The target the step calls: its rate-limit headers correct the budget. */
  target: RateLimitSource = {},
): Promise<{ wait: Wait; done: boolean; requests: JobState['requests']; history: JobState['history'] }> {
  const started = deps.clock();
  await renewWorkspace(state, deps, deps.config.maxTaskMs);
  const store = storeFor(deps, state.bucket);
  const budgets = await sharedBudgets(deps);
  const holdUntil = started + deps.config.maxTaskMs + HOLD_MARGIN_MS;
  const slots: SlotSource = {
    classOf: budgets.classOf,
    reserve: async (endpointClass, want) =>
      (await budgets.open(endpointClass)).reserve(want, deps.clock(), holdUntil),
    pace: async (endpointClass) => {
      const budget = (await budgets.open(endpointClass)).current;
      return { perSecond: budget.pace, latencyMs: budget.latency };
    },
  };
  const meter = { ...state.requests };
  const calls = new PacedCalls(slots, deps.clock, meter, target, holdUntil);
  const throttledBefore = meter.throttled;
  const ctx: PacedContext = {
    store,
    calls,
    outOfTime: () => deps.clock() - started > deps.config.maxTaskMs,
    throttled: () => meter.throttled > throttledBefore,
  };
  let result: PacedStep;
  try {
    result = await step(ctx);
  } finally {
    await budgets.settle(calls, deps.clock());
  }
  const wait = result.done
    ? { seconds: 0, reason: '' }
    : longer(budgets.waitFor(result.wantNext, deps.clock(), ctx.throttled()), result.atLeast);
  // The lease must outlast the Wait; the next Task renews it again before it sends anything.
  if (wait.seconds > 0) await renewWorkspace(state, deps, wait.seconds * 1000);
  return { wait, done: result.done, requests: meter, history: afterPass(state.history, result.done) };
}

const longer = (wait: Wait, other: Wait | undefined): Wait =>
  other && other.seconds > wait.seconds ? other : wait;

/** The shared budgets one Task opens: one per endpoint class the API counts on its own. */
async function sharedBudgets(deps: PipelineDeps) {
  const profile = profileOf(deps.config.target);
  const fingerprint = await deps.keyFingerprint();
  const documented = parseRateLimit(profile.defaultRate);
  const open = new Map<string, Promise<SharedBudget>>();
  const settled = new Map<string, RateBudget>();
  return {
    classOf: (kind: Parameters<SlotSource['classOf']>[0]) => endpointClassOf(deps.config.target, kind),
    open: (endpointClass: string): Promise<SharedBudget> => {
      let budget = open.get(endpointClass);
      if (!budget) {
        budget = SharedBudget.open({
          coordinator: deps.coordinator,
          fingerprint,
          endpointClass,
          rate: deps.config.rate,
          burstSeconds: deps.config.burstSeconds,
          documented,
        });
        open.set(endpointClass, budget);
      }
      return budget;
    },
    /** Puts each class's spend into its shared budget. */
    settle: async (calls: PacedCalls, now: number) => {
      for (const [endpointClass, spend] of calls.spends()) {
        const budget = await open.get(endpointClass);
        if (budget) settled.set(endpointClass, await budget.settle(spend, now));
      }
    },
    /** The longest Wait any budget this Task spent from asks for: the next Task spends from them again. */
    waitFor: (count: number, now: number, throttled: boolean): Wait => {
      let longest: Wait = { seconds: 0, reason: '' };
      for (const budget of settled.values()) {
        const wait = waitFor(budget, count, now, throttled);
        if (wait.seconds >= longest.seconds) longest = wait;
      }
      return longest;
    },
  };
}

/** A 429 is not a failure of anything: the caller stops and the Wait state waits it out. */
export const isThrottle = (error: unknown) => classify(error) === 'throttled';
