import { z } from 'zod';
import { HttpError } from '#sandbox/common/json-http.ts';
import { RESOURCES, type Resource } from './ids.ts';

/**
 * API key scopes as the guide shows them: `{"clients":["read","write"],"leads":["read","write"]}`.
 * Reading a resource needs `read`, creating or updating it needs `write`; a key with no permission at
 * all is refused everywhere, even on `GET /v1/me` (the guide: "a key with no scopes gets 403 on
 * everything"), so a client that checks its key up front gets the clear answer either way.
 */

export type Permission = 'read' | 'write';
export type Scopes = Record<string, Permission[]>;

export const scopesSchema = z.record(
  z.string(),
  z.array(z.enum(['read', 'write'], { error: "a scope's permissions are 'read' and/or 'write'" }), {
    error: 'each scope must be an array of permissions, e.g. ["read","write"]',
  }),
  { error: 'scopes must be an object like {"leads":["read","write"]}' },
);

/** Every resource, read and write: what a sandbox key can do unless told otherwise. */
export const FULL_SCOPES: Scopes = Object.fromEntries(
  RESOURCES.map((resource) => [resource, ['read', 'write'] as Permission[]]),
);

export const permissionFor = (method: string): Permission => (method === 'GET' ? 'read' : 'write');

const hasAny = (scopes: Scopes): boolean =>
  Object.values(scopes).some((permissions) => permissions.length > 0);

/** The scopes of each accepted key; unknown keys are the pipeline's 401, not this class's business. */
export class KeyScopes {
  private readonly byKey = new Map<string, Scopes>();

  constructor(keys: Record<string, Scopes>) {
    for (const [key, scopes] of Object.entries(keys)) {
      const parsed = scopesSchema.safeParse(scopes);
      if (!parsed.success) throw new RangeError(`scopes of key '${key}': ${parsed.error.issues[0]?.message}`);
      this.byKey.set(key, normalise(parsed.data));
    }
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** A copy of the key's scopes, for `GET /v1/me`; 403 when the key has none at all. */
  of(key: string): Scopes {
    const scopes = this.byKey.get(key) ?? {};
    if (!hasAny(scopes)) throw forbidden('key has no scopes');
    return structuredClone(scopes);
  }

  /** Throws the 403 the API answers when the key may not do `permission` on `resource`. */
  require(key: string, resource: Resource, permission: Permission): void {
    const scopes = this.of(key);
    if (!scopes[resource]?.includes(permission)) throw forbidden(`key lacks ${resource}:${permission}`);
  }
}

// Duplicates would make `GET /v1/me` echo them back; a real API stores a set.
const normalise = (scopes: Scopes): Scopes =>
  Object.fromEntries(
    Object.entries(scopes).map(([resource, permissions]) => [
      resource,
      (['read', 'write'] as const).filter((permission) => permissions.includes(permission)),
    ]),
  );

const forbidden = (detail: string): HttpError => HttpError.of(403, 'forbidden', detail);
