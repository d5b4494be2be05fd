import type { IncomingMessage } from 'node:http';
import { type FaultRates, toFaultHook } from '#sandbox/common/fault-plan.ts';
import type { FaultCounts, FaultHook } from '#sandbox/common/faults.ts';
import { Journal } from '#sandbox/common/journal.ts';
import { HttpError } from '#sandbox/common/json-http.ts';
import { RequestLog, type RequestLogEntry } from '#sandbox/common/request-log.ts';
import { startSandboxServer } from '#sandbox/common/sandbox-server.ts';
import type { RateLimit } from '#sandbox/common/sliding-window.ts';
import { resolveVariants, type Variants } from '#sandbox/common/variants.ts';
import { type ClarifyEnums, DEFAULT_ENUMS, workspaceModels } from './attributes.ts';
import { errorRenderer } from './errors.ts';
import type { ObjectType } from './ids.ts';
import { apiRoutes, inspectRoutes, type RouteState, rateTemplate } from './routes.ts';
import { type ClarifySeed, loadSeed, type SeededIds } from './seed.ts';
import { type ClarifyChange, ClarifyStore, type StoredRecord } from './store.ts';
import { CLARIFY_VARIANTS, type ClarifyVariants } from './variants.ts';
import { ClarifyWorkspace } from './workspace.ts';

/**
 * A local, strict simulator of the PUBLISHED Clarify REST API, written from
 * shared/contracts/clarify.md (fact ids below) and nothing else.
 *
 * Documented, simulated as documented:
 * - Auth `Authorization: api-key <key>`; a key sent as `Bearer` is 401 (A1, A2). A path without `/v1`,
 *   or an unknown workspace slug, is 404 (A4). Mutations take `?silent=true|false` (A5).
 * - Single create `POST /objects/{o}/records` and its alias `/resources` (B1), bulk create
 *   `POST /objects/{o}/records/bulk` (B3): 201 with the created resources (B15, B16), `id` in a create is
 *   422 (B2), batches atomic (B5, B6, B13). Create is a plain insert; a collision on the unique field
 *   (B11: person email, company domain, deal name) is a duplicate (B7, newest source SK3); `match_on`
 *   (top-level next to `data`, B8) on `/records` and `/records/bulk` only (B9) updates the one record it
 *   matches and returns its id, or creates (B10).
 * - `PATCH /objects/{o}/records/{id}`: only the given attributes change (U1). `GET .../records/{id}` and
 *   `.../resources/{id}` (Q2).
 * - `GET /objects/{o}/resources` (Q1) with `page[limit]` ≤ 500, default 500 (Q4, SK3: the live API
 *   rejects more), `page[offset]` (Q3); `meta {total_records, offset, limit}` (Q6); `links {next, prev}`
 *   always present, null at the ends (Q7); a non-null link is an `http://` URL that does not answer (Q8),
 *   so only a client that rebuilds the request from `page[offset]` gets the next page. Filters and sort in
 *   their documented forms (Q9–Q14; list-query.ts says which operators are simulated).
 * - Deal ↔ people relationships (R1, R7): PATCH replaces the whole set, 200 (R3, many-to-many); DELETE
 *   unlinks the listed people, 204 (R5).
 * - Attributes (F1–F13, attributes.ts): collections as `{items}` (bare array 422, F3), bare domains (F8),
 *   `YYYY-MM-DD` dates (a date-time is 422, ER9), amounts within DECIMAL(16,4) else 400 (F11),
 *   case-sensitive per-workspace selects (F12), `_` system fields refused (F13) and rendered on reads,
 *   UUID ids (F14), to-many relationships refused as attributes (B18).
 * - 409 "Schema is being modified by another request. Please retry." for the first `schemaBusy` writes
 *   (ER8). Rate limit 3,000 per 60 s per workspace per endpoint, a bulk request counting once, 429 with
 *   `Retry-After` (RL1–RL3).
 *
 * Conflicting sources, one variant each (variants.ts, `CLARIFY_VARIANTS`; the first value is the
 * default): person names `nested`/`flat` (F1, F2), lifecycle field `stage`/`status` (F7), `GET /schemas`
 * `array`/`keyed`/`unavailable` (SC2), error bodies `string`/`number`/`nest` (ER1–ER3), duplicate status
 * `400`/`422` (B12), relationship reads `identifiers`/`resources` (R6), rate headers
 * `X-RateLimit`/`none` (RL2). The bulk cap is 25 (B4: the stricter source), `page[limit]` 500 (Q4: the
 * newest source), and `links.next` null on the last page (Q7: newest source and the recording).
 *
 * Unknown, and the strict choice made: the same email/domain/name twice in one batch is 400 (B14); bulk
 * answers keep request order (B17); an unknown `company_id` is 422 (B19); a deal name is unique compared
 * case-insensitively (B11 names the field, not the comparison); match_on matching several records is a
 * duplicate; phones must be E.164 (F4 gives no format); `null` attribute values are refused (omit
 * instead); `name.full_name` is read-only; a `name` PATCH replaces the whole name object; unknown
 * attributes and query parameters are refused rather than ignored; the lifecycle and stage values default
 * to V-SCH's illustration and a stage set covering the recorded values (F7, F10).
 *
 * Not simulated (the sandbox answers 404/405/400 saying so): bulk PATCH and DELETE of records (U2–U8),
 * `include` (Q17), dotted filter paths (Q15), relationships other than deal → people, merges (M1),
 * `PATCH /schemas` (SC5), objects other than company/person/deal.
 */

