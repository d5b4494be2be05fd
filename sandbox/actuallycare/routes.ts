import { HttpError, type Reply } from '#sandbox/common/json-http.ts';
import { strictQuery } from '#sandbox/common/query-params.ts';
import type { RequestLog } from '#sandbox/common/request-log.ts';
import { type RouteMatch, Router } from '#sandbox/common/router.ts';
import type { Handler, RequestContext } from '#sandbox/common/sandbox-server.ts';
import type { ActuallyCareAccount, StoredRecord } from './account.ts';
import type { Credentials } from './auth.ts';
import { ok } from './envelope.ts';
import { isResource, RESOURCES, type Resource, SINGULAR } from './ids.ts';
import {
  CLIENT_STATUSES,
  CLIENT_TYPES,
  ESCROW_STATUSES,
  INTEREST_LEVELS,
  isIsoDate,
  LEAD_STATUSES,
} from './schemas.ts';
import { permissionFor } from './scopes.ts';

/** How a single record is answered: `data: {id,...}` or `data: {client: {id,...}}` (variant, E5). */
export type CreatedShape = 'flat' | 'wrapped';

/**
 * An Express-style router: a path served for other methods answers 404 like any unknown route (the
 * shared router would say 405), so `PATCH /v1/clients/:id` is a plain 404 (C1: updates are PUT).
 */
class ExpressRouter extends Router<Handler> {
  override match(method: string, pathname: string): RouteMatch<Handler> {
    try {
      return super.match(method, pathname);
    } catch (error) {
      if (error instanceof HttpError && error.status === 405)
        throw HttpError.of(404, 'NOT_FOUND', `Cannot ${method} /v1${pathname}`);
      throw error;
    }
  }
}

/** ActuallyCare's REST routes, relative to `/v1` (C1, L1, K2, X1). */
export function apiRoutes(
  account: ActuallyCareAccount,
  credentials: Credentials,
  created: CreatedShape,
): Router<Handler> {
  const allowed = (ctx: RequestContext): Resource => {
    const resource = resourceOf(ctx.params.resource ?? '');
    ctx.annotate({ object: resource });
    credentials.authorize(ctx.apiKey ?? '', resource, permissionFor(ctx.method));
    return resource;
  };
  const single = (resource: Resource, record: StoredRecord, status = 200): Reply =>
    ok(created === 'wrapped' ? { [SINGULAR[resource]]: record } : record, status);
  return new ExpressRouter()
    .on('GET', '/:resource', (ctx) => listPage(ctx, allowed(ctx), account))
    .on('POST', '/:resource', (ctx) => {
      const resource = allowed(ctx);
      return single(resource, account.create(resource, ctx.json()), 201); // E4
    })
    .on('GET', '/:resource/:id', (ctx) => {
      const resource = allowed(ctx);
      return single(resource, account.find(resource, ctx.params.id!));
    })
    .on('PUT', '/:resource/:id', (ctx) => {
      const resource = allowed(ctx);
      return single(resource, account.update(resource, ctx.params.id!, ctx.json()));
    })
    .on('DELETE', '/:resource/:id', (ctx) => {
      const resource = allowed(ctx);
      account.remove(resource, ctx.params.id!);
      return ok({ id: ctx.params.id }); // *assumed*: the answer to a delete is not documented
    });
}

/** Observability routes under `/_sandbox`: no auth, no rate limit, not logged. */
export function inspectRoutes(
  account: ActuallyCareAccount,
  log: RequestLog,
  credentials: Credentials,
): Router<Handler> {
  return new Router<Handler>()
    .on('GET', '/records', (ctx) => {
      const resource = ctx.query.get('resource') ?? '';
      if (!isResource(resource)) {
        const detail = `resource must be one of ${RESOURCES.join(', ')}; got '${resource}'`;
        throw HttpError.of(400, 'BAD_REQUEST', detail, { parameter: 'resource' });
      }
      return ok(account.list(resource));
    })
    .on('GET', '/requests', () => ok(log.list()))
    .on('POST', '/expire-session', (ctx) => ok({ expired: credentials.expire(tokenOf(ctx)) }));
}

