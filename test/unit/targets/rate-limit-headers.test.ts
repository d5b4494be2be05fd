import { describe, expect, it } from 'vitest';
import { LastRateLimit, rateLimitInfo } from '#targets/http.ts';

const NOW = 1_700_000_000_000;

describe('Function: rateLimitInfo', () => {
  it.each<[Record<string, string | undefined>, ReturnType<typeof rateLimitInfo>]>([
    [
      { 'ratelimit-limit': '500', 'ratelimit-remaining': '12', 'ratelimit-reset': '30' },
      { limit: 500, remaining: 12, resetSeconds: 30 },
    ],
    [
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2.2' },
      { remaining: 0, resetSeconds: 3 },
    ],
    [
      { 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': String(NOW / 1000 + 90) },
      { remaining: 4, resetSeconds: 90 },
    ],
    [{ 'ratelimit-limit': '100' }, { limit: 100 }],
    [{ 'ratelimit-remaining': 'soon' }, undefined],
    [{ 'retry-after': '5' }, undefined],
  ])('reads %j', (headers, expected) => {
    // Act
    const info = rateLimitInfo(headers, NOW);

    // Assess
    expect(info).toEqual(expected);
  });
});

describe('Class: LastRateLimit', () => {
  it('hands what the API last said over once, keeping it across answers without headers', () => {
    // Prepare
    const last = new LastRateLimit();

    // Act
    last.note({ 'ratelimit-remaining': '7' });
    last.note({});
    const first = last.take();
    const second = last.take();

    // Assess
    expect(first).toEqual({ remaining: 7 });
    expect(second).toBeUndefined();
  });
});
