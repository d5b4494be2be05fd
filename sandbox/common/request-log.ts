import type { FaultAction } from './faults.ts';

/** What a sandbox saw and answered, one entry per request (observability routes excepted). */
export interface RequestLogEntry {
  /** Epoch ms when the request was taken up (after its body arrived): the timestamp the limiter counted. */
  at: number;
  method: string;
  /** Path with query string, as the client sent it. */
  path: string;
  /** Status the client received; 0 when the connection was dropped on purpose (fault injection). */
  status: number;
  /** Object type (or resource) the request addressed, when the route names one. */
  object?: string;
  /** Number of items in a bulk request body. */
  items?: number;
  /** True when the rate limiter refused the request; such requests do not use a slot. */
  throttled: boolean;
  /** The injected fault, when the fault hook chose one. */
  fault?: FaultAction['kind'];
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  /** A copy, so callers can filter and sort without touching the log. */
  list(): RequestLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }
}

/** Timestamps of the requests that used a rate-limit slot: authenticated, not throttled, not an injected 429. */
export const servedTimestamps = (entries: RequestLogEntry[]): number[] =>
  entries
    .filter((entry) => !entry.throttled && entry.status !== 401 && entry.fault !== 'throttle')
    .map((entry) => entry.at);
