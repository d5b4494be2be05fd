import type { IncomingMessage } from 'node:http';
import { type FaultRates, toFaultHook } from '#sandbox/common/fault-plan.ts';
import type { FaultCounts, FaultHook } from '#sandbox/common/faults.ts';
import type { HttpError } from '#sandbox/common/json-http.ts';
import { RequestLog, type RequestLogEntry } from '#sandbox/common/request-log.ts';
import { startSandboxServer } from '#sandbox/common/sandbox-server.ts';
import type { RateLimit } from '#sandbox/common/sliding-window.ts';
import type { ObjectType } from './ids.ts';
import { apiRoutes, inspectRoutes } from './routes.ts';
import { DEFAULT_ENUMS } from './schemas.ts';
import { type ClarifySeed, loadSeed, type SeededIds } from './seed.ts';
import { ClarifyStore, type StoredRecord } from './store.ts';
import { ClarifyWorkspace } from './workspace.ts';

/**
 * A local, strict simulator of the Clarify REST API (see DESIGN.md, "Target APIs"). The real API's rate
 * limit is undocumented; the default here is 100 requests per 10 s per API key, and tests scale it down.
 */

export type { FaultRates } from '#sandbox/common/fault-plan.ts';
export type { FaultAction, FaultCounts, FaultHook, FaultKind } from '#sandbox/common/faults.ts';
export type { RequestLogEntry } from '#sandbox/common/request-log.ts';
export type { ClarifySeed } from './seed.ts';

export const DEFAULT_API_KEY = 'sandbox-key';
export const DEFAULT_WORKSPACE = 'ws_local';
export const DEFAULT_RATE: RateLimit = { limit: 100, windowSeconds: 10 };

export interface ClarifySandboxOptions {
  apiKey?: string;
  workspace?: string;
  rate?: RateLimit;
  /** Added to every API response, to model a real API's round trip. */
  latencyMs?: number;
  /** Answer with `RateLimit-*` headers (neither API documents them; off by default). */
  rateLimitHeaders?: boolean;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  enums?: { personStatus?: string[]; dealStage?: string[] };
  seed?: ClarifySeed;
  /** A hand-written hook, or rates for a seeded fault plan (`faultPlan`). */
  faults?: FaultHook | FaultRates;
}

export interface ClarifySandbox {
  /** e.g. `http://127.0.0.1:53211/v1/workspaces/ws_local` */
  baseUrl: string;
  apiKey: string;
  records(object: ObjectType): StoredRecord[];
  dealPeople(dealId: string): string[];
  requests(): RequestLogEntry[];
  /** Faults injected so far, by kind. */
  faults(): FaultCounts;
  /** Ids of seeded records, in seed order. */
  seeded: SeededIds;
  close(): Promise<void>;
}

export async function startClarifySandbox(options: ClarifySandboxOptions = {}): Promise<ClarifySandbox> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const basePath = `/v1/workspaces/${encodeURIComponent(options.workspace ?? DEFAULT_WORKSPACE)}`;
  const enums = { ...DEFAULT_ENUMS, ...options.enums };
  for (const [name, values] of Object.entries(enums)) {
    if (values.length === 0) throw new RangeError(`enums.${name} must list at least one value`);
  }
  const workspace = new ClarifyWorkspace(new ClarifyStore(), enums);
  // Seed before listening so no client can observe a half-seeded workspace.
  const seeded = loadSeed(workspace, options.seed);
  const log = new RequestLog();
  const server = await startSandboxServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    latencyMs: options.latencyMs ?? 0,
    basePath,
    rate: options.rate ?? DEFAULT_RATE,
    rateLimitHeaders: options.rateLimitHeaders ? 'RateLimit' : 'none',
    authenticate: (req) => (apiKeyOf(req) === apiKey ? apiKey : undefined),
    renderError: jsonApiErrors,
    api: apiRoutes(workspace),
    inspect: inspectRoutes(workspace, log),
    faults: toFaultHook(options.faults),
    log,
  });
  return {
    baseUrl: `${server.origin}${basePath}`,
    apiKey,
    records: (object) => workspace.store.list(object),
    dealPeople: (dealId) => workspace.store.peopleOf(dealId),
    requests: () => log.list(),
    faults: () => server.faults(),
    seeded,
    close: () => server.close(),
  };
}

/** `Authorization: api-key <key>`; the scheme name is case-insensitive as in any HTTP auth scheme. */
function apiKeyOf(req: IncomingMessage): string | undefined {
  const match = /^api-key\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function jsonApiErrors(error: HttpError): unknown {
  return {
    errors: error.problems.map(({ status, title, detail, pointer, parameter }) => ({
      status: String(status),
      title,
      detail,
      ...(pointer !== undefined
        ? { source: { pointer } }
        : parameter !== undefined
          ? { source: { parameter } }
          : {}),
    })),
  };
}
