import { type FaultRates, toFaultHook } from '#sandbox/common/fault-plan.ts';
import type { FaultCounts, FaultHook } from '#sandbox/common/faults.ts';
import { Journal } from '#sandbox/common/journal.ts';
import { RequestLog, type RequestLogEntry } from '#sandbox/common/request-log.ts';
import { startSandboxServer } from '#sandbox/common/sandbox-server.ts';
import type { RateLimit } from '#sandbox/common/sliding-window.ts';
import { resolveVariants, type Variants } from '#sandbox/common/variants.ts';
import { ACTUALLYCARE_VARIANTS } from '#targets/actuallycare/profile.ts';
import { ActuallyCareAccount, type ActuallyCareChange, type StoredRecord } from './account.ts';
import { Credentials, DEFAULT_SESSION_TOKEN } from './auth.ts';
import { renderError } from './envelope.ts';
import type { Resource } from './ids.ts';
import { apiRoutes, inspectRoutes } from './routes.ts';
import { FULL_SCOPES, type Scopes } from './scopes.ts';
import { type ActuallyCareSeed, loadSeed, type SeededIds } from './seed.ts';

/**
 * A local, strict simulator of the **published** ActuallyCare REST API. Fact ids refer to
 * `shared/contracts/actuallycare.md`; see also `differences.md` (AC1–AC14).
 *
 * Documented, and simulated as documented:
 * - Base `/v1`. API keys go in `X-API-Key` (A1), alias `API-Key` (A2). `Authorization: Bearer` carries a
 *   session JWT (A3). `/v1/contacts` (and `/v1/api-keys`, `/v1/webhooks`, `/v1/billing`) take only a JWT:
 *   an `X-API-Key` there gets 401 "No authentication token provided" (A6, K1). 401s carry the
 *   class-style code `UnauthorizedError` (A11).
 * - Scopes are an object `{"clients":["read","write"]}` (S1) with the wildcard resource `all` (S2); a
 *   missing scope is a 403 and a key with no scopes gets 403 everywhere (S5). There is no `/v1/me`
 *   (S8): it is a 404 like any unknown route.
 * - Envelope `{success, data, timestamp}` / `{success:false, error:{code, message, details?}, timestamp}`
 *   (E1, ER1); SCREAMING_SNAKE codes `NOT_FOUND` ("Client not found."), `VALIDATION_ERROR`,
 *   `RATE_LIMIT_EXCEEDED`, `BAD_REQUEST` (ER2, ER4, ER5); 201 on create (E4).
 * - Clients: `first_name`, `last_name`, `client_type` (buyer|seller|both) required, `email`, `phone` (C3,
 *   C4); update with PUT (C1). Leads: `name` required, `email`, `phone` (L3). Contacts: `first_name` and
 *   `contact_type` required (K4). No uniqueness on email anywhere (I2).
 * - Lists: `page` ≥ 1 (default 1), `limit` 1..100 (default 25; escrows 20) (P1, P2); only each list's
 *   documented parameters (P4; C2, L2, K3, X2), anything else a 400; `data.<resource>` + `data.meta`
 *   `{page, limit, total, totalPages, hasMore}` (E2, P3); leads add `data.stats` and `data.cursors`,
 *   contacts and escrows `data.stats` (E3). Escrows are sorted by `created_at` desc unless `sort`/`order`
 *   say otherwise (X2); the other lists are in creation order.
 * - Rate limit: 500 requests per 15 minutes per client IP, not per key (RL1, RL2); 429 with
 *   `RATE_LIMIT_EXCEEDED` and `Retry-After` seconds (RL5); `RateLimit-Limit/Remaining/Reset` headers on
 *   every response that passed auth, the 429 included (RL4).
 *
 * Inferred (the docs are cut off before the facts), simulated as the most likely reading:
 * - An API key sent as `Bearer` gets 401 (A3); an unknown Bearer token "invalid signature"/"jwt
 *   malformed", an expired one "jwt expired" (A11 wording style).
 * - Client create also takes the record example's `source`, `status` (active|inactive|closed),
 *   `budget_min`, `budget_max` (C5, C6); lead create the example's `source`, `status`, `lead_type`,
 *   `interest_level`, `budget`, `timeline` (L4); contact create the example's fields (K5).
 * - Escrow create (X3 unknown) follows the MCP tool (X4) with REST names (X5): `property_address`,
 *   `purchase_price` (≥ 0), `representation_type` (buyer|seller|dual) required; `status`
 *   (active|pending|closed|cancelled), `closing_date` (YYYY-MM-DD), `city`, `state` (2 letters),
 *   `zip_code` optional; no `client_id`. Leads, contacts and escrows are updated with PUT like clients
 *   (L1, AC13); `PATCH` is a 404.
 *
 * *Assumed* (the sources are silent): unknown fields, `id` and nulls in a body are a validation error
 * naming the field (no `tags` anywhere, I5); a 403's code is `FORBIDDEN` (S6); a validation `details`
 * item is `{field, message}` (ER3), and a bad query parameter is a 400 `BAD_REQUEST` with the same
 * details; PUT merges the given fields and validates the merged record; DELETE hard-deletes and answers
 * `data: {id}` (K7); what `stats` and `cursors` hold (P5; no cursor parameter is accepted); record ids are
 * UUIDs (C5) and records carry only `id` and the fields sent; a request with both `X-API-Key` and a
 * Bearer token uses the key outside the JWT-only groups; a 401 is answered before the rate limit and
 * carries no RateLimit-* headers.
 *
 * Variants (`ACTUALLYCARE_VARIANTS`; the references are silent, so a client must pass against each):
 * - `created`: `flat` answers a single record as `data: {id, ...}`, `wrapped` as `data: {client: {id,
 *   ...}}` keyed by the singular resource (E5). It applies to every single-record answer (POST 201, GET
 *   and PUT by id): one API, one shape (*assumed*).
 * - `validation`: the status of a body-validation failure, `400` or `422` (ER6).
 * - `rateHeaders`: `RateLimit` sends the RateLimit-* headers (RL4), `none` leaves them out.
 *
 * Session tokens (login is not simulated: A9) are given by `sessionTokens` and act as the user: every
 * resource, no scopes. `POST /_sandbox/expire-session` (body `{"token": "..."}`, or none for all) or
 * `sessionExpiresAfter` expire them, to simulate expiry in the middle of a run.
 */

