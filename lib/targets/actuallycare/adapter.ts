import { z } from 'zod';
import type { RecordEntity } from '#domain/entities.ts';
import { JobError } from '#domain/errors.ts';
import type { RateLimitInfo } from '#domain/rate-budget.ts';
import {
  type HttpOptions,
  type HttpResponse,
  LastRateLimit,
  rateLimitInfo,
  sendJson,
  statusError,
} from '../http.ts';
import type {
  AccessNeeds,
  ItemError,
  ListPage,
  NewRecord,
  PreflightStep,
  ProbeResult,
  TargetAdapter,
} from '../target.ts';
import { ACTUALLYCARE_PROFILE } from './profile.ts';

/**
 * ActuallyCare's REST API as its published reference describes it (`shared/contracts/actuallycare.md`,
 * fact ids in brackets): the API key in `X-API-Key` [A1], never as `Bearer` [A3]; contacts only with a
 * signed-in session token (a JWT) as `Authorization: Bearer` [A6, K1]; every answer in the envelope
 * `{success, data | error:{code, message, details}, timestamp}` [E1, ER1]; one record per `POST` [I1];
 * updates by `PUT` [C1]; lists of at most 100 a page with `data.meta.hasMore` [P1, P3].
 */

export interface ActuallyCareOptions extends HttpOptions {
  /** `https://api.actuallycare.com/v1` or a sandbox's base URL. */
  baseUrl: string;
  apiKey: string;
  /** A signed-in session token (JWT): the only credential `/v1/contacts` takes [A6, K1]. */
  sessionToken?: string;
  /** Records a list page asks for (1..100, default 100) [P1]. */
  pageSize?: number;
  /**
   * Where the import marker goes: `source` (the only free-text field leads and clients are known to
   * hold [C5, L4, I5]; a row's own mapped source is never overwritten) or `none`. There is no `tags`
   * field [I5].
   */
  markerField?: 'source' | 'none';
  /** How the person running the job names the credentials, for messages (environment variables). */
  credentialNames?: { apiKey?: string; sessionToken?: string };
}

const RESOURCE: Partial<Record<RecordEntity, string>> = {
  lead: 'leads',
  client: 'clients',
  contact: 'contacts',
  escrow: 'escrows',
};
const SINGULAR: Record<string, string> = {
  leads: 'lead',
  clients: 'client',
  contacts: 'contact',
  escrows: 'escrow',
};

/**
 * The fields each resource takes on create. Documented: clients' first_name, last_name, client_type,
 * email, phone [C3]; leads' name, email, phone [L3]; contacts' first_name, contact_type [K4] and the
 * record fields [K5]. Inferred from the record examples: `source` on clients and leads, a client's
 * `budget_min`/`budget_max` [C5], a lead's `lead_type` and `budget` [L4].
 * Escrows are inferred from the MCP tool [X4, X5]: property_address, purchase_price,
 * representation_type required; closing_date, status. Anything else stays out of the request.
 */
export const ACTUALLYCARE_FIELDS: Record<'lead' | 'client' | 'contact' | 'escrow', readonly string[]> = {
  lead: ['name', 'email', 'phone', 'source', 'lead_type', 'budget'],
  client: ['first_name', 'last_name', 'client_type', 'email', 'phone', 'source', 'budget_min', 'budget_max'],
  contact: ['first_name', 'last_name', 'contact_type', 'email', 'phone', 'company'],
  escrow: ['property_address', 'purchase_price', 'representation_type', 'status', 'closing_date'],
};

