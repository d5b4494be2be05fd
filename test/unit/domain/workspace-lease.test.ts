import { describe, expect, it } from 'vitest';
import { nextLookSeconds, waitingReason } from '#domain/workspace-lease.ts';

describe('Function: nextLookSeconds', () => {
  it('looks again after a twentieth of the time waited so far, from 1 s to 30 s', () => {
    // Act / Assess
    expect(nextLookSeconds(0, 300_000)).toBe(1);
    expect(nextLookSeconds(60_000, 300_000)).toBe(3);
    expect(nextLookSeconds(200_000, 300_000)).toBe(10);
    expect(nextLookSeconds(3_600_000, 300_000)).toBe(30);
  });

  it('never looks later than the moment the holder’s lease runs out', () => {
    // Act / Assess: a killed job's lease ends in 2.5 s
    expect(nextLookSeconds(600_000, 2_500)).toBe(3);
    expect(nextLookSeconds(600_000, -5_000)).toBe(1);
  });
});

describe('Function: waitingReason', () => {
  it('names the import that holds the workspace', () => {
    // Act / Assess
    expect(waitingReason('acme-manifest-1a2b3c4d5e')).toBe('import acme-manifest-1a2b3c4d5e is running');
  });
});
