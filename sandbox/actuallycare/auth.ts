import type { IncomingMessage } from 'node:http';
import { HttpError } from '#sandbox/common/json-http.ts';
import type { Resource } from './ids.ts';
import { checkScopes, type Permission, requireScope, type Scopes } from './scopes.ts';

/**
 * Who a request is (A1–A3, A6, A11, K1):
 * - an API key in `X-API-Key` (A1), or in its alias `API-Key` (A2); it acts with its scopes;
 * - a session token (a JWT from `POST /v1/auth/login`, which the sandbox does not simulate: A9 is
 *   unknown) in `Authorization: Bearer <token>` (A3); it acts as the user, so no scopes apply.
 *
 * An API key sent as `Bearer` is not a JWT and gets 401 (A3, inferred). `/v1/contacts`, `/v1/api-keys`,
 * `/v1/webhooks` and `/v1/billing` take only a JWT: an `X-API-Key` there gets 401 "No authentication token
 * provided" (A6, K1). Every 401 carries the class-style code `UnauthorizedError` (A11). When a request
 * carries both a key header and a Bearer token, the key is used outside the JWT-only groups (*assumed*).
 */

/** A JWT-shaped constant (three base64url parts, `eyJ...`); clearly not a real token. */
export const DEFAULT_SESSION_TOKEN = [
  { alg: 'HS256', typ: 'JWT' },
  { sub: 'sandbox-user', iss: 'actuallycare-sandbox', iat: 1781136000 },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat(Buffer.from('sandbox-signature-not-a-real-one').toString('base64url'))
  .join('.');

export const JWT_ONLY_PATHS = ['/v1/contacts', '/v1/api-keys', '/v1/webhooks', '/v1/billing'];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface Session {
  /** Requests accepted with this token so far. */
  uses: number;
  expired: boolean;
}

export class Credentials {
  private readonly keys = new Map<string, Scopes>();
  private readonly sessions = new Map<string, Session>();

  /**
   * @param keys each API key and its scopes
   * @param sessionTokens the valid session tokens
   * @param expiresAfter when set, a token stops working after this many accepted requests with it
   */
  constructor(
    keys: Record<string, unknown>,
    sessionTokens: readonly string[],
    private readonly expiresAfter?: number,
  ) {
    if (expiresAfter !== undefined && !(Number.isInteger(expiresAfter) && expiresAfter >= 1))
      throw new RangeError(`sessionExpiresAfter must be an integer ≥ 1, got ${expiresAfter}`);
    for (const [key, scopes] of Object.entries(keys)) this.keys.set(key, checkScopes(key, scopes));
    if (sessionTokens.length === 0) throw new RangeError('sessionTokens must hold at least one token');
    for (const token of sessionTokens) {
      if (!/^\S+$/.test(token)) throw new RangeError(`session token '${token}' must be non-empty, no spaces`);
      if (this.keys.has(token)) throw new RangeError(`session token '${token}' is also an API key`);
      this.sessions.set(token, { uses: 0, expired: false });
    }
  }

  /** The credential of an accepted request (the key or the token itself); throws the 401 otherwise. */
  authenticate(req: IncomingMessage, pathname: string): string {
    const bearer = bearerOf(req);
    if (JWT_ONLY_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))) {
      if (bearer === undefined) throw unauthorized('No authentication token provided');
      return this.session(bearer);
    }
    const key = apiKeyOf(req);
    if (key !== undefined) {
      if (this.keys.has(key)) return key;
      throw unauthorized('Invalid API key');
    }
    if (bearer !== undefined) return this.session(bearer);
    throw unauthorized('No authentication token provided');
  }

  /** Session tokens act as the user (no scopes); keys need the scope (S1–S5). */
  authorize(credential: string, resource: Resource, permission: Permission): void {
    if (this.sessions.has(credential)) return;
    requireScope(this.keys.get(credential) ?? {}, resource, permission);
  }

  /** Expires one token, or all of them; answers the tokens expired. */
  expire(token?: string): string[] {
    if (token !== undefined && !this.sessions.has(token))
      throw HttpError.of(404, 'NOT_FOUND', `'${token}' is not a session token of this sandbox`);
    const tokens = token === undefined ? [...this.sessions.keys()] : [token];
    for (const each of tokens) this.sessions.get(each)!.expired = true;
    return tokens;
  }

  private session(token: string): string {
    const session = this.sessions.get(token);
    if (!session) throw unauthorized(JWT_SHAPE.test(token) ? 'invalid signature' : 'jwt malformed');
    if (session.expired) throw unauthorized('jwt expired');
    session.uses++;
    if (this.expiresAfter !== undefined && session.uses >= this.expiresAfter) session.expired = true;
    return token;
  }
}

/** `Authorization: Bearer <token>`; the scheme name is case-insensitive as in any HTTP auth scheme. */
function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** `X-API-Key` (A1), else its alias `API-Key` (A2). An empty header counts as absent. */
function apiKeyOf(req: IncomingMessage): string | undefined {
  for (const name of ['x-api-key', 'api-key']) {
    const value = req.headers[name];
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (text) return text;
  }
  return undefined;
}

const unauthorized = (message: string): HttpError => HttpError.of(401, 'UnauthorizedError', message);
