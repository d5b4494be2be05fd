import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultAction, type FaultCounts, type FaultHook, noFaults, sleep } from './faults.ts';
import { HttpError, parseJsonBody, type Reply, readBody, sendJson } from './json-http.ts';
import { RequestLog, type RequestLogEntry } from './request-log.ts';
import type { Router } from './router.ts';
import { KeyedRateLimiter, type RateLimit, type RateLimitHeaderStyle } from './sliding-window.ts';

/**
 * The request pipeline every sandbox shares: auth → rate limit → fault → route → answer after the
 * configured latency (an injected throttle answers before the rate limit; see faults.ts). Observability
 * routes under `/_sandbox/` skip all of it (and the log), so inspecting a sandbox never changes what it
 * measures.
 */

export interface RequestContext {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** `http://host:port` of this server, for absolute links. */
  origin: string;
  /** The key `authenticate` accepted; absent on `/_sandbox` routes, which take no key. */
  apiKey?: string;
  json(): unknown;
  /** Adds what the request addressed to its log entry. */
  annotate(info: Pick<RequestLogEntry, 'object' | 'items'>): void;
}

export type Handler = (ctx: RequestContext) => Reply;

export interface SandboxServerOptions {
  host: string;
  port: number;
  latencyMs: number;
  /** Prefix of every API route, e.g. `/v1/workspaces/ws_local`. */
  basePath: string;
  rate: RateLimit;
  /**
   * The rate-limit headers every answer carries (`RateLimit-*` or `X-RateLimit-*`), or none. Both APIs
   * document them; `none` simulates an API that leaves them out.
   */
  rateLimitHeaders?: RateLimitHeaderStyle | 'none';
  /**
   * The caller's credential when the request carries a valid one; undefined is a generic 401. It may throw
   * an HttpError of its own (a route that takes another kind of credential).
   */
  authenticate(req: IncomingMessage, pathname: string): string | undefined;
  /** What the rate limit counts by (default: the credential). ActuallyCare counts per client IP. */
  rateKey?(req: IncomingMessage, credential: string): string;
  /** Shapes problems in the simulated API's own error format. */
  renderError(error: HttpError): unknown;
  api: Router<Handler>;
  inspect: Router<Handler>;
  faults?: FaultHook;
  /** Where requests are recorded; pass one in when inspect routes need to read it. */
  log?: RequestLog;
  now?: () => number;
}

export interface SandboxServer {
  origin: string;
  log: RequestLog;
  /** Faults played so far, by kind, counted when played (a slow answer counts before it is sent). */
  faults(): FaultCounts;
  /** Ends promptly: pending delays are cut short and open sockets destroyed. */
  close(): Promise<void>;
}

