import { describe, expect, it } from 'vitest';
import { backoffFor, backoffSeconds } from '#domain/backoff.ts';

const production = backoffFor({ limit: 3000, windowSeconds: 60 });

describe('Function: backoffSeconds', () => {
  it('tries a lone failure again at once, then doubles from 1 s to a cap of 60 s, jitter taking at most half off', () => {
    // Act
    const longest = Array.from({ length: 10 }, (_, i) => backoffSeconds(i + 1, production, () => 1));
    const shortest = Array.from({ length: 10 }, (_, i) => backoffSeconds(i + 1, production, () => 0));

    // Assess
    expect(longest).toEqual([0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(shortest).toEqual([0, 1, 1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('never waits 0 s after a run of failures, and until the cap no Wait is shorter than the one before', () => {
    // Prepare
    const draws = [0.99, 0, 0.99, 0, 0.5, 0.01];
    const random = () => draws.shift() ?? 0;

    // Act
    const waits = Array.from({ length: 6 }, (_, i) => backoffSeconds(i + 2, production, random));

    // Assess
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1);
    for (const [i, wait] of waits.entries())
      if (i > 0) expect(wait).toBeGreaterThanOrEqual(waits[i - 1] as number);
  });
});

describe('Function: backoffFor', () => {
  it('caps the backoff at a minute, or at the rate window when it is shorter (a scaled-down rate)', () => {
    // Act
    const actuallyCare = backoffFor({ limit: 500, windowSeconds: 900 });
    const scaled = backoffFor({ limit: 30, windowSeconds: 2 });

    // Assess
    expect(production).toEqual({ maxFailures: 10, firstSeconds: 1, maxSeconds: 60 });
    expect(actuallyCare.maxSeconds).toBe(60);
    expect(scaled.maxSeconds).toBe(2);
    expect(backoffSeconds(6, scaled, () => 1)).toBe(2);
  });
});
