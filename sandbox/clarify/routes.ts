import { HttpError, type Reply } from '#sandbox/common/json-http.ts';
import type { RequestLog } from '#sandbox/common/request-log.ts';
import { Router } from '#sandbox/common/router.ts';
import type { Handler, RequestContext } from '#sandbox/common/sandbox-server.ts';
import { isObjectType, OBJECT_TYPES, type ObjectType } from './ids.ts';
import { keyedSchemas, schemaResources } from './json-schema.ts';
import { checkParams, isPageParam, listQuery, pageEnvelope, pageOf } from './list-query.ts';
import type { ClarifyVariants } from './variants.ts';
import type { ClarifyWorkspace } from './workspace.ts';

/** Clarify's REST routes, relative to `/v1/workspaces/{slug}`. */

export interface RouteState {
  workspace: ClarifyWorkspace;
  variants: ClarifyVariants;
  /** ER8: how many write requests are still to answer 409 "Schema is being modified". */
  busy: { left: number };
}

/** B4: 25, the stricter of the sources (SK3 says there is no fixed cap). */
export const MAX_BULK_ITEMS = 25;

type Route = { method: string; pattern: string; handler: Handler };

function routeTable(state: RouteState): Route[] {
  const { workspace } = state;
  const write =
    (handler: Handler): Handler =>
    (ctx) => {
      if (state.busy.left > 0) {
        state.busy.left--;
        throw HttpError.of(409, 'Conflict', 'Schema is being modified by another request. Please retry.');
      }
      // A5: mutations take `?silent=true` (no notifications); nothing else.
      checkParams(ctx.query, (name) => name === 'silent');
      const silent = ctx.query.get('silent');
      if (silent !== null && silent !== 'true' && silent !== 'false') {
        throw HttpError.of(400, 'Bad request', `silent must be true or false; got '${silent}'`, {
          parameter: 'silent',
        });
      }
      return handler(ctx);
    };
  const created = (
    ctx: RequestContext,
    object: ObjectType,
    many: boolean,
    matchOnAllowed: boolean,
  ): Reply => {
    const body = documentOf(ctx, matchOnAllowed ? ['data', 'match_on'] : ['data']);
    const matchOn = matchOnOf(body);
    const data = body.data;
    if (many) {
      if (!Array.isArray(data)) throw badDocument('data must be an array of resource objects');
      ctx.annotate({ items: data.length });
      if (data.length === 0) throw badDocument('data must hold at least one resource object');
      if (data.length > MAX_BULK_ITEMS) {
        throw badDocument(
          `data holds ${data.length} items; at most ${MAX_BULK_ITEMS} are allowed per request (B4)`,
        );
      }
      const pointers = data.map((_, index) => `/data/${index}`);
      const records = workspace.create(object, data, pointers, matchOn);
      return { status: 201, body: { data: records.map((r) => workspace.store.resource(object, r.id)) } };
    }
    if (Array.isArray(data)) {
      throw badDocument('data must be one resource object; create many with POST .../records/bulk');
    }
    ctx.annotate({ items: 1 });
    const [record] = workspace.create(object, [data], ['/data'], matchOn);
    return { status: 201, body: { data: workspace.store.resource(object, record!.id) } };
  };
  const getOne: Handler = (ctx) => {
    const object = objectOf(ctx);
    checkParams(ctx.query, () => false);
    const record = workspace.find(object, ctx.params.id!);
    return { status: 200, body: { data: workspace.store.resource(object, record.id) } };
  };

  return [
    {
      method: 'GET',
      pattern: '/schemas',
      handler: (ctx) => {
        const shape = state.variants.schemas;
        if (shape === 'unavailable') throw HttpError.of(404, 'Not found', 'Cannot GET /schemas');
        const models = workspace.models;
        if (shape === 'keyed') {
          checkParams(ctx.query, () => false);
          return { status: 200, body: { data: keyedSchemas(models) } };
        }
        checkParams(ctx.query, isPageParam);
        const page = pageOf(ctx.query);
        const all = schemaResources(models);
        const data = all.slice(page.offset, page.offset + page.limit);
        return { status: 200, body: { data, ...pageEnvelope(pathOf(ctx), ctx.query, page, all.length) } };
      },
    },
    // B1, B8: single create; match_on allowed.
    {
      method: 'POST',
      pattern: '/objects/:object/records',
      handler: write((ctx) => created(ctx, objectOf(ctx), false, true)),
    },
    // B3, B8: bulk create; match_on allowed.
    {
      method: 'POST',
      pattern: '/objects/:object/records/bulk',
      handler: write((ctx) => created(ctx, objectOf(ctx), true, true)),
    },
    // B1, B9: the alias takes no match_on.
    {
      method: 'POST',
      pattern: '/objects/:object/resources',
      handler: write((ctx) => created(ctx, objectOf(ctx), false, false)),
    },
    // Q1–Q14: the collection is read at /resources only.
    {
      method: 'GET',
      pattern: '/objects/:object/resources',
      handler: (ctx) => {
        const object = objectOf(ctx);
        const query = listQuery(ctx.query, workspace.models[object]);
        const records = query.apply([...workspace.store.scan(object)]);
        const { limit, offset } = query.page;
        const data = records.slice(offset, offset + limit).map((r) => workspace.store.resource(object, r.id));
        return {
          status: 200,
          body: { data, ...pageEnvelope(pathOf(ctx), ctx.query, query.page, records.length) },
        };
      },
    },
    // Q2
    { method: 'GET', pattern: '/objects/:object/resources/:id', handler: getOne },
    { method: 'GET', pattern: '/objects/:object/records/:id', handler: getOne },
    // U1
    {
      method: 'PATCH',
      pattern: '/objects/:object/records/:id',
      handler: write((ctx) => {
        const object = objectOf(ctx);
        const body = documentOf(ctx, ['data']);
        const record = workspace.update(object, ctx.params.id!, body.data);
        return { status: 200, body: { data: workspace.store.resource(object, record.id) } };
      }),
    },
    // R1, R6: identifiers, or full resources paginated, per the `relationships` variant.
    {
      method: 'GET',
      pattern: RELATIONSHIP,
      handler: (ctx) => {
        const dealId = dealOf(ctx);
        const people = workspace.dealPeople(dealId);
        if (state.variants.relationships === 'identifiers') {
          checkParams(ctx.query, () => false);
          return { status: 200, body: { data: identifiers(people) } };
        }
        checkParams(ctx.query, isPageParam);
        const page = pageOf(ctx.query);
        const data = people
          .slice(page.offset, page.offset + page.limit)
          .map((id) => workspace.store.resource('person', id));
        return { status: 200, body: { data, ...pageEnvelope(pathOf(ctx), ctx.query, page, people.length) } };
      },
    },
    // R2, R3, R5: replace the whole set, 200 with the set.
    {
      method: 'PATCH',
      pattern: RELATIONSHIP,
      handler: write((ctx) => {
        const dealId = dealOf(ctx);
        const { data } = documentOf(ctx, ['data']);
        if (Array.isArray(data)) ctx.annotate({ items: data.length });
        return { status: 200, body: { data: identifiers(workspace.replaceDealPeople(dealId, data)) } };
      }),
    },
    // R2, R5: unlink the listed ones, 204.
    {
      method: 'DELETE',
      pattern: RELATIONSHIP,
      handler: write((ctx) => {
        const dealId = dealOf(ctx);
        const { data } = documentOf(ctx, ['data']);
        if (Array.isArray(data)) ctx.annotate({ items: data.length });
        workspace.unlinkDealPeople(dealId, data);
        return { status: 204 };
      }),
    },
  ];
}

