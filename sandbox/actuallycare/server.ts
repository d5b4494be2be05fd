import type { IncomingMessage } from 'node:http';
import { type FaultRates, toFaultHook } from '#sandbox/common/fault-plan.ts';
import type { FaultCounts, FaultHook } from '#sandbox/common/faults.ts';
import type { HttpError, Problem } from '#sandbox/common/json-http.ts';
import { RequestLog, type RequestLogEntry } from '#sandbox/common/request-log.ts';
import { startSandboxServer } from '#sandbox/common/sandbox-server.ts';
import type { RateLimit } from '#sandbox/common/sliding-window.ts';
import { ActuallyCareAccount, type StoredRecord } from './account.ts';
import type { Resource } from './ids.ts';
import { apiRoutes, inspectRoutes } from './routes.ts';
import { FULL_SCOPES, KeyScopes, type Permission } from './scopes.ts';
import { type ActuallyCareSeed, loadSeed, type SeededIds } from './seed.ts';

/**
 * A local, strict simulator of the ActuallyCare REST API (DESIGN.md, "Target APIs"; the bulk-import
 * guide in seeds/000). Documented by the guide: base `/v1`; scoped keys, 403 without the scope and on
 * everything for a key with none; leads take one `name`, clients `first_name`/`last_name`, contacts need
 * `first_name` and `contact_type`; `GET /v1/<resource>?page=N&limit=M` answers
 * `{"data":{"<resource>":[...],"meta":{"hasMore":bool}}}` with pages from 1; one record per POST;
 * duplicate emails are accepted; 500 requests per 15 minutes.
 *
 * *Assumed*, and configurable where it can matter: `Authorization: Bearer <key>`; `limit` 1..100
 * (default 100) and `meta.page/limit/total`; 201 `{"data":{"id",...}}` on create; `GET/PATCH
 * /v1/<resource>/<id>`; errors `{"error":{"code","message","field"?}}` (400 bad request, 401, 403,
 * 404, 422 validation_error naming the field, 429 rate_limited with `Retry-After` seconds); unknown
 * fields, `id` and nulls refused with 422; escrow fields (`property_address`, `status`, `close_date`,
 * `price`, `client_id`, ...); and **`GET /v1/me` → `{"data":{"scopes":{...}}}`, an endpoint the guide
 * does not document**, offered so a client can check its scopes before it spends its budget. It needs
 * a key (with any scope) and counts toward the rate limit like any other request.
 */

export type { FaultRates } from '#sandbox/common/fault-plan.ts';
export type { FaultAction, FaultCounts, FaultHook, FaultKind } from '#sandbox/common/faults.ts';
export type { RequestLogEntry } from '#sandbox/common/request-log.ts';
export type { Resource } from './ids.ts';
export { FULL_SCOPES, type Permission, type Scopes } from './scopes.ts';
export type { ActuallyCareSeed } from './seed.ts';

/** 64 characters, like a real key, and obviously not one. */
export const DEFAULT_API_KEY = 'ac_sandbox_'.padEnd(64, '0');
export const DEFAULT_RATE: RateLimit = { limit: 500, windowSeconds: 900 };
export const BASE_PATH = '/v1';

export interface ActuallyCareSandboxOptions {
  apiKey?: string;
  /** Scopes of `apiKey`; every resource read+write by default. */
  scopes?: Record<string, Permission[]>;
  /** More keys, each with its own scopes and its own rate window. */
  keys?: Record<string, Record<string, Permission[]>>;
  /** Per key, reads and writes together. */
  rate?: RateLimit;
  /** Added to every API response, to model a real API's round trip. */
  latencyMs?: number;
  /** Answer with `RateLimit-*` headers (neither API documents them; off by default). */
  rateLimitHeaders?: boolean;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  seed?: ActuallyCareSeed;
  /** A hand-written hook, or rates for a seeded fault plan (`faultPlan`). */
  faults?: FaultHook | FaultRates;
}

export interface ActuallyCareSandbox {
  /** e.g. `http://127.0.0.1:53211/v1` */
  baseUrl: string;
  apiKey: string;
  records(resource: Resource): StoredRecord[];
  requests(): RequestLogEntry[];
  /** Faults injected so far, by kind. */
  faults(): FaultCounts;
  /** Ids of seeded records, in seed order. */
  seeded: SeededIds;
  close(): Promise<void>;
}

export async function startActuallyCareSandbox(
  options: ActuallyCareSandboxOptions = {},
): Promise<ActuallyCareSandbox> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (options.keys && apiKey in options.keys) {
    throw new RangeError(`keys must not repeat apiKey '${apiKey}'; give its scopes through scopes`);
  }
  const scopes = new KeyScopes({ ...options.keys, [apiKey]: options.scopes ?? FULL_SCOPES });
  const account = new ActuallyCareAccount();
  // Seed before listening so no client can observe a half-seeded account.
  const seeded = loadSeed(account, options.seed);
  const log = new RequestLog();
  const server = await startSandboxServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    latencyMs: options.latencyMs ?? 0,
    basePath: BASE_PATH,
    rate: options.rate ?? DEFAULT_RATE,
    rateLimitHeaders: options.rateLimitHeaders ? 'RateLimit' : 'none',
    authenticate: (req) => {
      const key = bearerKeyOf(req);
      return key !== undefined && scopes.has(key) ? key : undefined;
    },
    renderError,
    api: apiRoutes(account, scopes),
    inspect: inspectRoutes(account, log),
    faults: toFaultHook(options.faults),
    log,
  });
  return {
    baseUrl: `${server.origin}${BASE_PATH}`,
    apiKey,
    records: (resource) => account.list(resource),
    requests: () => log.list(),
    faults: () => server.faults(),
    seeded,
    close: () => server.close(),
  };
}

/** `Authorization: Bearer <key>`; the scheme name is case-insensitive as in any HTTP auth scheme. */
function bearerKeyOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** `{"error":{"code","message","field"?}}`, plus `details` when several things are wrong at once. */
function renderError(error: HttpError): unknown {
  const code = CODES[error.status] ?? (error.status >= 500 ? 'internal_error' : 'bad_request');
  const [first] = error.problems;
  const field = first && fieldOf(first);
  const details =
    error.problems.length > 1
      ? { details: error.problems.map((problem) => ({ field: fieldOf(problem), message: problem.detail })) }
      : {};
  return { error: { code, message: error.message, ...(field ? { field } : {}), ...details } };
}

const fieldOf = (problem: Problem): string | undefined =>
  problem.pointer?.split('/')[1] || problem.parameter || undefined;
