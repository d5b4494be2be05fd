/**
 * Sliding-window rate limiting, shared by every sandbox. A request served at `t` occupies a slot while
 * `now - t < windowMs`; `maxInAnyWindow` uses the very same rule, so a request log checked with it
 * agrees with what the limiter enforced.
 */

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export type Acquired = { ok: true } | { ok: false; retryAfterMs: number };

export class SlidingWindow {
  readonly limit: number;
  readonly windowMs: number;
  // Served timestamps in ascending order; old ones are pruned lazily on each attempt.
  private readonly served: number[] = [];

  constructor(limit: number, windowMs: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`rate limit must be an integer ≥ 1, got ${limit}`);
    if (!(windowMs > 0)) throw new RangeError(`rate window must be > 0 ms, got ${windowMs}`);
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Takes a slot at `now` (epoch ms) when one is free; otherwise says how long until the oldest frees. */
  tryAcquire(now: number): Acquired {
    while (this.served.length > 0 && now - this.served[0]! >= this.windowMs) this.served.shift();
    if (this.served.length < this.limit) {
      this.record(now);
      return { ok: true };
    }
    return { ok: false, retryAfterMs: this.served[0]! + this.windowMs - now };
  }

  /** What a `RateLimit-*` header would say at `now`: slots left, and ms until the oldest frees. */
  status(now: number): { remaining: number; resetMs: number } {
    while (this.served.length > 0 && now - this.served[0]! >= this.windowMs) this.served.shift();
    const oldest = this.served[0];
    return {
      remaining: this.limit - this.served.length,
      resetMs: oldest === undefined ? 0 : oldest + this.windowMs - now,
    };
  }

  // A wall clock can step back; keeping the list sorted keeps pruning from the front correct.
  private record(at: number): void {
    let index = this.served.length;
    while (index > 0 && this.served[index - 1]! > at) index--;
    this.served.splice(index, 0, at);
  }
}

/** The header family a sandbox answers with. */
export type RateLimitHeaderStyle = 'RateLimit' | 'X-RateLimit';

/** One window per key the API counts by (an API key, a workspace, a client IP): keys never share a budget. */
export class KeyedRateLimiter {
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(private readonly rate: RateLimit) {}

  tryAcquire(key: string, now: number): Acquired {
    return this.window(key).tryAcquire(now);
  }

  /**
   * The `<prefix>-Limit`, `-Remaining` and `-Reset` (seconds) headers for `key` at `now`: ActuallyCare
   * sends `RateLimit-*`, Clarify `X-RateLimit-*`.
   */
  headers(key: string, now: number, prefix: RateLimitHeaderStyle = 'RateLimit'): Record<string, string> {
    const { remaining, resetMs } = this.window(key).status(now);
    const name = prefix.toLowerCase();
    return {
      [`${name}-limit`]: String(this.rate.limit),
      [`${name}-remaining`]: String(remaining),
      [`${name}-reset`]: String(Math.ceil(resetMs / 1000)),
    };
  }

  private window(key: string): SlidingWindow {
    let window = this.windows.get(key);
    if (!window) {
      window = new SlidingWindow(this.rate.limit, this.rate.windowSeconds * 1000);
      this.windows.set(key, window);
    }
    return window;
  }
}

/** The most timestamps that fall inside any one window of `windowMs` (same rule as `SlidingWindow`). */
export function maxInAnyWindow(timestampsMs: number[], windowMs: number): number {
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