const RELATIONSHIP = '/objects/:object/records/:id/relationships/:relationship';

export function apiRoutes(state: RouteState): Router<Handler> {
  const router = new Router<Handler>();
  for (const { method, pattern, handler } of routeTable(state)) router.on(method, pattern, handler);
  return router;
}

/**
 * What the rate limit counts by (RL1: per workspace, per endpoint): the route template with every path
 * parameter, the object name included, replaced by `*`, e.g. `POST /objects/*\/records/bulk`. Counting
 * all objects' creates in one window is the strict reading of "per endpoint". A path that matches no
 * route counts as itself.
 */
export function rateTemplate(): (method: string, relativePath: string) => string {
  const templates = new Router<string>();
  for (const { method, pattern } of routeTable(DUMMY_STATE)) {
    templates.on(method, pattern, pattern.replaceAll(/:[a-z]+/g, '*'));
  }
  return (method, relativePath) => {
    try {
      return `${method} ${templates.match(method, relativePath).handler}`;
    } catch {
      return `${method} ${relativePath}`;
    }
  };
}

// Only the patterns of the table are read; its handlers are never called.
const DUMMY_STATE = {} as RouteState;

/** Observability routes under `/_sandbox`: no auth, no rate limit, not logged. */
export function inspectRoutes(state: RouteState, log: RequestLog): Router<Handler> {
  const { workspace } = state;
  return new Router<Handler>()
    .on('GET', '/records', (ctx) => {
      const object = ctx.query.get('object') ?? '';
      if (!isObjectType(object)) throw unknownObject(object, 400);
      return { status: 200, body: { data: workspace.store.list(object) } };
    })
    .on('GET', '/requests', () => ({ status: 200, body: { data: log.list() } }))
    .on('GET', '/deal-people', (ctx) => ({
      status: 200,
      body: { data: identifiers(workspace.dealPeople(ctx.query.get('deal') ?? '')) },
    }))
    .on('GET', '/variants', () => ({ status: 200, body: { data: state.variants } }));
}