export type { FaultRates } from '#sandbox/common/fault-plan.ts';
export type { FaultAction, FaultCounts, FaultHook, FaultKind } from '#sandbox/common/faults.ts';
export type { RequestLogEntry } from '#sandbox/common/request-log.ts';
export { type ClarifyEnums, DEFAULT_ENUMS } from './attributes.ts';
export type { ObjectType } from './ids.ts';
export type { ClarifySeed, SeededIds } from './seed.ts';
export type { StoredRecord } from './store.ts';
export { CLARIFY_VARIANTS, type ClarifyVariants } from './variants.ts';

export const DEFAULT_API_KEY = 'sandbox-key';
export const DEFAULT_WORKSPACE = 'ws_local';
/** RL1: 3,000 requests per minute, per workspace, per endpoint. */
export const DEFAULT_RATE: RateLimit = { limit: 3000, windowSeconds: 60 };

export interface ClarifySandboxOptions {
  apiKey?: string;
  /** The workspace slug in `/v1/workspaces/{slug}`; any other slug is 404 (A4). */
  workspace?: string;
  /** Per endpoint (RL1); tests scale it down. */
  rate?: RateLimit;
  /** Added to every API response, to model a real API's round trip. */
  latencyMs?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The workspace's select values (F7, F10, F12); defaults in `DEFAULT_ENUMS`. */
  enums?: Partial<ClarifyEnums>;
  /** Where the sources conflict, which candidate to simulate (`CLARIFY_VARIANTS`; first = default). */
  variants?: Partial<Variants<typeof CLARIFY_VARIANTS>>;
  /** ER8: the first N write requests answer 409 "Schema is being modified…" (default 0). */
  schemaBusy?: number;
  seed?: ClarifySeed;
  /** A hand-written hook, or rates for a seeded fault plan (`faultPlan`). */
  faults?: FaultHook | FaultRates;
  /** Keeps the workspace's records in this file across starts (the CLI's local target); else in memory. */
  recordsFile?: string;
}

export interface ClarifySandbox {
  /** e.g. `http://127.0.0.1:53211/v1/workspaces/ws_local` */
  baseUrl: string;
  apiKey: string;
  /** The variants in force (defaults filled in). */
  variants: ClarifyVariants;
  /** Records in creation order, attributes as written (normalized) without the `_` system fields. */
  records(object: ObjectType): StoredRecord[];
  dealPeople(dealId: string): string[];
  requests(): RequestLogEntry[];
  /** Faults injected so far, by kind. */
  faults(): FaultCounts;
  /** Ids of seeded records, in seed order. */
  seeded: SeededIds;
  /** With `recordsFile`: which keeping of the records this is (a new one after the file is removed). */
  generation?: string;
  close(): Promise<void>;
}

