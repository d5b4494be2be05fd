import { z } from 'zod';
import { JobError } from './errors.ts';

/** N requests per W seconds, per API key, reads and writes together. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export const parseRateLimit = (text: string): RateLimit => {
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(text);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || !(limit > 0) || !(windowSeconds > 0)) {
    throw new JobError('CONFIG', `rate limit '${text}' is not of the form N/SECONDS (e.g. 500/900)`);
  }
  return { limit, windowSeconds };
};

export const formatRateLimit = ({ limit, windowSeconds }: RateLimit) => `${limit} per ${windowSeconds} s`;

export const budgetSnapshotSchema = z.object({
  /** Completion times (epoch ms) of the requests still inside the window. */
  log: z.array(z.number()),
  /** A 429's Retry-After: nothing is sent before this time (epoch ms). */
  blockedUntil: z.number().default(0),
  /** Pacing tokens and when they were counted. */
  tokens: z.number().optional(),
  at: z.number().optional(),
  /** The limit the API's rate-limit headers last stated: the next Task paces to it (see `adoptedRate`). */
  apiLimit: z.number().int().positive().optional(),
  /** The round trip the last Task measured: sizes how many requests the next one keeps in flight. */
  latencyMs: z.number().nonnegative().optional(),
});
export type BudgetSnapshot = z.infer<typeof budgetSnapshotSchema>;

export interface RateBudgetOptions {
  /** How many seconds' worth of requests one Task may send before it hands back a wait (default 30). */
  burstSeconds?: number;
}

/** What the API said about its own window on its last answer (`RateLimit-*` / `X-RateLimit-*`). */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** Seconds until the API's window frees a slot. */
  resetSeconds?: number;
}

/**
 * What one Task did with the slots it reserved from a shared budget, merged into the stored budget when
 * the Task ends (see `RateBudget.reserve` and `settle`).
 */
export interface BudgetSpend {
  /** Slots reserved this Task: each stood in the log at `holdUntil` until settled. */
  reserved: number;
  holdUntil: number;
  /** When each request sent this Task was answered (or given up on). */
  answered: number[];
  /** A 429's Retry-After, or a window the API said is full: nothing is sent before this (epoch ms). */
  blockedUntil: number;
  /** The API's rate-limit headers on the last answer, and when it came. */
  observed?: { info: RateLimitInfo; at: number };
  /** The mean round trip of this Task's requests. */
  latencyMs?: number;
}

/** The most of the window one burst may take when pacing smoothly. */
const BURST_SHARE = 0.02;
/** Smooth pacing holds one burst back from every window; beyond this share the sliding log paces instead. */
const SMOOTH_SHARE = 0.05;

/**
 * Two rules, both must allow a request:
 * - pacing: a token bucket. Tokens refill at a steady rate and the bucket holds one burst, which is what
 *   one Task sends back to back. The Wait before the next Task asks for one second's refill less than a
 *   burst, so that a Wait rounded up to whole seconds never overflows the bucket and no token is lost;
 * - safety: a sliding log of the last W seconds never holds more than N. Requests are logged when their
 *   response arrived, never earlier than the API counted them, so our window is never ahead of the API's.
 *
 * Sliding windows are stricter than token buckets: a bucket refilling at N/W still lets one extra burst
 * into some window, so the log would end up pacing, and every whole-second rounding would push the
 * whole window back a little (a 10 s window loses about 8% that way). So when the window is long enough
 * that a burst is a small share of it ("smooth": 500 per 15 min, 600 per minute), tokens refill at
 * (N - burst) / W: no window can then hold more than N, the log never has to step in, and the job runs at
 * 1 - burst/N of the limit, steadily. Short windows (30 per 3 s, 60 per 10 s) cannot spare a burst:
 * there tokens refill at N/W and the log paces.
 */