const INSPECT_PREFIX = '/_sandbox';

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const log = options.log ?? new RequestLog();
  const limiter = new KeyedRateLimiter(options.rate);
  const now = options.now ?? Date.now;
  const faults = noFaults();
  const closing = new AbortController();
  let origin = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const inspecting = url.pathname === INSPECT_PREFIX || url.pathname.startsWith(`${INSPECT_PREFIX}/`);
    const pipeline = inspecting
      ? inspect(req, res, url, origin, options)
      : serve(req, res, url, { origin, options, log, limiter, now, faults, closing: closing.signal });
    pipeline.catch((error: unknown) => {
      // Only reached when the socket failed mid-answer; nothing left to tell the client.
      res.destroy(error instanceof Error ? error : undefined);
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;

  return {
    origin,
    log,
    faults: () => ({ ...faults }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Cuts pending delays short, so no timer outlives the server.
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

interface ServeState {
  origin: string;
  options: SandboxServerOptions;
  log: RequestLog;
  limiter: KeyedRateLimiter;
  now: () => number;
  faults: FaultCounts;
  closing: AbortSignal;
}

async function serve(req: IncomingMessage, res: ServerResponse, url: URL, state: ServeState): Promise<void> {
  const { options } = state;
  const method = req.method ?? 'GET';
  const entry: RequestLogEntry = {
    at: state.now(),
    method,
    path: req.url ?? '/',
    status: 0,
    throttled: false,
  };
  let fault: FaultAction | undefined;
  let reply: Reply;
  let rateHeaders: Record<string, string> = {};
  try {
    const body = await readBody(req);
    const key = options.authenticate(req, url.pathname);
    if (key === undefined) throw HttpError.of(401, 'Unauthorized', 'Missing or invalid API key');
    const rateKey = options.rateKey?.(req, key) ?? key;
    // The slot is taken once the body is in, so timestamps reach the limiter in order.
    entry.at = state.now();
    // Asked before the limiter: an injected throttle stands for an upstream 429 and takes no slot.
    const chosen = options.faults?.({ method, path: entry.path, pathname: url.pathname });
    if (chosen?.kind === 'throttle') {
      fault = played(chosen, entry, state);
      throw tooManyRequests(chosen.retryAfter);
    }
    const slot = state.limiter.tryAcquire(rateKey, entry.at);
    if (options.rateLimitHeaders && options.rateLimitHeaders !== 'none')
      rateHeaders = state.limiter.headers(rateKey, entry.at, options.rateLimitHeaders);
    if (!slot.ok) {
      entry.throttled = true;
      throw tooManyRequests(Math.max(1, Math.ceil(slot.retryAfterMs / 1000)));
    }
    if (chosen) fault = played(chosen, entry, state);
    if (fault?.kind === 'status') throw injected(fault.status, fault.retryAfter);
    if (fault?.kind === 'delay') await sleep(fault.ms, state.closing);
    if (state.closing.aborted) return abandon(res, entry, state);
    const ctx = { ...context(req, url, body, state.origin, entry), apiKey: key };
    const match = options.api.match(method, relativePath(url.pathname, options.basePath));
    reply = match.handler({ ...ctx, params: match.params });
    if (fault?.kind === 'after-commit') throw injected(fault.status);
  } catch (error) {
    reply = errorReply(error, options);
  }
  if (fault?.kind === 'slow-after-commit') await sleep(fault.ms, state.closing);
  await sleep(options.latencyMs, state.closing);
  if (fault?.kind === 'drop-after-commit' || state.closing.aborted) return abandon(res, entry, state);
  entry.status = reply.status;
  state.log.add(entry);
  sendJson(res, { ...reply, headers: { ...rateHeaders, ...reply.headers } });
}

function played(fault: FaultAction, entry: RequestLogEntry, state: ServeState): FaultAction {
  entry.fault = fault.kind;
  state.faults[fault.kind]++;
  return fault;
}

/** Ends a request without an answer: a dropped connection, or a server closing under a pending one. */
function abandon(res: ServerResponse, entry: RequestLogEntry, state: ServeState): void {
  state.log.add(entry);
  res.destroy();
}

async function inspect(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  origin: string,
  options: SandboxServerOptions,
): Promise<void> {
  let reply: Reply;
  try {
    const body = await readBody(req);
    const match = options.inspect.match(req.method ?? 'GET', url.pathname.slice(INSPECT_PREFIX.length));
    const ctx = context(req, url, body, origin, { at: 0, method: '', path: '', status: 0, throttled: false });
    reply = match.handler({ ...ctx, params: match.params });
  } catch (error) {
    reply = errorReply(error, options);
  }
  sendJson(res, reply);
}

function context(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  origin: string,
  entry: RequestLogEntry,
): RequestContext {
  return {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    params: {},
    query: url.searchParams,
    origin,
    json: () => parseJsonBody(req.headers['content-type'], body),
    annotate: (info) => Object.assign(entry, info),
  };
}

function relativePath(pathname: string, basePath: string): string {
  if (!pathname.startsWith(`${basePath}/`)) throw HttpError.of(404, 'Not found', `No route for ${pathname}`);
  return pathname.slice(basePath.length);
}

const tooManyRequests = (retryAfterSeconds: number): HttpError =>
  new HttpError(
    429,
    [
      {
        status: 429,
        title: 'Too many requests',
        detail: `Rate limit exceeded; retry in ${retryAfterSeconds} s`,
      },
    ],
    { 'retry-after': String(retryAfterSeconds) },
  );

function injected(status: number, retryAfter?: number): HttpError {
  if (status === 429) return tooManyRequests(retryAfter ?? 1);
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  return new HttpError(status, [{ status, title: 'Server error', detail: 'Injected fault' }], headers);
}

function errorReply(error: unknown, options: SandboxServerOptions): Reply {
  const httpError =
    error instanceof HttpError
      ? error
      : HttpError.of(
          500,
          'Internal server error',
          `Sandbox bug: ${(error as Error)?.message ?? String(error)}`,
        );
  return { status: httpError.status, body: options.renderError(httpError), headers: httpError.headers };
}