/** The request document: a JSON object with `data` and only the `allowed` members. */
function documentOf(ctx: RequestContext, allowed: string[]): Record<string, unknown> {
  const body = ctx.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw HttpError.of(400, 'Bad request', 'The request body must be a JSON object with a data member');
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      const why =
        key === 'match_on' ? ': match_on is taken by POST .../records and .../records/bulk only (B9)' : '';
      throw HttpError.of(400, 'Bad request', `'${key}' is not a member of this request document${why}`, {
        pointer: `/${key}`,
      });
    }
  }
  if (!('data' in body)) throw badDocument('data is required');
  return body as Record<string, unknown>;
}

function matchOnOf(body: Record<string, unknown>): string | undefined {
  const matchOn = body.match_on;
  if (matchOn === undefined) return undefined;
  if (typeof matchOn !== 'string') {
    throw HttpError.of(400, 'Bad request', 'match_on must be a string naming the unique field (B8)', {
      pointer: '/match_on',
    });
  }
  return matchOn;
}

const badDocument = (detail: string): HttpError =>
  HttpError.of(400, 'Bad request', detail, { pointer: '/data' });

const unknownObject = (object: string, status: number): HttpError =>
  HttpError.of(
    status,
    status === 404 ? 'Not found' : 'Bad request',
    `Unknown object '${object}'; the sandbox simulates ${OBJECT_TYPES.join(', ')}`,
  );

function objectOf(ctx: RequestContext): ObjectType {
  const object = ctx.params.object ?? '';
  if (!isObjectType(object)) throw unknownObject(object, 404);
  ctx.annotate({ object });
  return object;
}

/** R7: deal ↔ people is the one relationship the sandbox simulates. */
function dealOf(ctx: RequestContext): string {
  const object = objectOf(ctx);
  const relationship = ctx.params.relationship;
  if (object !== 'deal' || relationship !== 'people') {
    throw HttpError.of(
      404,
      'Not found',
      `Relationship '${relationship}' of ${object} is not simulated by the sandbox (only deal → people)`,
    );
  }
  return ctx.params.id!;
}

const pathOf = (ctx: RequestContext): string => ctx.path.split('?')[0]!;

const identifiers = (ids: string[]) => ids.map((id) => ({ id, type: 'person' }));
