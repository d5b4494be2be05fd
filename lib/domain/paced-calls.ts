import { classify } from './errors.ts';
import { formatRateLimit, type RateBudget, type RateLimitInfo } from './rate-budget.ts';

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

/**
 * Every call a function makes to the target goes through here: it is charged to the job's one rate budget
 * (reads and writes alike), a 429 blocks the budget for the API's Retry-After, and what the API says of
 * its window in rate-limit headers corrects the budget's count.
 */
export class PacedCalls {
  constructor(
    readonly budget: RateBudget,
    private readonly clock: () => number,
    readonly meter: RequestMeter,
    private readonly source: RateLimitSource = {},
  ) {}

  private sentHere = 0;

  /** True when `count` requests (default one) may be sent right now, within this Task's share. */
  canCall(count = 1): boolean {
    return this.sentHere + count <= this.budget.perTask && this.budget.available(this.clock()) >= count;
  }

  async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (classify(error) === 'throttled') {
        this.meter.throttled += 1;
        this.budget.blockFor((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1, this.clock());
      }
      throw error;
    } finally {
      this.sentHere += 1;
      this.meter.sent += 1;
      const now = this.clock();
      this.budget.record(now);
      const info = this.source.takeRateLimit?.();
      if (info) this.budget.observe(info, now);
    }
  }

  /** The Wait before the next Task can send `count` more requests, with the reason a person reads. */
  waitFor(count: number, throttledNow = false): Wait {
    const now = this.clock();
    const seconds = this.budget.waitSeconds(count, now);
    const limit = formatRateLimit(this.budget.rate);
    const reason = throttledNow
      ? `the API answered 429: waiting out its Retry-After (${seconds} s)`
      : `rate limit ${limit}: next ${this.budget.nextBatch(count)} requests fit in ${seconds} s`;
    return { seconds, reason };
  }
}
