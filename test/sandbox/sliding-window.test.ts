import { describe, expect, it } from 'vitest';
import { maxInAnyWindow, SlidingWindow } from '#sandbox/common/sliding-window.ts';

describe('Class: SlidingWindow', () => {
  it('serves up to the limit, then says when the oldest slot frees', () => {
    // Prepare
    const window = new SlidingWindow(3, 1000);

    // Act
    const served = [0, 100, 200].map((at) => window.tryAcquire(at));
    const refused = window.tryAcquire(400);
    const stillRefused = window.tryAcquire(999);
    const freed = window.tryAcquire(1000);

    // Assess
    expect(served).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(refused).toEqual({ ok: false, retryAfterMs: 600 });
    expect(stillRefused).toEqual({ ok: false, retryAfterMs: 1 });
    expect(freed).toEqual({ ok: true });
  });

  it('does not count refused attempts against the window', () => {
    // Prepare
    const window = new SlidingWindow(1, 1000);
    window.tryAcquire(0);

    // Act
    for (let at = 1; at < 1000; at += 100) window.tryAcquire(at);
    const afterWindow = window.tryAcquire(1000);

    // Assess
    expect(afterWindow).toEqual({ ok: true });
  });

  it('rejects a limit below 1', () => {
    // Act / Assess
    expect(() => new SlidingWindow(0, 1000)).toThrow(RangeError);
  });
});

describe('Function: maxInAnyWindow', () => {
  it('finds the busiest window with the same boundary rule as the limiter', () => {
    // Act
    const busiest = maxInAnyWindow([1000, 0, 999, 500, 1998], 1000);
    const boundary = maxInAnyWindow([0, 1000], 1000);

    // Assess
    expect(busiest).toBe(3);
    expect(boundary).toBe(1);
    expect(maxInAnyWindow([], 1000)).toBe(0);
  });
});
