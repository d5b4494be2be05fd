import { classify, ImportError } from './errors.ts';
import { type BudgetSpend, formatRateLimit, type RateBudget, type RateLimitInfo } from './rate-budget.ts';

export interface RequestMeter {
  sent: number;
  throttled: number;
}

export interface Wait {
  seconds: number;
  reason: string;
}

/** Where the API's own rate-limit headers come from: the target adapter. */
export interface RateLimitSource {
  takeRateLimit?(): RateLimitInfo | undefined;
}

/** What a call does to the API, which says which of the API's limits it counts against. */
export type CallKind = 'read' | 'create' | 'update' | 'relate';

/**
 * Where a Task's slots come from: the shared budget of each endpoint class the API counts on its own (the
 * coordinator table), or a budget in memory.
 */
export interface SlotSource {
  /** The endpoint class `kind` is counted in (ActuallyCare: one for all). */
  classOf(kind: CallKind): string;
  /** Reserves up to `want` slots of the class now, charged before any of them is sent; resolves how many. */
  reserve(endpointClass: string, want: number): Promise<number>;
  /** The class's pace (requests a second) and the round trip last measured against it. */
  pace(endpointClass: string): Promise<{ perSecond: number; latencyMs?: number }>;
}

/** Requests one Task keeps in flight at most, whatever the rate and the latency. */
export const MAX_IN_FLIGHT = 16;
/** The round trip assumed before one is measured. */
const DEFAULT_LATENCY_MS = 200;
/** A budget found empty is not asked again this soon: its tokens come back at the pace, not at once. */
const DRY_MS = 100;
/** Reserve as much as the budget has (it never holds more than one Task's share). */
const AS_MUCH_AS_THERE_IS = 1_000_000;

/** No slot was left for a call that did not take one first: the caller stops and the Wait refills it. */
export class OutOfBudgetError extends ImportError {
  constructor(endpointClass: string) {
    super('RATE_LIMITED', `no slot of the ${endpointClass} rate budget is left in this Task`);
  }
}

/** One endpoint class as this Task spends it: the slots it reserved and what it did with them. */
class Lane {
  reserved = 0;
  /** Slots taken: sent, or held by a caller about to send. */
  taken = 0;
  /** Of those, the ones held and not sent yet. */
  held = 0;
  readonly answered: number[] = [];
  blockedUntil = 0;
  observed?: { info: RateLimitInfo; at: number };
  /** The top-up under way, which other callers wait for instead of asking again. */
  topUp?: Promise<void>;
  /** When a top-up last found the budget empty. */
  dryAt = Number.NEGATIVE_INFINITY;
  /** What the API's headers last said is left in its window, as a cap on `taken`. */
  private ceiling = Number.POSITIVE_INFINITY;
  private roundTrips = 0;
  private roundTripMs = 0;

  constructor(
    readonly endpointClass: string,
    readonly holdUntil: number,
  ) {}

  /** Slots reserved and neither sent nor held. */
  get free(): number {
    return Math.max(0, Math.min(this.reserved, this.ceiling) - this.taken);
  }

  /** What the API's headers say of its window: fewer slots left than reserved caps this Task's share. */
  observe(info: RateLimitInfo, now: number): void {
    this.observed = { info, at: now };
    if (info.remaining === undefined) return;
    this.ceiling = this.taken + Math.max(0, info.remaining);
    if (info.remaining <= 0 && info.resetSeconds !== undefined)
      this.blockedUntil = Math.max(this.blockedUntil, now + Math.max(1, info.resetSeconds) * 1000);
  }

  get meanRoundTrip(): number | undefined {
    return this.roundTrips ? this.roundTripMs / this.roundTrips : undefined;
  }

  roundTrip(ms: number): void {
    this.roundTrips += 1;
    this.roundTripMs += ms;
  }

  spend(): BudgetSpend {
    return {
      reserved: this.reserved,
      holdUntil: this.holdUntil,
      answered: [...this.answered],
      blockedUntil: this.blockedUntil,
      ...(this.observed ? { observed: this.observed } : {}),
      ...(this.roundTrips ? { latencyMs: this.roundTripMs / this.roundTrips } : {}),
    };
  }
}

/**
 * Every call a function makes to the target goes through here. Each is charged to the rate budget of its
 * endpoint class before it leaves (a slot reserved from the shared budget), a 429 blocks that budget for
 * the API's Retry-After, and what the API says of its window in rate-limit headers caps what is left.
 */
