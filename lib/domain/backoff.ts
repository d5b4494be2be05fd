import type { RateLimit } from './rate-budget.ts';

/**
 * The stage runner's one retry policy for transient failures (5xx, timeouts, lost connections). It counts
 * the Tasks in a row that stopped on one. A lone failure is tried again at once (most are a blip); from
 * the second in a row on, the next Task waits longer each time (the state machine's Wait, never a sleep in
 * a Lambda): `firstSeconds`, doubling, capped at `maxSeconds`, with jitter so that jobs stopped by one
 * outage do not all come back in the same second. After `maxFailures` in a row the stage gives up: what it
 * has left is settled as retryable for the schedule, or the job stops with the error (the API down while
 * dedupe reads).
 */
export interface Backoff {
  /** Tasks in a row that may stop on a transient failure; the next one gives up. */
  maxFailures: number;
  /** The Wait after the second failure in a row, seconds. */
  firstSeconds: number;
  /** No Wait of the backoff is longer. */
  maxSeconds: number;
}

/** About one to three minutes of an API that does not answer before a stage gives up (at the 60 s cap). */
export const MAX_FAILURES = 10;
export const FIRST_BACKOFF_SECONDS = 1;
export const MAX_BACKOFF_SECONDS = 60;

/**
 * The backoff under a rate limit: capped at a minute, or at the rate's window when that is shorter, so a
 * rate scaled down (a test's 30 per 2 s, a sandbox's) scales the backoff with it.
 */
export const backoffFor = (rate: RateLimit): Backoff => ({
  maxFailures: MAX_FAILURES,
  firstSeconds: FIRST_BACKOFF_SECONDS,
  maxSeconds: Math.max(FIRST_BACKOFF_SECONDS, Math.min(MAX_BACKOFF_SECONDS, rate.windowSeconds)),
});

/**
 * The Wait after the `failures`-th transient failure in a row: none after the first; then first ×
 * 2^(failures − 2), capped, of which a random half is taken off ("equal jitter"), rounded up to whole
 * seconds (a Wait state's unit), at least one. Until the cap, no Wait is shorter than the one before.
 */
export function backoffSeconds(
  failures: number,
  policy: Backoff,
  random: () => number = Math.random,
): number {
  if (failures < 2) return 0;
  const full = Math.min(policy.maxSeconds, policy.firstSeconds * 2 ** (failures - 2));
  return Math.max(1, Math.ceil(full / 2 + (random() * full) / 2));
}
