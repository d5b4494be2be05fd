import { checkFaultRates, type FaultRates } from './fault-rates.ts';
import type { FaultAction, FaultHook } from './faults.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * A declarative, seeded-random fault plan for chaos runs: given the same rates, seed and sequence of
 * requests it injects the same faults, so a failing run can be replayed.
 *
 * Each eligible request draws one number in [0, 1); each kind owns a slice of that range as wide as its
 * rate (5xx, 5xx-after, drop, slow, 429, in that order), so each kind happens at its own rate. Reads
 * (anything but POST/PATCH/PUT/DELETE) get only the kinds that do no work: a draw in an after-commit,
 * drop or slow slice leaves a read alone rather than turning it into a 5xx, so `5xx` stays the only
 * server-error rate a read sees. Requests inside a 429 burst draw nothing, and the request right after a
 * burst cannot start another, so a client always sees a burst end (at `429=1`: n+1 429s, one answer,
 * again).
 */

export type { FaultRates } from './fault-rates.ts';
export { parseFaultRates } from './fault-rates.ts';

export const DEFAULT_SLOW_MS = 35_000;
export const DEFAULT_BURST_LENGTH = 3;
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export function faultPlan(rates: FaultRates): FaultHook {
  const checked = checkFaultRates(rates);
  const random = mulberry32(checked.seed ?? 1);
  const eligible = checked.methods && new Set(checked.methods.map((method) => method.toUpperCase()));
  const burstLength = checked.burstLength ?? DEFAULT_BURST_LENGTH;
  const throttle: FaultAction = {
    kind: 'throttle',
    retryAfter: checked.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
  };
  const slow: FaultAction = { kind: 'slow-after-commit', ms: checked.slowMs ?? DEFAULT_SLOW_MS };
  const before = checked.serverErrorBeforeCommit ?? 0;
  const writeKinds: [number, FaultAction][] = [
    [checked.serverErrorAfterCommit ?? 0, { kind: 'after-commit', status: 500 }],
    [checked.dropAfterCommit ?? 0, { kind: 'drop-after-commit' }],
    [checked.slow ?? 0, slow],
  ];
  const burst = checked.throttleBurst ?? 0;
  let burstLeft = 0;
  let burstJustEnded = false;

  return ({ method }) => {
    const upper = method.toUpperCase();
    if (eligible && !eligible.has(upper)) return undefined;
    if (burstLeft > 0) {
      burstLeft--;
      burstJustEnded = burstLeft === 0;
      return throttle;
    }
    const mayStartBurst = !burstJustEnded;
    burstJustEnded = false;
    const draw = random();
    // Both halves of the 5xx slice: a client must treat 500 and 503 alike.
    if (draw < before) return { kind: 'status', status: draw < before / 2 ? 500 : 503 };
    let edge = before;
    for (const [rate, action] of writeKinds) {
      edge += rate;
      if (draw < edge) return WRITES.has(upper) ? action : undefined;
    }
    if (draw < edge + burst && mayStartBurst) {
      burstLeft = burstLength;
      burstJustEnded = burstLength === 0;
      return throttle;
    }
    return undefined;
  };
}

/** Sandboxes take either a hand-written hook or rates for a seeded plan. */
export const toFaultHook = (faults: FaultHook | FaultRates | undefined): FaultHook | undefined =>
  typeof faults === 'function' ? faults : faults && faultPlan(faults);