const detailSchema = z.union([
  z.string(),
  z.looseObject({
    field: z.string().optional(),
    path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).optional(),
    param: z.string().optional(),
    message: z.string().optional(),
    msg: z.string().optional(),
  }),
]);
const errorSchema = z.looseObject({
  error: z.looseObject({
    code: z.string().optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
const idSchema = z.union([z.string(), z.number()]).transform(String);
const recordWithId = z.looseObject({ id: idSchema });
const listSchema = z.looseObject({
  data: z.looseObject({
    meta: z
      .looseObject({
        hasMore: z.boolean().optional(),
        limit: z.number().optional(),
        total: z.unknown(),
      })
      .optional(),
  }),
});

/** ActuallyCare's REST API: one record per POST, an API key with per-resource scopes, JWT-only contacts. */
export class ActuallyCareAdapter implements TargetAdapter {
  private readonly base: string;
  private readonly rateLimits = new LastRateLimit();

  constructor(private readonly options: ActuallyCareOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  takeRateLimit(): RateLimitInfo | undefined {
    return this.rateLimits.take();
  }

  private get pageSize(): number {
    return Math.min(100, Math.max(1, this.options.pageSize ?? 100));
  }

  private get keyName(): string {
    return this.options.credentialNames?.apiKey ?? 'the API key';
  }

  private get tokenName(): string {
    return this.options.credentialNames?.sessionToken ?? 'the session token';
  }

  /** The credential a resource takes: the session token for contacts, the key everywhere else. */
  private headersFor(resource: string): Record<string, string> {
    if (resource !== 'contacts') return { 'x-api-key': this.options.apiKey };
    if (!this.options.sessionToken) throw new JobError('AUTH_FAILED', this.noTokenReason());
    return { authorization: `Bearer ${this.options.sessionToken}` };
  }

  private noTokenReason(): string {
    return `contacts take only a signed-in session token (a JWT from the app's login), and none was given: set ${this.tokenName}. Leads, clients and escrows import with the API key alone`;
  }

  private async send(
    method: 'GET' | 'POST' | 'PUT',
    resource: string,
    path: string,
    body?: unknown,
  ): Promise<HttpResponse> {
    const url = `${this.base}${path}`;
    const res = await sendJson(method, url, this.headersFor(resource), body, this.options);
    this.rateLimits.note(res.headers);
    if (res.status >= 200 && res.status < 300) {
      // A success whose body cannot be read may still have written: the caller treats it as in doubt.
      if (method !== 'GET' && (typeof res.body !== 'object' || res.body === null)) {
        throw statusError(
          method,
          new URL(url).pathname,
          { ...res, status: 502 },
          'unreadable answer',
          [],
          'IN_DOUBT',
        );
      }
      return res;
    }
    throw this.failure(method, resource, new URL(url).pathname, res);
  }

  /** The envelope's error in our terms; 401 and 403 are told by their status, not their code [A11]. */
  private failure(method: string, resource: string, path: string, res: HttpResponse) {
    const parsed = errorSchema.safeParse(res.body);
    const error = parsed.success ? parsed.data.error : undefined;
    const items = detailItems(error?.details);
    const words = error ? [error.code, error.message].filter(Boolean).join(': ') : textOf(res.body);
    if (res.status === 401) {
      const message =
        resource === 'contacts'
          ? `${words}: ${this.tokenName} was refused (expired or signed out?): sign in again and set a fresh one`
          : `${words}: ${this.keyName} was refused. Keys go in X-API-Key; check the key is active`;
      return statusError(method, path, res, message, items, undefined, {
        entityCredential: resource === 'contacts',
      });
    }
    if (res.status === 403) {
      const scope = `${resource}:${method === 'GET' ? 'read' : 'write'}`;
      return statusError(
        method,
        path,
        res,
        `${words}: give the key the ${scope} scope (a 403 can also mean the account is not active)`,
        items,
      );
    }
    const detail = items.length
      ? `${words} (${items.map((i) => `${i.field ?? '?'}: ${i.message}`).join('; ')})`
      : words;
    return statusError(method, path, res, detail, items);
  }

  cannotWrite(entity: RecordEntity): string | undefined {
    return entity === 'contact' && !this.options.sessionToken ? this.noTokenReason() : undefined;
  }

  /**
   * There is no `/v1/me` and a key cannot read its own scopes [S8]: each resource the job reads is
   * probed with `GET /v1/<resource>?limit=1` (a missing scope answers 403 [S5]). A write scope cannot be
   * probed without writing: the first 403 on a write stops that entity instead.
   */
  preflight(needs?: AccessNeeds): PreflightStep[] {
    const offered = ACTUALLYCARE_PROFILE.entities;
    const read = needs ? needs.read : [...offered];
    const write = needs ? needs.write : [...offered];
    const entities = offered.filter((e) => read.includes(e) || write.includes(e));
    const steps = entities.map((entity) => this.readProbe(entity, write.includes(entity)));
    if (!needs) {
      const first = entities.find((e) => e !== 'contact');
      if (first) steps.push(this.pageSizeProbe(first));
    }
    return steps;
  }

  private readProbe(entity: RecordEntity, writes: boolean): PreflightStep {
    const name = resource(entity);
    const check = `read ${name}`;
    return {
      check,
      offline: this.cannotWrite(entity) !== undefined,
      run: async () => {
        const noToken = this.cannotWrite(entity);
        if (noToken) {
          return {
            check,
            ok: false,
            credential: 'session token',
            severity: writes ? 'entity' : 'warning',
            entity,
            code: 'AUTH_FAILED',
            message: noToken,
          };
        }
        return this.probe(check, entity, `/${name}?page=1&limit=1`);
      },
    };
  }

  private pageSizeProbe(entity: RecordEntity): PreflightStep {
    const check = `page size ${this.pageSize}`;
    return {
      check,
      run: async () => {
        const result = await this.probe(check, entity, `/${resource(entity)}?page=1&limit=${this.pageSize}`);
        return result.ok ? { ...result, pageSize: this.pageSize } : { ...result, severity: 'warning' };
      },
    };
  }

  private async probe(check: string, entity: RecordEntity, path: string): Promise<ProbeResult> {
    const name = resource(entity);
    const credential = name === 'contacts' ? 'session token' : 'api key';
    const started = performance.now();
    try {
      const res = await this.send('GET', name, path);
      const latencyMs = Math.round(performance.now() - started);
      const page = listSchema.safeParse(res.body);
      const list = page.success ? (page.data.data as Record<string, unknown>)[name] : undefined;
      if (!Array.isArray(list)) {
        return {
          check,
          ok: false,
          severity: 'fatal',
          entity,
          code: 'REJECTED',
          latencyMs,
          message: `answered 200 without data.${name}: not the API this importer speaks`,
        };
      }
      return {
        check,
        ok: true,
        entity,
        credential,
        latencyMs,
        rateLimit: rateLimitInfo(res.headers),
        message: 'readable',
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      const e = error as { code?: ProbeResult['code']; message: string; entityCredential?: boolean };
      // A 429 is the budget's business, not a finding: the caller waits it out and asks again.
      if (e.code === 'RATE_LIMITED') throw error;
      // A contact token refused stops the contacts only; the key refused, or a read scope missing, stops the job.
      const severity = e.entityCredential ? 'entity' : 'fatal';
      return { check, ok: false, severity, entity, credential, code: e.code, latencyMs, message: e.message };
    }
  }

  async listExisting(entity: RecordEntity, cursor: string | null): Promise<ListPage> {
    const page = Number(cursor ?? 1);
    const name = resource(entity);
    // Escrows list newest first unless asked otherwise [X2]: oldest first keeps pages stable while records
    // are added, and puts the records created after a snapshot at its end.
    const order = name === 'escrows' ? '&sort=created_at&order=asc' : '';
    const res = await this.send('GET', name, `/${name}?page=${page}&limit=${this.pageSize}${order}`);
    const parsed = listSchema.safeParse(res.body);
    const list = z
      .array(z.looseObject({ id: idSchema }))
      .safeParse(parsed.success ? (parsed.data.data as Record<string, unknown>)[name] : undefined);
    if (!parsed.success || !list.success) {
      throw statusError(
        'GET',
        `/${name}`,
        { ...res, status: 502 },
        `unexpected answer: no data.${name} list`,
      );
    }
    const records = list.data.map((r) => ({
      id: r.id,
      keys: matchKeys(entity, r),
      fields: fieldsOf(entity, r),
    }));
    // Done when hasMore is false, or (defensively) when a page comes back empty [P3].
    const more = parsed.data.data.meta?.hasMore === true && records.length > 0;
    // The total [P3] lets the caller read the pages after the first all at once; one in another form is
    // left out, never a reason to refuse the page.
    const given = parsed.data.data.meta?.total;
    const total = typeof given === 'number' && Number.isSafeInteger(given) && given >= 0 ? given : undefined;
    return { records, next: more ? String(page + 1) : null, ...(total === undefined ? {} : { total }) };
  }

  tailCursor(_entity: RecordEntity, skip: number): string {
    return String(Math.floor(Math.max(0, skip) / this.pageSize) + 1);
  }

  async create(entity: RecordEntity, records: NewRecord[]): Promise<string[]> {
    const [record] = records;
    if (!record || records.length > 1)
      throw new JobError('INTERNAL', 'ActuallyCare creates one record per request');
    const name = resource(entity);
    const res = await this.send('POST', name, `/${name}`, this.body(entity, record));
    return [createdId(name, res)];
  }

  async update(entity: RecordEntity, id: string, record: NewRecord): Promise<void> {
    const name = resource(entity);
    await this.send('PUT', name, `/${name}/${encodeURIComponent(id)}`, this.body(entity, record, true));
  }

  async getDealPeople(): Promise<string[]> {
    throw new JobError('CONFIG', 'ActuallyCare has no deals to link people to');
  }

  async setDealPeople(): Promise<void> {
    throw new JobError('CONFIG', 'ActuallyCare has no deals to link people to');
  }

  /** Only the fields the resource takes; the marker in `source` when the row brings no source of its own. */
  private body(entity: RecordEntity, record: NewRecord, update = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const fields = ACTUALLYCARE_FIELDS[entity as keyof typeof ACTUALLYCARE_FIELDS] ?? [];
    for (const field of fields) {
      const value = record.fields[field];
      if (value !== undefined && value !== '') out[field] = Array.isArray(value) ? value[0] : value;
    }
    const markerField = this.options.markerField ?? 'source';
    if (!update && record.marker && markerField === 'source' && fields.includes('source') && !out.source) {
      out.source = record.marker;
    }
    return out;
  }
}

const resource = (entity: RecordEntity): string => {
  const name = RESOURCE[entity];
  if (!name) throw new JobError('CONFIG', `ActuallyCare has no ${entity} records`);
  return name;
};

/** A create answers 201 with the record in `data` [E4]; whether bare or under its singular name is unknown [E5]. */
function createdId(name: string, res: HttpResponse): string {
  const data = (res.body as { data?: unknown } | undefined)?.data;
  const flat = recordWithId.safeParse(data);
  if (flat.success) return flat.data.id;
  const wrapped = recordWithId.safeParse(
    (data as Record<string, unknown> | undefined)?.[SINGULAR[name] ?? ''],
  );
  if (wrapped.success) return wrapped.data.id;
  // The record was written, but its id cannot be read: in doubt, reconciled by reading the list.
  throw statusError(
    'POST',
    `/${name}`,
    { ...res, status: 502 },
    'created, but the answer holds no id',
    [],
    'IN_DOUBT',
  );
}

/** `error.details` as per-field messages; the item shape is not documented [ER3], so read the common ones. */
function detailItems(details: unknown): ItemError[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail): ItemError[] => {
    const parsed = detailSchema.safeParse(detail);
    if (!parsed.success) return [];
    if (typeof parsed.data === 'string') return [{ index: 0, message: parsed.data }];
    const d = parsed.data;
    const path = Array.isArray(d.path) ? d.path.join('.') : d.path;
    const field = d.field ?? path ?? d.param;
    return [{ index: 0, message: d.message ?? d.msg ?? 'invalid', ...(field ? { field } : {}) }];
  });
}

const textOf = (body: unknown): string =>
  typeof body === 'string' && body ? body.slice(0, 200) : 'no error body';

function matchKeys(entity: RecordEntity, record: Record<string, unknown>): string[] {
  if (entity === 'escrow')
    return typeof record.property_address === 'string'
      ? [`escrow:${record.property_address.trim().toLowerCase()}`]
      : [];
  return typeof record.email === 'string' && record.email
    ? [`email:${record.email.trim().toLowerCase()}`]
    : [];
}

/** The record's current values in canonical fields, for an update that fills blanks only. */
function fieldsOf(
  entity: RecordEntity,
  record: Record<string, unknown>,
): Record<string, string | number | string[]> {
  const out: Record<string, string | number | string[]> = {};
  for (const field of ACTUALLYCARE_FIELDS[entity as keyof typeof ACTUALLYCARE_FIELDS] ?? []) {
    const value = record[field];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') out[field] = value;
  }
  return out;
}
