import { HttpError, type Reply } from '#sandbox/common/json-http.ts';
import { strictQuery } from '#sandbox/common/query-params.ts';
import type { RequestLog } from '#sandbox/common/request-log.ts';
import { Router } from '#sandbox/common/router.ts';
import type { Handler, RequestContext } from '#sandbox/common/sandbox-server.ts';
import type { ActuallyCareAccount } from './account.ts';
import { isResource, RESOURCES, type Resource } from './ids.ts';
import { type KeyScopes, permissionFor } from './scopes.ts';

/** ActuallyCare's REST routes, relative to `/v1`. */
export function apiRoutes(account: ActuallyCareAccount, scopes: KeyScopes): Router<Handler> {
  const allowed = (ctx: RequestContext): Resource => {
    const resource = resourceOf(ctx.params.resource ?? '', 404);
    ctx.annotate({ object: resource });
    scopes.require(ctx.apiKey ?? '', resource, permissionFor(ctx.method));
    return resource;
  };
  return new Router<Handler>()
    .on('GET', '/me', (ctx) => ok({ scopes: scopes.of(ctx.apiKey ?? '') }))
    .on('GET', '/:resource', (ctx) => listPage(ctx, allowed(ctx), account))
    .on('POST', '/:resource', (ctx) => {
      const resource = allowed(ctx);
      return { status: 201, body: { data: account.create(resource, ctx.json()) } };
    })
    .on('GET', '/:resource/:id', (ctx) => ok(account.find(allowed(ctx), ctx.params.id!)))
    .on('PATCH', '/:resource/:id', (ctx) => {
      const resource = allowed(ctx);
      return ok(account.update(resource, ctx.params.id!, ctx.json()));
    });
}

/** Observability routes under `/_sandbox`: no auth, no rate limit, not logged. */
export function inspectRoutes(account: ActuallyCareAccount, log: RequestLog): Router<Handler> {
  return new Router<Handler>()
    .on('GET', '/records', (ctx) => ok(account.list(resourceOf(ctx.query.get('resource') ?? '', 400))))
    .on('GET', '/requests', () => ok(log.list()));
}

export const MAX_LIMIT = 100;
const LIST_PARAMS = ['page', 'limit'];

/** The list shape the guide's import script reads: `data.<resource>` and `data.meta.hasMore`. */
function listPage(ctx: RequestContext, resource: Resource, account: ActuallyCareAccount): Reply {
  const query = strictQuery(ctx.query, LIST_PARAMS, 'bad_request');
  const page = query.integer('page', 1, 1, Number.MAX_SAFE_INTEGER);
  const limit = query.integer('limit', MAX_LIMIT, 1, MAX_LIMIT);
  const records = account.list(resource);
  const start = (page - 1) * limit;
  return ok({
    [resource]: records.slice(start, start + limit),
    meta: { hasMore: start + limit < records.length, page, limit, total: records.length },
  });
}

const ok = (data: unknown): Reply => ({ status: 200, body: { data } });

function resourceOf(value: string, status: 400 | 404): Resource {
  if (isResource(value)) return value;
  const detail = `Unknown resource '${value}'; expected one of ${RESOURCES.join(', ')}`;
  throw HttpError.of(status, status === 404 ? 'not_found' : 'bad_request', detail);
}
