/**
 * Fault injection seam: a hook picks, per request, a failure the sandbox plays instead of (or on top
 * of) its normal answer. It is asked after auth and before the rate limiter. A `throttle` is answered at
 * once and uses no rate-limit slot (it stands for a 429 from upstream, not from our limiter); any other
 * fault is played only when the limiter grants a slot, which it then uses as an accepted-then-failed
 * request would. A request the limiter refuses gets the limiter's own 429 and no fault.
 */

export type FaultAction =
  /** Answer with this status and do nothing else. */
  | { kind: 'status'; status: 500 | 503 | 429; retryAfter?: number }
  /** Do the work, then answer 500: the client cannot know the work was done. */
  | { kind: 'after-commit'; status: 500 }
  /** Do the work, then destroy the socket without answering. */
  | { kind: 'drop-after-commit' }
  /** Wait this long before handling the request normally. */
  | { kind: 'delay'; ms: number }
  /** Do the work, then wait this long before answering: past a client's timeout, the work is in doubt. */
  | { kind: 'slow-after-commit'; ms: number }
  /** Answer 429 with `Retry-After` without doing the work and without using a rate-limit slot. */
  | { kind: 'throttle'; retryAfter: number };

export type FaultKind = FaultAction['kind'];

export const FAULT_KINDS = [
  'status',
  'after-commit',
  'drop-after-commit',
  'delay',
  'slow-after-commit',
  'throttle',
] as const satisfies readonly FaultKind[];

// Fails to compile when a kind is added to FaultAction but not to FAULT_KINDS.
const everyKindListed: [Exclude<FaultKind, (typeof FAULT_KINDS)[number]>] extends [never] ? true : never =
  true;
void everyKindListed;

/** How many faults of each kind a sandbox has played. */
export type FaultCounts = Record<FaultKind, number>;

export const noFaults = (): FaultCounts =>
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as FaultCounts;

export interface FaultRequest {
  method: string;
  /** Path with query string. */
  path: string;
  /** Path without query string, for matching routes. */
  pathname: string;
}

export type FaultHook = (req: FaultRequest) => FaultAction | undefined;

/** Waits `ms`, or less when `signal` aborts (the timer is cleared then, so nothing holds the process). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