/** `{"token": "..."}`, or no body (or `{}`) for every token. */
function tokenOf(ctx: RequestContext): string | undefined {
  let body: unknown;
  try {
    body = ctx.json();
  } catch (error) {
    // 415: no JSON content type, i.e. no body was sent.
    if (error instanceof HttpError && error.status === 415) return undefined;
    throw error;
  }
  const token = (body as { token?: unknown } | null)?.token;
  if (token === undefined) return undefined;
  if (typeof token !== 'string')
    throw HttpError.of(400, 'BAD_REQUEST', 'token must be a string', { pointer: '/token' });
  return token;
}

export const MAX_LIMIT = 100;

/**
 * Each list's documented query parameters (P4: nothing else is accepted) and filters: clients C2, leads
 * L2, contacts K3, escrows X2. `page` ≥ 1 (default 1) and `limit` 1..100 (default 25, escrows 20) (P1,
 * P2). The answer is `data: {<resource>: [...], meta: {page, limit, total, totalPages, hasMore}}` (E2,
 * P3); leads add `stats` and `cursors`, contacts and escrows `stats` (E3). What stats and cursors hold is
 * not documented (P5): theirs here is a guess, and no cursor parameter is accepted.
 */
interface ListSpec {
  params: readonly string[];
  defaultLimit: number;
  /** Applies the filters (and sort) of the query to the records in creation order. */
  select(records: StoredRecord[], query: Query): StoredRecord[];
  extras?(selected: StoredRecord[], page: number, totalPages: number): Record<string, unknown>;
}

const LISTS: Record<Resource, ListSpec> = {
  clients: {
    params: ['client_type', 'status', 'page', 'limit'],
    defaultLimit: 25,
    select: (records, query) =>
      records
        .filter(equals('client_type', query.oneOf('client_type', CLIENT_TYPES)))
        .filter(equals('status', query.oneOf('status', CLIENT_STATUSES))),
  },
  leads: {
    params: ['status', 'interest_level', 'page', 'limit'],
    defaultLimit: 25,
    select: (records, query) =>
      records
        .filter(equals('status', query.oneOf('status', LEAD_STATUSES)))
        .filter(equals('interest_level', query.oneOf('interest_level', INTEREST_LEVELS))),
    extras: (selected, page, totalPages) => ({
      stats: { total: selected.length, byStatus: countBy(selected, 'status') },
      cursors: {
        next: page < totalPages ? opaque(`leads:${page + 1}`) : null,
        prev: page > 1 ? opaque(`leads:${page - 1}`) : null,
      },
    }),
  },
  contacts: {
    params: ['search', 'type', 'archived', 'page', 'limit'],
    defaultLimit: 25,
    select: (records, query) => {
      const search = query.text('search')?.toLowerCase();
      const type = query.text('type')?.toLowerCase();
      // Nothing is ever archived in the sandbox (DELETE removes): archived=true lists none (K7).
      if (query.flag('archived')) return [];
      return records
        .filter((record) => type === undefined || String(record.contact_type).toLowerCase() === type)
        .filter((record) => {
          if (search === undefined) return true;
          const fullName = [record.first_name, record.last_name].filter(Boolean).join(' ');
          return [fullName, record.email].some((v) =>
            String(v ?? '')
              .toLowerCase()
              .includes(search),
          );
        });
    },
    extras: (selected) => ({ stats: { total: selected.length, byType: countBy(selected, 'contact_type') } }),
  },
  escrows: {
    params: [
      'status',
      'search',
      'minPrice',
      'maxPrice',
      'closingDateStart',
      'closingDateEnd',
      'archived',
      'sort',
      'order',
      'page',
      'limit',
    ],
    defaultLimit: 20,
    select: (records, query) => {
      const status = query.oneOf('status', ESCROW_STATUSES, true);
      const search = query.text('search')?.toLowerCase();
      const minPrice = query.number('minPrice');
      const maxPrice = query.number('maxPrice');
      const from = query.date('closingDateStart');
      const to = query.date('closingDateEnd');
      const sort = query.oneOf('sort', ESCROW_SORTS) ?? 'created_at';
      const order = query.oneOf('order', ['asc', 'desc']) ?? 'desc';
      if (query.flag('archived')) return [];
      const price = (record: StoredRecord) => record.purchase_price as number;
      const closing = (record: StoredRecord) => record.closing_date as string | undefined;
      const selected = records
        .map((record, index) => ({ record, index }))
        .filter(({ record }) => status === undefined || record.status === status)
        .filter(
          ({ record }) =>
            search === undefined ||
            [record.property_address, record.id].some((v) => String(v).toLowerCase().includes(search)),
        )
        .filter(({ record }) => minPrice === undefined || price(record) >= minPrice)
        .filter(({ record }) => maxPrice === undefined || price(record) <= maxPrice)
        .filter(({ record }) => from === undefined || (closing(record) ?? '') >= from)
        .filter(({ record }) => to === undefined || (closing(record) ?? '9999') <= to);
      // X2: sorted by created_at, newest first, unless told otherwise.
      const key = (item: { record: StoredRecord; index: number }) =>
        sort === 'created_at' ? item.index : item.record[sort];
      const direction = order === 'asc' ? 1 : -1;
      selected.sort((a, b) => compare(key(a), key(b), (a.index - b.index) * direction, direction));
      return selected.map(({ record }) => record);
    },
    extras: (selected) => ({
      stats: {
        total: selected.length,
        totalVolume: selected.reduce((sum, record) => sum + (record.purchase_price as number), 0),
        byStatus: countBy(selected, 'status'),
      },
    }),
  },
};

