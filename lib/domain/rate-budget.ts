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
});
export type BudgetSnapshot = z.infer<typeof budgetSnapshotSchema>;

export interface RateBudgetOptions {
  /** How many seconds' worth of requests one Task sends before it hands back a wait (default 30). */
  burstSeconds?: number;
}

/**
 * Two rules, both must allow a request:
 * - pacing: tokens refill at exactly N/W per second, so over any stretch the job runs at the limit and no
 *   faster; a burst is `burstSeconds` worth, and the bucket holds one second more so a Wait that had to be
 *   rounded up to whole seconds loses nothing;
 * - safety: a sliding log of the last W seconds never holds more than N. Requests are logged when their
 *   response arrived, never earlier than the API counted them, so our window is never ahead of the API's.
 */
export class RateBudget {
  readonly burst: number;
  private readonly capacity: number;
  private log: number[];
  private blockedUntil: number;
  private tokens: number;
  private at: number | undefined;

  constructor(
    readonly rate: RateLimit,
    snapshot: BudgetSnapshot = { log: [], blockedUntil: 0 },
    options: RateBudgetOptions = {},
  ) {
    const perSecond = rate.limit / rate.windowSeconds;
    // At most half of what the window holds beyond one refill: otherwise the sliding log, not the
    // tokens, decides, and a limit like 60/60 would run at half speed waiting for whole windows to clear.
    this.burst = Math.min(
      Math.max(1, Math.floor((rate.limit - perSecond) / 2)),
      Math.max(1, Math.round(perSecond * (options.burstSeconds ?? 30))),
    );
    this.capacity = Math.min(rate.limit, this.burst + perSecond);
    this.log = [...snapshot.log].sort((a, b) => a - b);
    this.blockedUntil = snapshot.blockedUntil;
    this.tokens = snapshot.tokens ?? this.capacity;
    this.at = snapshot.at;
  }

  private get windowMs() {
    return this.rate.windowSeconds * 1000;
  }

  private get perMs() {
    return this.rate.limit / this.windowMs;
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
   * came would fill the sliding window past half and then have to wait for whole windows to clear.
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

  /** Milliseconds until `count` requests (at most one burst) may be sent. */
  msUntil(count: number, now: number): number {
    this.refresh(now);
    const wanted = Math.max(1, Math.min(count, this.burst));
    const tokenWait = this.tokens >= wanted ? 0 : (wanted - this.tokens) / this.perMs;
    const mustLeave = this.log.length + wanted - this.rate.limit;
    const windowWait = mustLeave <= 0 ? 0 : (this.log[mustLeave - 1] as number) + this.windowMs - now;
    return Math.max(0, tokenWait, windowWait, this.blockedUntil - now);
  }

  /** Whole seconds for the Wait state (a Wait can only be whole seconds; rounding up never wakes early). */
  waitSeconds(count: number, now: number): number {
    return Math.max(0, Math.ceil(this.msUntil(count, now) / 1000 - 1e-9));
  }

  snapshot(): BudgetSnapshot {
    return { log: [...this.log], blockedUntil: this.blockedUntil, tokens: this.tokens, at: this.at };
  }
}
