import { HttpError } from '#sandbox/common/json-http.ts';
import { strictQuery } from '#sandbox/common/query-params.ts';
import type { RequestLog } from '#sandbox/common/request-log.ts';
import { Router } from '#sandbox/common/router.ts';
import type { Handler, RequestContext } from '#sandbox/common/sandbox-server.ts';
import type { ObjectType } from './ids.ts';
import { OBJECT_TYPES } from './schemas.ts';
import type { StoredRecord } from './store.ts';
import type { ClarifyWorkspace } from './workspace.ts';

/** Clarify's REST routes, relative to `/v1/workspaces/{ws}`. */
export function apiRoutes(workspace: ClarifyWorkspace): Router<Handler> {
  return new Router<Handler>()
    .on('POST', '/objects/:object/records/bulk', (ctx) => {
      const object = objectOf(ctx);
      const body = ctx.json();
      const data = (body as { data?: unknown } | null)?.data;
      if (Array.isArray(data)) ctx.annotate({ items: data.length });
      return { status: 201, body: { data: workspace.createBatch(object, body).map(resource) } };
    })
    .on('GET', '/objects/:object/resources', (ctx) => listPage(ctx, workspace))
    .on('GET', '/objects/:object/records/:id', (ctx) => ({
      status: 200,
      body: { data: resource(workspace.find(objectOf(ctx), ctx.params.id!)) },
    }))
    .on('PATCH', '/objects/:object/records/:id', (ctx) => {
      const object = objectOf(ctx);
      return { status: 200, body: { data: resource(workspace.update(object, ctx.params.id!, ctx.json())) } };
    })
    .on('GET', '/objects/deal/records/:id/relationships/people', (ctx) => {
      ctx.annotate({ object: 'deal' });
      return { status: 200, body: { data: identifiers(workspace.dealPeople(ctx.params.id!)) } };
    })
    .on('PATCH', '/objects/deal/records/:id/relationships/people', (ctx) => {
      ctx.annotate({ object: 'deal' });
      const people = workspace.replaceDealPeople(ctx.params.id!, ctx.json());
      return { status: 200, body: { data: identifiers(people) } };
    });
}

/** Observability routes under `/_sandbox`: no auth, no rate limit, not logged. */
export function inspectRoutes(workspace: ClarifyWorkspace, log: RequestLog): Router<Handler> {
  return new Router<Handler>()
    .on('GET', '/records', (ctx) => {
      const object = ctx.query.get('object') ?? '';
      if (!isObject(object)) throw unknownObject(object, 400);
      return { status: 200, body: { data: workspace.store.list(object).map(resource) } };
    })
    .on('GET', '/requests', () => ({ status: 200, body: { data: log.list() } }))
    .on('GET', '/deal-people', (ctx) => ({
      status: 200,
      body: { data: identifiers(workspace.dealPeople(ctx.query.get('deal') ?? '')) },
    }));
}

const PAGE_PARAMS = ['page[limit]', 'page[offset]'];

function listPage(ctx: RequestContext, workspace: ClarifyWorkspace) {
  const object = objectOf(ctx);
  const query = strictQuery(ctx.query, PAGE_PARAMS, 'Invalid query parameter');
  const limit = query.integer('page[limit]', 25, 1, 100);
  const offset = query.integer('page[offset]', 0, 0, Number.MAX_SAFE_INTEGER);
  const records = workspace.store.list(object);
  const nextOffset = offset + limit;
  const pathname = ctx.path.split('?')[0];
  const next =
    nextOffset < records.length
      ? `${ctx.origin}${pathname}?page[limit]=${limit}&page[offset]=${nextOffset}`
      : null;
  return {
    status: 200,
    body: {
      data: records.slice(offset, nextOffset).map(resource),
      links: { next },
      meta: { total: records.length },
    },
  };
}

const isObject = (value: string): value is ObjectType => (OBJECT_TYPES as readonly string[]).includes(value);

const unknownObject = (object: string, status: number): HttpError =>
  HttpError.of(
    status,
    status === 404 ? 'Not found' : 'Bad request',
    `Unknown object '${object}'; expected one of ${OBJECT_TYPES.join(', ')}`,
  );

function objectOf(ctx: RequestContext): ObjectType {
  const object = ctx.params.object ?? '';
  if (!isObject(object)) throw unknownObject(object, 404);
  ctx.annotate({ object });
  return object;
}

const resource = ({ id, type, attributes }: StoredRecord) => ({ id, type, attributes });
const identifiers = (ids: string[]) => ids.map((id) => ({ id, type: 'person' }));
