import { z } from 'zod';
import { HttpError } from '#sandbox/common/json-http.ts';
import type { Resource } from './ids.ts';

/**
 * API key scopes (S1): an object mapping a resource to its actions, `{"clients":["read","write"]}`, with
 * `all` as the wildcard resource (S2). GET needs `read`; POST, PUT and DELETE need `write` (S4 shows only
 * these two actions). A missing scope is a 403, and a key with no scopes gets 403 on every endpoint (S5).
 * The 403's `error.code` is not documented (S6): `FORBIDDEN` is *assumed*. A key cannot read its own
 * scopes: there is no `/v1/me` (S8).
 */

export type Permission = 'read' | 'write';
export type Scopes = Record<string, Permission[]>;

export const scopesSchema = z.record(
  z.string(),
  z.array(z.enum(['read', 'write'], { error: "a scope's actions are 'read' and/or 'write'" }), {
    error: 'each scope must be an array of actions, e.g. ["read","write"]',
  }),
  { error: 'scopes must be an object like {"leads":["read","write"]}' },
);

/** Every resource, read and write, through the `all` wildcard (S2): a sandbox key's default. */
export const FULL_SCOPES: Scopes = { all: ['read', 'write'] };

export const permissionFor = (method: string): Permission => (method === 'GET' ? 'read' : 'write');

/** Checked scopes of one key. */
export function checkScopes(key: string, scopes: unknown): Scopes {
  const parsed = scopesSchema.safeParse(scopes);
  if (!parsed.success) throw new RangeError(`scopes of key '${key}': ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Throws the 403 the API answers when a key with `scopes` may not do `permission` on `resource`. */
export function requireScope(scopes: Scopes, resource: Resource, permission: Permission): void {
  const hasAny = Object.values(scopes).some((actions) => actions.length > 0);
  if (!hasAny) throw forbidden('API key has no scopes');
  const allowed = scopes[resource]?.includes(permission) || scopes.all?.includes(permission);
  if (!allowed) throw forbidden(`API key lacks the ${resource}:${permission} scope`);
}

const forbidden = (detail: string): HttpError => HttpError.of(403, 'FORBIDDEN', detail);
