import { describe, expect, it } from 'vitest';
import { readInOrder } from '#storage/read-in-order.ts';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Function: readInOrder', () => {
  it('yields in key order however the reads finish, with at most inFlight reads out', async () => {
    // Prepare
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    let out = 0;
    let most = 0;
    const read = async (key: string) => {
      out += 1;
      most = Math.max(most, out);
      await later((Number(key.slice(1)) * 7) % 5);
      out -= 1;
      return key;
    };

    // Act
    const got: string[] = [];
    for await (const value of readInOrder(keys, read, 6)) got.push(value);

    // Assess
    expect(got).toEqual(keys);
    expect(most).toBe(6);
  });

  it('throws a failed read when its turn comes, after the ones before it', async () => {
    // Prepare: the fourth read fails at once, before the slow first one is done.
    const read = async (key: string) => {
      if (key === 'd') throw new Error('d is gone');
      await later(key === 'a' ? 20 : 1);
      return key;
    };
    const got: string[] = [];

    // Act
    const reading = (async () => {
      for await (const value of readInOrder(['a', 'b', 'c', 'd', 'e'], read, 4)) got.push(value);
    })();

    // Assess
    await expect(reading).rejects.toThrow('d is gone');
    expect(got).toEqual(['a', 'b', 'c']);
  });
});