export class PacedCalls {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly slots: SlotSource,
    private readonly clock: () => number,
    readonly meter: RequestMeter,
    private readonly source: RateLimitSource = {},
    /** Reserved slots stand in the log at this time: no answer of this Task comes later. */
    private readonly holdUntil: number = clock(),
  ) {}

  private lane(kind: CallKind): Lane {
    const endpointClass = this.slots.classOf(kind);
    let lane = this.lanes.get(endpointClass);
    if (!lane) {
      lane = new Lane(endpointClass, this.holdUntil);
      this.lanes.set(endpointClass, lane);
    }
    return lane;
  }

  /** Reserves up to `want` slots of `kind`'s budget for this Task; resolves how many are free now. */
  async reserve(want: number, kind: CallKind = 'read'): Promise<number> {
    const lane = this.lane(kind);
    if (want > lane.free) lane.reserved += await this.slots.reserve(lane.endpointClass, want - lane.free);
    return lane.free;
  }

  /** True when `count` requests of `kind` (default one) may be sent right now, within this Task's share. */
  canCall(count = 1, kind: CallKind = 'read'): boolean {
    const lane = this.lane(kind);
    return lane.free >= count && this.clock() >= lane.blockedUntil;
  }

  /**
   * True when `count` slots of `kind` are free for this Task, reserving more from the shared budget when
   * it has them. False when the budget has none now (or a 429 blocks it): the caller stops, and the Wait
   * after the Task lets the budget refill.
   */
  async ensure(count = 1, kind: CallKind = 'read'): Promise<boolean> {
    const lane = this.lane(kind);
    if (this.canCall(count, kind) || this.clock() < lane.blockedUntil) return this.canCall(count, kind);
    if (!lane.topUp) {
      if (this.clock() - lane.dryAt < DRY_MS) return false;
      lane.topUp = (async () => {
        const granted = await this.slots.reserve(lane.endpointClass, AS_MUCH_AS_THERE_IS);
        lane.reserved += granted;
        if (!granted) lane.dryAt = this.clock();
      })().finally(() => {
        lane.topUp = undefined;
      });
    }
    await lane.topUp;
    return this.canCall(count, kind);
  }

  /**
   * Holds one slot of `kind` for the caller's next call, charged before the request leaves. The check and
   * the hold are one synchronous step: callers waiting on the same top-up cannot both take its last slot.
   */
  async take(kind: CallKind): Promise<boolean> {
    const lane = this.lane(kind);
    for (;;) {
      if (this.canCall(1, kind)) {
        lane.held += 1;
        lane.taken += 1;
        return true;
      }
      if (!(await this.ensure(1, kind))) return false;
    }
  }

  /** Gives back a slot `take` held that will not be sent after all. */
  release(kind: CallKind): void {
    const lane = this.lane(kind);
    if (lane.held <= 0) return;
    lane.held -= 1;
    lane.taken -= 1;
  }

  /**
   * How many requests of `kind` to keep in flight: enough that, at the round trip measured, the budget's
   * pace and not the latency sets the speed (half as many again, for the time between requests), bounded.
   */
  async inFlight(kind: CallKind): Promise<number> {
    const lane = this.lane(kind);
    const { perSecond, latencyMs } = await this.slots.pace(lane.endpointClass);
    const latency = lane.meanRoundTrip ?? latencyMs ?? DEFAULT_LATENCY_MS;
    return Math.max(1, Math.min(MAX_IN_FLIGHT, Math.ceil((perSecond * latency * 1.5) / 1000) + 1));
  }

  async call<T>(send: () => Promise<T>, kind: CallKind = 'read'): Promise<T> {
    const lane = this.lane(kind);
    if (lane.held > 0) lane.held -= 1;
    else if (lane.free > 0) lane.taken += 1;
    else throw new OutOfBudgetError(lane.endpointClass);
    const started = this.clock();
    try {
      return await send();
    } catch (error) {
      if (classify(error) === 'throttled') {
        this.meter.throttled += 1;
        const seconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1;
        lane.blockedUntil = Math.max(lane.blockedUntil, this.clock() + Math.max(1, seconds) * 1000);
      }
      throw error;
    } finally {
      this.meter.sent += 1;
      const now = this.clock();
      lane.answered.push(now);
      lane.roundTrip(now - started);
      const info = this.source.takeRateLimit?.();
      if (info) lane.observe(info, now);
    }
  }

  /** What this Task did with each endpoint class it reserved from, to settle into the shared budgets. */
  spends(): Map<string, BudgetSpend> {
    return new Map([...this.lanes].map(([endpointClass, lane]) => [endpointClass, lane.spend()]));
  }
}

/** The Wait before the next Task can send `count` more requests, with the reason a person reads. */
export function waitFor(budget: RateBudget, count: number, now: number, throttledNow = false): Wait {
  const seconds = budget.waitSeconds(count, now);
  const limit = formatRateLimit(budget.rate);
  const reason = throttledNow
    ? `the API answered 429: waiting out its Retry-After (${seconds} s)`
    : `rate limit ${limit}: next ${budget.nextBatch(count)} requests fit in ${seconds} s`;
  return { seconds, reason };
}

/** Slots of one budget held in this process (a single runner, a test): charged as they are reserved. */
export const budgetSlots = (budget: RateBudget, clock: () => number): SlotSource => ({
  classOf: () => 'all',
  reserve: async (_endpointClass, want) => budget.reserve(want, clock(), clock()),
  pace: async () => ({ perSecond: budget.pace, latencyMs: budget.latency }),
});