export type { FaultRates } from '#sandbox/common/fault-plan.ts';
export type { FaultAction, FaultCounts, FaultHook, FaultKind } from '#sandbox/common/faults.ts';
export type { RequestLogEntry } from '#sandbox/common/request-log.ts';
export type { StoredRecord } from './account.ts';
export { DEFAULT_SESSION_TOKEN } from './auth.ts';
export type { ErrorDetail } from './envelope.ts';
export type { Resource } from './ids.ts';
export { FULL_SCOPES, type Permission, type Scopes } from './scopes.ts';
export type { ActuallyCareSeed, SeededIds } from './seed.ts';

/** 64 hex characters with no prefix, like a real key (A4), and obviously not one. */
export const DEFAULT_API_KEY = 'deadbeef'.repeat(8);
/** 500 requests per 15 minutes per client IP (RL1, RL2). */
export const DEFAULT_RATE: RateLimit = { limit: 500, windowSeconds: 900 };
export const BASE_PATH = '/v1';

/** Where the references are silent, the candidates (named in the target's profile); the first of each is the default. */
export { ACTUALLYCARE_VARIANTS };

export type ActuallyCareVariants = Variants<typeof ACTUALLYCARE_VARIANTS>;

export interface ActuallyCareSandboxOptions {
  /** The main API key, sent in `X-API-Key`; `DEFAULT_API_KEY` by default. */
  apiKey?: string;
  /** Scopes of `apiKey`; `{"all":["read","write"]}` by default. */
  scopes?: Scopes;
  /** More API keys, each with its own scopes (they share the per-IP rate limit). */
  keys?: Record<string, Scopes>;
  /** Valid session tokens (`Authorization: Bearer`); `[DEFAULT_SESSION_TOKEN]` by default. */
  sessionTokens?: string[];
  /** A session token stops working after this many accepted requests with it; never by default. */
  sessionExpiresAfter?: number;
  /** Per client IP, every request together; `DEFAULT_RATE` by default. */
  rate?: RateLimit;
  /** Added to every API response, to model a real API's round trip. */
  latencyMs?: number;
  /** Candidates where the references are silent; the defaults otherwise. */
  variants?: Partial<ActuallyCareVariants>;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  seed?: ActuallyCareSeed;
  /** A hand-written hook, or rates for a seeded fault plan (`faultPlan`). */
  faults?: FaultHook | FaultRates;
  /** Keeps the account's records in this file across starts (the CLI's local target); else in memory. */
  recordsFile?: string;
}

