import { type Dispatcher, errors, request } from 'undici';
import type { ErrorCode } from '#domain/errors.ts';
import type { RateLimitInfo } from '#domain/rate-budget.ts';
import { type ItemError, TargetError, type TargetErrorDetails } from './target.ts';

export interface HttpOptions {
  dispatcher?: Dispatcher;
  /** Per-request timeout for headers and body, ms (default 30 s). */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** One JSON request; transport failures become TargetErrors, in doubt when a write may have landed. */
export async function sendJson(
  method: Dispatcher.HttpMethod,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  options: HttpOptions,
): Promise<HttpResponse> {
  const timeout = options.timeoutMs ?? 30_000;
  try {
    const res = await request(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: options.dispatcher,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: parseBody(text) };
  } catch (error) {
    throw transportError(method, url, error);
  }
}

const parseBody = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

function transportError(method: string, url: string, error: unknown): TargetError {
  const inDoubt = WRITE_METHODS.has(method);
  const path = new URL(url).pathname;
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new TargetError('TIMEOUT', `${method} ${path} timed out`, { cause: error, inDoubt });
  }
  const code = (error as { code?: string }).code ?? 'UNKNOWN';
  return new TargetError('NETWORK', `${method} ${path} failed: ${code}`, { cause: error, inDoubt });
}

export const retryAfterSeconds = (headers: HttpResponse['headers']): number | undefined => {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
};

const header = (headers: HttpResponse['headers'], ...names: string[]): number | undefined => {
  for (const name of names) {
    const raw = headers[name];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    if (raw !== undefined && Number.isFinite(value)) return value;
  }
  return undefined;
};

/**
 * The API's own view of its window, from `RateLimit-*` or `X-RateLimit-*` headers when it sends them.
 * A reset larger than a day is read as an epoch time in seconds, as some APIs send it.
 */
export function rateLimitInfo(headers: HttpResponse['headers'], now = Date.now()): RateLimitInfo | undefined {
  const limit = header(headers, 'ratelimit-limit', 'x-ratelimit-limit');
  const remaining = header(headers, 'ratelimit-remaining', 'x-ratelimit-remaining');
  const reset = header(headers, 'ratelimit-reset', 'x-ratelimit-reset');
  if (limit === undefined && remaining === undefined) return undefined;
  const resetSeconds =
    reset === undefined ? undefined : reset > 86_400 ? Math.max(0, reset - now / 1000) : Math.max(0, reset);
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetSeconds === undefined ? {} : { resetSeconds: Math.ceil(resetSeconds) }),
  };
}

/** Keeps what the API last said of its window until the rate budget takes it. */
export class LastRateLimit {
  private info: RateLimitInfo | undefined;

  note(headers: HttpResponse['headers']): void {
    this.info = rateLimitInfo(headers) ?? this.info;
  }

  take(): RateLimitInfo | undefined {
    const info = this.info;
    this.info = undefined;
    return info;
  }
}

/** The error code for a non-2xx status; the adapter adds the API's own message and item pointers. */
export const codeForStatus = (status: number): ErrorCode => {
  if (status === 401) return 'AUTH_FAILED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 500) return 'SERVER_ERROR';
  return 'REJECTED';
};

export const statusError = (
  method: string,
  path: string,
  res: HttpResponse,
  message: string,
  items: ItemError[] = [],
  code: ErrorCode = codeForStatus(res.status),
  details: Pick<TargetErrorDetails, 'entityCredential'> = {},
): TargetError =>
  new TargetError(code, `${method} ${path}: ${res.status} ${message}`, {
    status: res.status,
    retryAfterSeconds: retryAfterSeconds(res.headers),
    items,
    // A 5xx on a write may have been committed before the server failed.
    inDoubt: res.status >= 500 && WRITE_METHODS.has(method),
    ...details,
  });