export class RateBudget {
  /** The most one Task sends back to back. */
  readonly burst: number;
  /** True when tokens alone pace the job and the sliding log is only a safety net. */
  readonly smooth: boolean;
  private readonly capacity: number;
  /** Pacing tokens per ms. */
  private readonly perMs: number;
  private log: number[];
  private blockedUntil: number;
  private tokens: number;
  private at: number | undefined;
  private apiLimit: number | undefined;
  private latencyMs: number | undefined;

  constructor(
    readonly rate: RateLimit,
    snapshot: BudgetSnapshot = { log: [], blockedUntil: 0 },
    options: RateBudgetOptions = {},
  ) {
    const { limit, windowSeconds } = rate;
    const perSecond = limit / windowSeconds;
    const wanted = Math.max(1, Math.round(perSecond * (options.burstSeconds ?? 30)));
    // A burst must cover one second's refill and one request more, or whole-second Waits cannot keep up.
    const smoothBurst = Math.max(Math.ceil(perSecond) + 1, Math.min(wanted, Math.floor(limit * BURST_SHARE)));
    this.smooth = smoothBurst <= limit * SMOOTH_SHARE;
    if (this.smooth) {
      this.burst = smoothBurst;
      this.capacity = smoothBurst;
      this.perMs = (limit - smoothBurst) / (windowSeconds * 1000);
    } else {
      // At most half of what the window holds beyond one refill: otherwise the log would wait for whole
      // windows to clear, and a limit like 60/60 would run at half speed.
      this.burst = Math.min(Math.max(1, Math.floor((limit - perSecond) / 2)), wanted);
      this.capacity = Math.min(limit, this.burst + perSecond);
      this.perMs = perSecond / 1000;
    }
    this.log = [...snapshot.log].sort((a, b) => a - b);
    this.blockedUntil = snapshot.blockedUntil;
    this.tokens = Math.min(snapshot.tokens ?? this.capacity, this.capacity);
    this.at = snapshot.at;
    this.apiLimit = snapshot.apiLimit;
    this.latencyMs = snapshot.latencyMs;
  }

  /** The round trip last measured against this budget's endpoint, if any. */
  get latency(): number | undefined {
    return this.latencyMs;
  }

  private get windowMs() {
    return this.rate.windowSeconds * 1000;
  }

  /** Requests per second the pacing aims at. */
  get pace(): number {
    return this.perMs * 1000;
  }

  /** The most a Wait asks for: one second's refill less than the bucket holds, so rounding loses nothing. */
  private get batch(): number {
    return Math.max(1, Math.floor(this.capacity - this.perMs * 1000 + 1e-9));
  }

