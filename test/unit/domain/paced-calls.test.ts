import { describe, expect, it } from 'vitest';
import { PacedCalls } from '#domain/paced-calls.ts';
import { RateBudget } from '#domain/rate-budget.ts';
import { TargetError } from '#targets/target.ts';

const T0 = 1_700_000_000_000;

function setup() {
  let now = T0;
  const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
  const meter = { sent: 3, throttled: 1 };
  const calls = new PacedCalls(budget, () => now, meter);
  return { budget, meter, calls, advance: (ms: number) => (now += ms) };
}

const throttled = () =>
  new TargetError('RATE_LIMITED', 'POST /objects/person/records/bulk: 429 Too many requests', {
    status: 429,
    retryAfterSeconds: 5,
  });

describe('Class: PacedCalls', () => {
  it('returns what the call answered, counts it as sent and charges the budget', async () => {
    // Prepare
    const { calls, meter, budget } = setup();

    // Act
    const answer = await calls.call(async () => ['com_1']);

    // Assess
    expect(answer).toEqual(['com_1']);
    expect(meter).toEqual({ sent: 4, throttled: 1 });
    expect(budget.available(T0)).toBe(9);
  });

  it('counts a 429 as throttled and blocks the budget for its Retry-After', async () => {
    // Prepare
    const { calls, meter, budget, advance } = setup();

    // Act
    const call = calls.call(async () => {
      throw throttled();
    });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(meter).toEqual({ sent: 4, throttled: 2 });
    expect(calls.canCall()).toBe(false);
    expect(budget.waitSeconds(1, T0)).toBe(5);
    advance(5000);
    expect(calls.canCall()).toBe(true);
  });

  it('passes other errors through without blocking the budget', async () => {
    // Prepare
    const { calls, meter } = setup();
    const failure = new TargetError('SERVER_ERROR', 'POST: 503', { status: 503, inDoubt: true });

    // Act
    const call = calls.call(async () => {
      throw failure;
    });

    // Assess
    await expect(call).rejects.toBe(failure);
    expect(meter).toEqual({ sent: 4, throttled: 1 });
    expect(calls.canCall()).toBe(true);
  });

  it('says when it can send a given number of requests', async () => {
    // Prepare
    const { calls } = setup();

    // Act
    for (let i = 0; i < 4; i++) await calls.call(async () => undefined);

    // Assess
    expect(calls.canCall(6)).toBe(true);
    expect(calls.canCall(7)).toBe(false);
  });

  it('explains a wait for the rate limit', async () => {
    // Prepare
    const { calls, budget } = setup();
    for (let i = 0; i < budget.burst; i++) await calls.call(async () => undefined);

    // Act
    const wait = calls.waitFor(100);

    // Assess
    expect(wait.seconds).toBe(17);
    expect(wait.reason).toBe('rate limit 500 per 900 s: next 9 requests fit in 17 s');
  });

  it("corrects the budget from the API's rate-limit headers after each call", async () => {
    // Prepare
    let now = T0;
    const budget = new RateBudget({ limit: 30, windowSeconds: 3 });
    const said = [{ remaining: 10 }, undefined];
    const calls = new PacedCalls(
      budget,
      () => now,
      { sent: 0, throttled: 0 },
      {
        takeRateLimit: () => said.shift(),
      },
    );

    // Act
    await calls.call(async () => undefined);
    const afterHeaders = budget.available(now);
    await calls.call(async () => undefined);

    // Assess: 20 used in the API's window though we sent 1; then one more of ours, without headers
    expect(afterHeaders).toBe(10);
    expect(budget.available(now)).toBe(9);
    now += 3000;
    expect(budget.available(now)).toBe(20);
  });

  it('explains a wait for a 429 Retry-After', async () => {
    // Prepare
    const { calls } = setup();
    await calls.call(async () => Promise.reject(throttled())).catch(() => undefined);

    // Act
    const wait = calls.waitFor(1, true);

    // Assess
    expect(wait).toEqual({ seconds: 5, reason: 'the API answered 429: waiting out its Retry-After (5 s)' });
  });
});
