import { describe, expect, it } from 'vitest';
import { JobError } from '#domain/errors.ts';
import {
  adoptedRate,
  budgetSnapshotSchema,
  parseRateLimit,
  RateBudget,
  type RateLimit,
} from '#domain/rate-budget.ts';

const T0 = 1_700_000_000_000;
const REQUEST_MS = 20;

/** Most timestamps found in any window (t - windowMs, t], counted independently of RateBudget. */
function maxInWindow(timestamps: number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** A job that spends what the budget allows, then sleeps the Wait state the budget asks for. */
function simulate(rate: RateLimit, windows: number, options: { burstSeconds?: number } = {}) {
  const budget = new RateBudget(rate, undefined, options);
  const sent: number[] = [];
  const answered: number[] = [];
  let now = T0;
  const end = T0 + windows * rate.windowSeconds * 1000;
  while (now < end) {
    const count = budget.available(now);
    for (let i = 0; i < count; i++) {
      sent.push(now);
      now += REQUEST_MS;
      answered.push(now);
      budget.record(now);
    }
    const wait = budget.waitSeconds(budget.burst, now);
    expect(Number.isInteger(wait) && wait >= 0).toBe(true);
    now += wait * 1000;
  }
  const perWindow = (sent.length / (now - T0)) * rate.windowSeconds * 1000;
  return { sent, answered, perWindow };
}

describe('Function: parseRateLimit', () => {
  it.each<[string, RateLimit]>([
    ['500/900', { limit: 500, windowSeconds: 900 }],
    [' 30 / 3s ', { limit: 30, windowSeconds: 3 }],
    ['10/0.5', { limit: 10, windowSeconds: 0.5 }],
  ])('reads %j', (text, expected) => {
    // Act
    const rate = parseRateLimit(text);

    // Assess
    expect(rate).toEqual(expected);
  });

  it.each(['', '500', '0/10', '10/0', '-1/5', '5/-1', 'ten/60', '500 per 900', '1.5/10'])(
    'rejects %j',
    (text) => {
      // Act
      const parse = () => parseRateLimit(text);

      // Assess
      expect(parse).toThrow(JobError);
      expect(parse).toThrow(/not of the form N\/SECONDS/);
    },
  );
});

describe('Class: RateBudget', () => {
  it.each<[RateLimit, number | undefined, number, number, boolean, number]>([
    [{ limit: 500, windowSeconds: 900 }, undefined, 10, 10, true, 490 / 900],
    [{ limit: 500, windowSeconds: 900 }, 10, 6, 6, true, 494 / 900],
    [{ limit: 600, windowSeconds: 60 }, undefined, 12, 12, true, 9.8],
    [{ limit: 60, windowSeconds: 10 }, undefined, 27, 33, false, 6],
    [{ limit: 30, windowSeconds: 3 }, 1, 10, 20, false, 10],
    [{ limit: 30, windowSeconds: 3 }, undefined, 10, 20, false, 10],
    [{ limit: 1, windowSeconds: 3600 }, undefined, 1, 1, false, 1 / 3600],
  ])(
    'sizes the burst of %j with burstSeconds %j as %i (%i available at first, smooth %j, %d per second)',
    (rate, burstSeconds, burst, first, smooth, pace) => {
      // Act
      const budget = new RateBudget(rate, undefined, burstSeconds === undefined ? {} : { burstSeconds });

      // Assess: a smooth budget holds one burst back from the window; a short window paces at its limit
      expect(budget.burst).toBe(burst);
      expect(budget.available(T0)).toBe(first);
      expect(budget.smooth).toBe(smooth);
      expect(budget.pace).toBeCloseTo(pace, 9);
    },
  );

  it('has one request less available for each one recorded', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
    const seen: number[] = [];

    // Act
    for (let i = 0; i < 5; i++) {
      seen.push(budget.available(T0));
      budget.record(T0);
    }

    // Assess
    expect(seen).toEqual([10, 9, 8, 7, 6]);
  });

  it('asks for no wait while requests are available and a positive one once the burst is spent', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
    const before = budget.waitSeconds(1, T0);

    // Act
    for (let i = 0; i < budget.burst; i++) budget.record(T0);

    // Assess
    expect(before).toBeCloseTo(0);
    expect(budget.available(T0)).toBe(0);
    // 490 per 900 s: one request every 1.84 s; a Wait asks for one second's refill less than a burst
    expect(budget.waitSeconds(1, T0)).toBe(2);
    expect(budget.nextBatch(budget.burst)).toBe(9);
    expect(budget.waitSeconds(budget.burst, T0)).toBe(17);
    expect(budget.available(T0 + 1000)).toBe(0);
    expect(budget.available(T0 + 2000)).toBe(1);
    expect(budget.available(T0 + 17_000)).toBe(9);
    expect(budget.available(T0 + 60_000)).toBe(budget.burst);
  });

  it.each<[RateLimit, number]>([
    [{ limit: 500, windowSeconds: 900 }, 20],
    [{ limit: 1000, windowSeconds: 3600 }, 10],
    [{ limit: 60, windowSeconds: 60 }, 30],
    [{ limit: 120, windowSeconds: 60 }, 30],
  ])('never lets more than the limit into any window over a long run at %j', (rate, windows) => {
    // Act
    const { sent, answered, perWindow } = simulate(rate, windows);

    // Assess
    expect(maxInWindow(sent, rate.windowSeconds * 1000)).toBeLessThanOrEqual(rate.limit);
    expect(maxInWindow(answered, rate.windowSeconds * 1000)).toBeLessThanOrEqual(rate.limit);
    expect(perWindow).toBeGreaterThan(rate.limit * 0.96);
    expect(perWindow).toBeLessThanOrEqual(rate.limit * 1.01);
  });

  it('keeps within the window at a scaled-down test rate with small bursts', () => {
    // Act
    const { sent } = simulate({ limit: 30, windowSeconds: 3 }, 100, { burstSeconds: 1 });

    // Assess
    expect(sent.length).toBeGreaterThan(2000);
    expect(maxInWindow(sent, 3000)).toBeLessThanOrEqual(30);
  });

  it('sends nothing before a 429 Retry-After has passed', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });

    // Act
    budget.blockFor(5, T0);

    // Assess
    expect(budget.available(T0)).toBe(0);
    expect(budget.available(T0 + 4999)).toBe(0);
    expect(budget.waitSeconds(1, T0)).toBeGreaterThanOrEqual(5);
    expect(budget.available(T0 + 5000)).toBeGreaterThan(0);
  });

  it('blocks for at least a second even when Retry-After is 0', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });

    // Act
    budget.blockFor(0, T0);

    // Assess
    expect(budget.available(T0 + 500)).toBe(0);
    expect(budget.waitSeconds(1, T0)).toBe(1);
  });

  it('continues from a snapshot exactly where it left off, through JSON', () => {
    // Prepare
    const rate = { limit: 30, windowSeconds: 3 };
    const original = new RateBudget(rate);
    for (let i = 0; i < 25; i++) original.record(T0 + i * 10);
    original.blockFor(2, T0 + 250);
    const stored = budgetSnapshotSchema.parse(JSON.parse(JSON.stringify(original.snapshot())));

    // Act
    const restored = new RateBudget(rate, stored);

    // Assess: blocked, then limited by the window, then by the bucket
    const times = [T0 + 300, T0 + 2300, T0 + 3100, T0 + 6000];
    const seen = times.map((at) => [restored.available(at), restored.waitSeconds(30, at)]);
    const expected = times.map((at) => [original.available(at), original.waitSeconds(30, at)]);
    expect(seen).toEqual(expected);
    expect(seen.map(([available]) => available)).toEqual([0, 5, 16, 20]);
  });

  it('starts a fresh snapshot with a full burst', () => {
    // Act
    const budget = new RateBudget(
      { limit: 500, windowSeconds: 900 },
      budgetSnapshotSchema.parse({ log: [] }),
    );

    // Assess
    expect(budget.available(T0)).toBe(10);
  });

  it('takes what the API says is left of its window into the log, on the safe side', () => {
    // Prepare: another client on the key has used 20 of 30
    const budget = new RateBudget({ limit: 30, windowSeconds: 3 });
    budget.record(T0);

    // Act
    budget.observe({ limit: 30, remaining: 9, resetSeconds: 1 }, T0);

    // Assess: 9 left now; the 20 unseen leave a full window later, as if answered now
    expect(budget.available(T0)).toBe(9);
    expect(budget.available(T0 + 2999)).toBe(9);
    expect(budget.available(T0 + 3000)).toBe(20);
  });

  it('does not lower its count when the API says more is left than the log holds', () => {
    // Prepare
    const budget = new RateBudget({ limit: 30, windowSeconds: 3 });
    for (let i = 0; i < 5; i++) budget.record(T0);

    // Act
    budget.observe({ remaining: 30 }, T0);

    // Assess
    expect(budget.available(T0)).toBe(15);
  });

  it('waits for the reset when the API says nothing is left', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
    budget.record(T0);

    // Act
    budget.observe({ remaining: 0, resetSeconds: 42 }, T0);

    // Assess
    expect(budget.available(T0 + 41_999)).toBe(0);
    expect(budget.waitSeconds(1, T0)).toBeGreaterThanOrEqual(42);
  });

  it('paces a smooth budget at 1 - burst/limit with whole-second Waits, the log never stepping in', () => {
    // Act
    const rate = { limit: 600, windowSeconds: 60 };
    const { sent, perWindow } = simulate(rate, 20);

    // Assess
    expect(maxInWindow(sent, 60_000)).toBeLessThanOrEqual(600 - 12 + 12);
    expect(perWindow).toBeGreaterThan(600 * 0.975);
  });

  it('RL1/RL2 (Clarify X-RateLimit-Limit): the limit the headers state is adopted up and down for the next Task', () => {
    // Prepare
    const documented = { limit: 3000, windowSeconds: 60 };
    const budget = new RateBudget(documented);

    // Act
    budget.observe({ limit: 6000, remaining: 5990 }, T0);
    const up = adoptedRate(documented, budget.snapshot().apiLimit, documented);
    budget.observe({ limit: 1200, remaining: 1190 }, T0);
    const down = adoptedRate(documented, budget.snapshot().apiLimit, documented);

    // Assess
    expect(up).toEqual({ limit: 6000, windowSeconds: 60 });
    expect(down).toEqual({ limit: 1200, windowSeconds: 60 });
  });

  it('never applies a stated limit to a window other than the documented one (headers state no window)', () => {
    // Act
    const rate = adoptedRate({ limit: 100, windowSeconds: 10 }, 3000, { limit: 3000, windowSeconds: 60 });

    // Assess
    expect(rate).toEqual({ limit: 100, windowSeconds: 10 });
  });

  it('counts what the API has used against its own stated limit, not ours', () => {
    // Prepare: we think 500 per window; the API says 100, of which 90 are left
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });

    // Act
    budget.observe({ limit: 100, remaining: 90 }, T0);

    // Assess: 10 used by someone, so our log holds 10 more
    expect(budget.snapshot().log).toHaveLength(10);
  });
});