export interface ActuallyCareSandbox {
  /** e.g. `http://127.0.0.1:53211/v1` */
  baseUrl: string;
  /** The main API key, for `X-API-Key`. */
  apiKey: string;
  /** The first session token, for `Authorization: Bearer`. */
  sessionToken: string;
  /** The variants in force. */
  variants: ActuallyCareVariants;
  records(resource: Resource): StoredRecord[];
  requests(): RequestLogEntry[];
  /** Faults injected so far, by kind. */
  faults(): FaultCounts;
  /** Expires one session token, or all of them (as `POST /_sandbox/expire-session` does); RangeError for a token it does not know. */
  expireSession(token?: string): void;
  /** Ids of seeded records, in seed order. */
  seeded: SeededIds;
  /** With `recordsFile`: which keeping of the records this is (a new one after the file is removed). */
  generation?: string;
  close(): Promise<void>;
}

export async function startActuallyCareSandbox(
  options: ActuallyCareSandboxOptions = {},
): Promise<ActuallyCareSandbox> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (options.keys && apiKey in options.keys) {
    throw new RangeError(`keys must not repeat apiKey '${apiKey}'; give its scopes through scopes`);
  }
  const variants = resolveVariants(ACTUALLYCARE_VARIANTS, options.variants);
  const sessionTokens = options.sessionTokens ?? [DEFAULT_SESSION_TOKEN];
  const credentials = new Credentials(
    { ...options.keys, [apiKey]: options.scopes ?? FULL_SCOPES },
    sessionTokens,
    options.sessionExpiresAfter,
  );
  const journal = options.recordsFile ? Journal.open<ActuallyCareChange>(options.recordsFile) : undefined;
  const account = new ActuallyCareAccount(variants.validation === '422' ? 422 : 400, journal);
  // Seed before listening so no client can observe a half-seeded account.
  const seeded = loadSeed(account, options.seed);
  const log = new RequestLog();
  const server = await startSandboxServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    latencyMs: options.latencyMs ?? 0,
    basePath: BASE_PATH,
    rate: options.rate ?? DEFAULT_RATE,
    rateLimitHeaders: variants.rateHeaders,
    authenticate: (req, pathname) => credentials.authenticate(req, pathname),
    // RL2: per client IP, whatever key or token the request carries.
    rateKey: (req) => req.socket.remoteAddress ?? 'unknown',
    renderError,
    api: apiRoutes(account, credentials, variants.created),
    inspect: inspectRoutes(account, log, credentials),
    faults: toFaultHook(options.faults),
    log,
  });
  return {
    baseUrl: `${server.origin}${BASE_PATH}`,
    apiKey,
    sessionToken: sessionTokens[0]!,
    variants,
    records: (resource) => account.list(resource),
    requests: () => log.list(),
    faults: () => server.faults(),
    expireSession: (token) => {
      if (token !== undefined && !sessionTokens.includes(token))
        throw new RangeError(`'${token}' is not a session token of this sandbox`);
      credentials.expire(token);
    },
    seeded,
    ...(journal ? { generation: journal.generation } : {}),
    close: () => server.close(),
  };
}