export async function startClarifySandbox(options: ClarifySandboxOptions = {}): Promise<ClarifySandbox> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const slug = options.workspace ?? DEFAULT_WORKSPACE;
  const basePath = `/v1/workspaces/${encodeURIComponent(slug)}`;
  const variants = resolveVariants(CLARIFY_VARIANTS, options.variants);
  const enums: ClarifyEnums = { ...DEFAULT_ENUMS, ...options.enums };
  for (const [name, values] of Object.entries(enums)) {
    if (values.length === 0) throw new RangeError(`enums.${name} must list at least one value`);
  }
  const busy = options.schemaBusy ?? 0;
  if (!Number.isInteger(busy) || busy < 0)
    throw new RangeError(`schemaBusy must be an integer ≥ 0, got ${busy}`);
  const models = workspaceModels(variants, enums);
  const journal = options.recordsFile ? Journal.open<ClarifyChange>(options.recordsFile) : undefined;
  const store = new ClarifyStore(models, Date.now, journal);
  const workspace = new ClarifyWorkspace(store, models, variants.duplicate === '400' ? 400 : 422);
  // Seed before listening so no client can observe a half-seeded workspace.
  const seeded = loadSeed(workspace, options.seed);
  const state: RouteState = { workspace, variants, busy: { left: busy } };
  const template = rateTemplate();
  const log = new RequestLog();
  const server = await startSandboxServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    latencyMs: options.latencyMs ?? 0,
    basePath,
    rate: options.rate ?? DEFAULT_RATE,
    rateLimitHeaders: variants.rateHeaders,
    authenticate: (req, pathname) => authenticate(req, pathname, apiKey, slug),
    // RL1: per workspace (this sandbox serves one, reached with its one key) and per endpoint.
    rateKey: (req, credential) => `${credential} ${template(req.method ?? 'GET', workspacePath(req))}`,
    renderError: errorRenderer(variants.errors),
    api: apiRoutes(state),
    inspect: inspectRoutes(state, log),
    faults: toFaultHook(options.faults),
    log,
  });
  return {
    baseUrl: `${server.origin}${basePath}`,
    apiKey,
    variants,
    records: (object) => store.list(object),
    dealPeople: (dealId) => store.peopleOf(dealId),
    requests: () => log.list(),
    faults: () => server.faults(),
    seeded,
    ...(journal ? { generation: journal.generation } : {}),
    close: () => server.close(),
  };
}

/**
 * A4 first (no `/v1` is 404 whatever the key), then the key (A1, A2), then the workspace (A4), so a
 * wrong key learns nothing about which workspaces exist.
 */
function authenticate(
  req: IncomingMessage,
  pathname: string,
  apiKey: string,
  slug: string,
): string | undefined {
  if (pathname !== '/v1' && !pathname.startsWith('/v1/')) {
    throw HttpError.of(404, 'Not found', `Cannot ${req.method} ${pathname} (API paths start with /v1)`);
  }
  const authorization = req.headers.authorization ?? '';
  const key = /^api-key\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (key !== apiKey) {
    if (/^Bearer\s/i.test(authorization)) {
      throw HttpError.of(
        401,
        'Unauthorized',
        'Bearer is for OAuth access tokens; send an API key as "Authorization: api-key <key>"',
      );
    }
    return undefined;
  }
  const given = /^\/v1\/workspaces\/([^/]+)(?:\/|$)/.exec(pathname)?.[1];
  if (given === undefined) throw HttpError.of(404, 'Not found', `Cannot ${req.method} ${pathname}`);
  if (safeDecode(given) !== slug) throw HttpError.of(404, 'Not found', 'Workspace not found');
  return key;
}

/** The path below `/v1/workspaces/{slug}` (authenticate has checked the prefix). */
function workspacePath(req: IncomingMessage): string {
  const pathname = new URL(req.url ?? '/', 'http://sandbox').pathname;
  return `/${pathname.split('/').slice(4).join('/')}`;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