const ESCROW_SORTS = ['created_at', 'purchase_price', 'closing_date', 'property_address', 'status'] as const;

function listPage(ctx: RequestContext, resource: Resource, account: ActuallyCareAccount): Reply {
  const spec = LISTS[resource];
  const strict = strictQuery(ctx.query, spec.params, 'BAD_REQUEST');
  const page = strict.integer('page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = strict.integer('limit', spec.defaultLimit, 1, MAX_LIMIT);
  const selected = spec.select(account.list(resource), new Query(ctx.query));
  const total = selected.length;
  const totalPages = Math.ceil(total / limit);
  const start = (page - 1) * limit;
  return ok({
    [resource]: selected.slice(start, start + limit),
    meta: { page, limit, total, totalPages, hasMore: start + limit < total },
    ...spec.extras?.(selected, page, totalPages),
  });
}

/** Typed reads of an already strict-checked query; a bad value is a 400 naming the parameter (X2, ER5). */
class Query {
  constructor(private readonly query: URLSearchParams) {}

  text(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  oneOf<T extends string>(name: string, values: readonly T[], caseInsensitive = false): T | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = (caseInsensitive ? raw.toLowerCase() : raw) as T;
    if (!values.includes(value)) throw bad(name, `${name} must be one of ${values.join(', ')}; got '${raw}'`);
    return value;
  }

  flag(name: string): boolean {
    return this.oneOf(name, ['true', 'false']) === 'true';
  }

  number(name: string): number | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value)) throw bad(name, `${name} must be a number ≥ 0; got '${raw}'`);
    return value;
  }

  date(name: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    if (!isIsoDate(raw)) throw bad(name, `${name} must be an ISO date like 2026-06-30; got '${raw}'`);
    return raw;
  }
}

const bad = (parameter: string, detail: string): HttpError =>
  HttpError.of(400, 'BAD_REQUEST', detail, { parameter });

const equals =
  (field: string, value: string | undefined) =>
  (record: StoredRecord): boolean =>
    value === undefined || record[field] === value;

function countBy(records: StoredRecord[], field: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const value = record[field];
    if (typeof value === 'string') counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/** Orders numbers and strings in `direction`; a missing value sorts last either way. */
function compare(a: unknown, b: unknown, tie: number, direction: number): number {
  if (a === b) return tie;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return ((a as number | string) < (b as number | string) ? -1 : 1) * direction;
}

const opaque = (text: string): string => Buffer.from(text).toString('base64url');

function resourceOf(value: string): Resource {
  if (isResource(value)) return value;
  throw HttpError.of(404, 'NOT_FOUND', `Route /v1/${value} not found`);
}
