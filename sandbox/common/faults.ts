/**
 * Fault injection seam: a hook picks, per request, a failure the sandbox plays instead of (or on top
 * of) its normal answer. It runs after auth and rate limiting, so a faulted request looks like one the
 * API accepted and then failed, and it uses a rate-limit slot as such a request would.
 */

export type FaultAction =
  /** Answer with this status and do nothing else. */
  | { kind: 'status'; status: 500 | 503 | 429; retryAfter?: number }
  /** Do the work, then answer 500: the client cannot know the work was done. */
  | { kind: 'after-commit'; status: 500 }
  /** Do the work, then destroy the socket without answering. */
  | { kind: 'drop-after-commit' }
  /** Wait this long before handling the request normally. */
  | { kind: 'delay'; ms: number };

export interface FaultRequest {
  method: string;
  /** Path with query string. */
  path: string;
  /** Path without query string, for matching routes. */
  pathname: string;
}

export type FaultHook = (req: FaultRequest) => FaultAction | undefined;

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