  private refresh(now: number) {
    const from = now - this.windowMs;
    while (this.log.length && (this.log[0] as number) <= from) this.log.shift();
    if (this.at !== undefined && now > this.at) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    }
    this.at = Math.max(now, this.at ?? now);
  }

  /**
   * The most one Task should send. Tokens keep refilling while a Task runs; a Task that spent them as they
   * came could crowd the sliding window in one go.
   */
  get perTask(): number {
    return Math.max(1, Math.floor(this.capacity));
  }

  /** How many requests may be sent right now. */
  available(now: number): number {
    if (now < this.blockedUntil) return 0;
    this.refresh(now);
    return Math.max(0, Math.min(Math.floor(this.tokens + 1e-9), this.rate.limit - this.log.length));
  }

  /** Charge one request whose response arrived at `at`. */
  record(at: number): void {
    this.refresh(at);
    this.tokens -= 1;
    this.log.push(at);
  }

  /** The API said to wait (429 Retry-After): nothing is sent before then. */
  blockFor(seconds: number, now: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, now + Math.max(1, seconds) * 1000);
  }

  /**
   * The API's own count, from its rate-limit headers. When it holds more of the window than our log (another
   * client on the key, or requests we never saw answered), the difference goes into the log as if answered
   * now: when they really were is unknown, and now is the latest, so the log stays on the safe side.
   * Remaining 0 with a reset blocks the budget until then, as a Retry-After would.
   */
  observe(info: RateLimitInfo, now: number): void {
    if (info.limit !== undefined && info.limit > 0) this.apiLimit = Math.floor(info.limit);
    if (info.remaining === undefined) return;
    this.refresh(now);
    const remaining = Math.max(0, info.remaining);
    // What the API has counted is its limit less what it says is left; more than ours is another client.
    const used = Math.max(0, (info.limit ?? this.rate.limit) - remaining);
    const unseen = Math.min(this.rate.limit, used) - this.log.length;
    for (let i = 0; i < unseen; i++) this.log.push(now);
    this.tokens = Math.min(this.tokens, remaining);
    if (remaining === 0 && info.resetSeconds !== undefined) this.blockFor(info.resetSeconds, now);
  }

  /** How many requests the next Task is waited for: at most one batch. */
  nextBatch(count: number): number {
    return Math.max(1, Math.min(count, this.batch));
  }

  /** Milliseconds until `count` requests (at most one batch) may be sent. */
  msUntil(count: number, now: number): number {
    this.refresh(now);
    const wanted = this.nextBatch(count);
    const tokenWait = this.tokens >= wanted ? 0 : (wanted - this.tokens) / this.perMs;
    const mustLeave = this.log.length + wanted - this.rate.limit;
    const windowWait = mustLeave <= 0 ? 0 : (this.log[mustLeave - 1] as number) + this.windowMs - now;
    return Math.max(0, tokenWait, windowWait, this.blockedUntil - now);
  }

  /** Whole seconds for the Wait state (a Wait can only be whole seconds; rounding up never wakes early). */
  waitSeconds(count: number, now: number): number {
    return Math.max(0, Math.ceil(this.msUntil(count, now) / 1000 - 1e-9));
  }

  /**
   * Takes up to `want` slots for one Task of a budget other Tasks share: each is charged now (a token, and
   * a place in the log at `holdUntil`, no earlier than any answer the Task can get), so no other Task can
   * spend it. `settle` puts the real answer times in their place and gives back what was not sent.
   */
  reserve(want: number, now: number, holdUntil: number): number {
    const granted = Math.max(0, Math.min(want, this.available(now)));
    for (let i = 0; i < granted; i++) this.log.push(holdUntil);
    this.log.sort((a, b) => a - b);
    this.tokens -= granted;
    return granted;
  }

  /** Merges what a Task did with its reserved slots (see `reserve`). */
  settle(spend: BudgetSpend, now: number): void {
    this.refresh(now);
    let held = spend.reserved;
    this.log = this.log.filter((at) => !(at === spend.holdUntil && held-- > 0));
    this.tokens = Math.min(this.capacity, this.tokens + spend.reserved - spend.answered.length);
    this.log.push(...spend.answered);
    this.log.sort((a, b) => a - b);
    this.blockedUntil = Math.max(this.blockedUntil, spend.blockedUntil);
    if (spend.observed) {
      this.observe(spend.observed.info, spend.observed.at);
      this.log.sort((a, b) => a - b);
    }
    if (spend.latencyMs !== undefined) this.latencyMs = spend.latencyMs;
    this.refresh(now);
  }

  snapshot(): BudgetSnapshot {
    return {
      log: [...this.log],
      blockedUntil: this.blockedUntil,
      tokens: this.tokens,
      at: this.at,
      ...(this.apiLimit ? { apiLimit: this.apiLimit } : {}),
      ...(this.latencyMs !== undefined ? { latencyMs: this.latencyMs } : {}),
    };
  }
}

/**
 * The rate to pace by: the configured one, with the limit the API's headers stated, up or down, when the
 * window is the one the API documents. Headers give the limit, not the window, so a limit stated for
 * 60 s is never applied to a window of 10 s.
 */
export function adoptedRate(
  configured: RateLimit,
  apiLimit: number | undefined,
  documented: RateLimit,
): RateLimit {
  if (!apiLimit || configured.windowSeconds !== documented.windowSeconds) return configured;
  return { limit: apiLimit, windowSeconds: configured.windowSeconds };
}
