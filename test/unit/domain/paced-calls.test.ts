import { describe, expect, it } from 'vitest';
import { budgetSlots, PacedCalls, type SlotSource, waitFor } from '#domain/paced-calls.ts';
import { RateBudget } from '#domain/rate-budget.ts';
import { TargetError } from '#targets/target.ts';

const T0 = 1_700_000_000_000;

async function setup() {
  let now = T0;
  const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
  const meter = { sent: 3, throttled: 1 };
  const calls = new PacedCalls(
    budgetSlots(budget, () => now),
    () => now,
    meter,
  );
  await calls.reserve(budget.perTask);
  return { budget, meter, calls, advance: (ms: number) => (now += ms) };
}

const throttled = () =>
  new TargetError('RATE_LIMITED', 'POST /objects/person/records/bulk: 429 Too many requests', {
    status: 429,
    retryAfterSeconds: 5,
  });

describe('Class: PacedCalls', () => {
  it('charges a Task its share before anything is sent, and counts each call as sent', async () => {
    // Prepare
    const { calls, meter, budget } = await setup();

    // Act
    const answer = await calls.call(async () => ['com_1']);

    // Assess: the whole share (10) was taken from the budget at once; one of it is spent
    expect(answer).toEqual(['com_1']);
    expect(meter).toEqual({ sent: 4, throttled: 1 });
    expect(budget.available(T0)).toBe(0);
    expect(calls.canCall(9)).toBe(true);
    expect(calls.canCall(10)).toBe(false);
  });

  it('sends nothing past its share: a call without a slot fails before it leaves', async () => {
    // Prepare
    const { calls, budget } = await setup();
    let sent = 0;
    for (let i = 0; i < budget.perTask; i++) await calls.call(async () => sent++);

    // Act
    const extra = calls.call(async () => sent++);

    // Assess
    await expect(extra).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(sent).toBe(budget.perTask);
  });

  it('counts a 429 as throttled and blocks its budget for the Retry-After', async () => {
    // Prepare
    const { calls, meter, advance } = await setup();

    // Act
    const call = calls.call(async () => {
      throw throttled();
    });

    // Assess
    await expect(call).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(meter).toEqual({ sent: 4, throttled: 2 });
    expect(calls.canCall()).toBe(false);
    expect(calls.spends().get('all')?.blockedUntil).toBe(T0 + 5000);
    advance(5000);
    expect(calls.canCall()).toBe(true);
  });

  it('passes other errors through without blocking the budget', async () => {
    // Prepare
    const { calls, meter } = await setup();
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

  it("caps its share by what the API's rate-limit headers say is left", async () => {
    // Prepare
    const budget = new RateBudget({ limit: 30, windowSeconds: 3 });
    const said = [{ remaining: 3 }, undefined];
    const calls = new PacedCalls(
      budgetSlots(budget, () => T0),
      () => T0,
      { sent: 0, throttled: 0 },
      { takeRateLimit: () => said.shift() },
    );
    await calls.reserve(budget.perTask);

    // Act
    await calls.call(async () => undefined);

    // Assess: 3 left in the API's window, whatever the budget thought
    expect(calls.canCall(3)).toBe(true);
    expect(calls.canCall(4)).toBe(false);
  });

  it('reports what it did with each endpoint class, to settle into the shared budget', async () => {
    // Prepare
    let now = T0;
    const reserved: [string, number][] = [];
    const slots: SlotSource = {
      classOf: (kind) => (kind === 'create' ? 'bulk' : 'reads'),
      reserve: async (endpointClass, want) => {
        reserved.push([endpointClass, want]);
        return want;
      },
      pace: async () => ({ perSecond: 50 }),
    };
    const calls = new PacedCalls(slots, () => now, { sent: 0, throttled: 0 }, {}, T0 + 90_000);

    // Act
    await calls.reserve(5, 'create');
    await calls.reserve(2, 'read');
    await calls.call(async () => {
      now += 150;
    }, 'create');

    // Assess
    expect(reserved).toEqual([
      ['bulk', 5],
      ['reads', 2],
    ]);
    expect(calls.spends().get('bulk')).toEqual({
      reserved: 5,
      holdUntil: T0 + 90_000,
      answered: [T0 + 150],
      blockedUntil: 0,
      latencyMs: 150,
    });
    expect(calls.spends().get('reads')).toMatchObject({ reserved: 2, answered: [] });
  });
});

describe('Class: PacedCalls, requests in flight', () => {
  it('takes a slot before each request, topping its share up from the budget as the budget refills', async () => {
    // Prepare: 600 a minute, a share of 12 in the bucket
    let now = T0;
    const budget = new RateBudget({ limit: 600, windowSeconds: 60 });
    const calls = new PacedCalls(
      budgetSlots(budget, () => now),
      () => now,
      { sent: 0, throttled: 0 },
    );

    // Act: take everything there is, then again a second later
    let first = 0;
    while (await calls.take('create')) first += 1;
    now += 1000;
    let second = 0;
    while (await calls.take('create')) second += 1;

    // Assess: the whole bucket, then what refilled in a second (588 a minute); never more
    expect(first).toBe(budget.perTask);
    expect(second).toBe(9);
  });

  it('never hands the same slot to two callers waiting on one top-up', async () => {
    // Prepare: 30 callers at once, 12 slots in the budget
    const budget = new RateBudget({ limit: 600, windowSeconds: 60 });
    const calls = new PacedCalls(
      budgetSlots(budget, () => T0),
      () => T0,
      { sent: 0, throttled: 0 },
    );

    // Act
    const taken = await Promise.all(Array.from({ length: 30 }, () => calls.take('create')));

    // Assess
    expect(taken.filter(Boolean)).toHaveLength(budget.perTask);
    expect(calls.spends().get('all')?.reserved).toBe(budget.perTask);
  });

  it('gives back a slot it will not send, for the next caller', async () => {
    // Prepare
    const budget = new RateBudget({ limit: 600, windowSeconds: 60 });
    const calls = new PacedCalls(
      budgetSlots(budget, () => T0),
      () => T0,
      { sent: 0, throttled: 0 },
    );
    while (await calls.take('read'));

    // Act
    calls.release('read');

    // Assess
    expect(await calls.take('read')).toBe(true);
    expect(await calls.take('read')).toBe(false);
  });

  it('keeps enough in flight that the pace, not the latency, sets the speed, and never more than the bound', async () => {
    // Prepare
    const slots = (perSecond: number, latencyMs?: number): SlotSource => ({
      classOf: () => 'all',
      reserve: async () => 0,
      pace: async () => ({ perSecond, ...(latencyMs === undefined ? {} : { latencyMs }) }),
    });
    const inFlight = (perSecond: number, latencyMs?: number) =>
      new PacedCalls(slots(perSecond, latencyMs), () => T0, { sent: 0, throttled: 0 }).inFlight('create');

    // Act / Assess: Clarify's 3,000 a minute at 150 ms; ActuallyCare's 500 per 15 minutes; a fast API
    expect(await inFlight(50, 150)).toBe(13);
    expect(await inFlight(500 / 900, 300)).toBe(2);
    expect(await inFlight(1000, 500)).toBe(16);
  });
});

describe('Function: waitFor', () => {
  it('explains a wait for the rate limit', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
    for (let i = 0; i < budget.burst; i++) budget.record(T0);

    // Act
    const wait = waitFor(budget, 100, T0);

    // Assess
    expect(wait.seconds).toBe(17);
    expect(wait.reason).toBe('rate limit 500 per 900 s: next 9 requests fit in 17 s');
  });

  it('explains a wait for a 429 Retry-After', () => {
    // Prepare
    const budget = new RateBudget({ limit: 500, windowSeconds: 900 });
    budget.blockFor(5, T0);

    // Act
    const wait = waitFor(budget, 1, T0, true);

    // Assess
    expect(wait).toEqual({ seconds: 5, reason: 'the API answered 429: waiting out its Retry-After (5 s)' });
  });
});
