import { z } from 'zod';
import type { RecordEntity } from '#domain/entities.ts';
import { JobError } from '#domain/errors.ts';
import type { RateLimitInfo } from '#domain/rate-budget.ts';
import { type HttpOptions, type HttpResponse, LastRateLimit, sendJson, statusError } from '../http.ts';
import type { AccessNeeds, ListPage, NewRecord, TargetAdapter } from '../target.ts';

export interface ActuallyCareOptions extends HttpOptions {
  /** `https://api.actuallycare.com/v1` or a sandbox's base URL. */
  baseUrl: string;
  apiKey: string;
  pageSize?: number;
}

const RESOURCE: Partial<Record<RecordEntity, string>> = {
  lead: 'leads',
  client: 'clients',
  contact: 'contacts',
  escrow: 'escrows',
};

/** The fields each resource takes; anything else stays out of the request (the API refuses unknown fields). */
const FIELDS: Partial<Record<RecordEntity, readonly string[]>> = {
  lead: ['name', 'email', 'phone', 'source', 'notes'],
  client: ['first_name', 'last_name', 'email', 'phone', 'source', 'notes'],
  contact: ['first_name', 'last_name', 'contact_type', 'email', 'phone', 'company', 'notes'],
  escrow: ['property_address', 'status', 'close_date', 'price', 'notes'],
};

const errorSchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    field: z.string().optional(),
  }),
});
const createdSchema = z.object({ data: z.object({ id: z.string() }) });
const scopesSchema = z.object({ data: z.object({ scopes: z.record(z.string(), z.array(z.string())) }) });

/** ActuallyCare's REST API: one record per POST, Bearer keys with per-resource scopes. */
export class ActuallyCareAdapter implements TargetAdapter {
  readonly name = 'actuallycare' as const;
  readonly maxBatchSize = 1;
  readonly entities = ['lead', 'client', 'contact', 'escrow'] as const;
  private readonly base: string;

  constructor(private readonly options: ActuallyCareOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  private readonly rateLimits = new LastRateLimit();

  takeRateLimit(): RateLimitInfo | undefined {
    return this.rateLimits.take();
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<HttpResponse> {
    const url = `${this.base}${path}`;
    const res = await sendJson(
      method,
      url,
      { authorization: `Bearer ${this.options.apiKey}` },
      body,
      this.options,
    );
    this.rateLimits.note(res.headers);
    if (res.status >= 200 && res.status < 300) return res;
    const parsed = errorSchema.safeParse(res.body);
    const error = parsed.success ? parsed.data.error : undefined;
    const message = error ? [error.code, error.message].filter(Boolean).join(': ') : 'error';
    const items = error?.field ? [{ index: 0, message: error.message ?? message, field: error.field }] : [];
    throw statusError(method, new URL(url).pathname, res, message, items);
  }

  async verifyAccess(needs: AccessNeeds): Promise<boolean> {
    let res: HttpResponse;
    try {
      res = await this.send('GET', '/me');
    } catch (error) {
      // No way to ask: the first 403 will stop the job instead.
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
    const scopes = scopesSchema.parse(res.body).data.scopes;
    const missing = [
      ...needs.read.map((e) => [resource(e), 'read'] as const),
      ...needs.write.map((e) => [resource(e), 'write'] as const),
    ].filter(([name, permission]) => !scopes[name]?.includes(permission));
    if (missing.length) {
      const list = [...new Set(missing.map(([name, p]) => `${name}:${p}`))].join(', ');
      throw new JobError(
        'FORBIDDEN',
        `the API key lacks the scope${missing.length > 1 ? 's' : ''} ${list}: nothing was imported`,
      );
    }
    return true;
  }

  async listExisting(entity: RecordEntity, cursor: string | null): Promise<ListPage> {
    const page = Number(cursor ?? 1);
    const name = resource(entity);
    const res = await this.send('GET', `/${name}?page=${page}&limit=${this.options.pageSize ?? 100}`);
    const schema = z.object({
      data: z.looseObject({ meta: z.object({ hasMore: z.boolean() }) }),
    });
    const parsed = schema.safeParse(res.body);
    const list = z
      .array(z.looseObject({ id: z.union([z.string(), z.number()]) }))
      .safeParse(parsed.data?.data[name]);
    if (!parsed.success || !list.success) {
      throw statusError(
        'GET',
        name,
        { ...res, status: 502 },
        `unexpected answer: no data.${name} list or data.meta.hasMore`,
      );
    }
    const records = list.data.map((r) => ({
      id: String(r.id),
      keys: matchKeys(entity, r),
      fields: fieldsOf(entity, r),
    }));
    return { records, next: parsed.data.data.meta.hasMore ? String(page + 1) : null };
  }

  tailCursor(_entity: RecordEntity, skip: number): string {
    return String(Math.floor(Math.max(0, skip) / (this.options.pageSize ?? 100)) + 1);
  }

  async create(entity: RecordEntity, records: NewRecord[]): Promise<string[]> {
    const [record] = records;
    if (!record || records.length > 1)
      throw new JobError('INTERNAL', 'ActuallyCare creates one record per request');
    const res = await this.send('POST', `/${resource(entity)}`, body(entity, record));
    return [createdSchema.parse(res.body).data.id];
  }

  async update(entity: RecordEntity, id: string, record: NewRecord): Promise<void> {
    await this.send('PATCH', `/${resource(entity)}/${encodeURIComponent(id)}`, body(entity, record));
  }

  async getDealPeople(): Promise<string[]> {
    throw new JobError('CONFIG', 'ActuallyCare has no deals to link people to');
  }

  async setDealPeople(): Promise<void> {
    throw new JobError('CONFIG', 'ActuallyCare has no deals to link people to');
  }
}

const resource = (entity: RecordEntity): string => {
  const name = RESOURCE[entity];
  if (!name) throw new JobError('CONFIG', `ActuallyCare has no ${entity} records`);
  return name;
};

/** Only the fields the resource takes, the marker in `tags`, and an escrow's client as `client_id`. */
function body(entity: RecordEntity, record: NewRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS[entity] ?? []) {
    const value = record.fields[field];
    if (value !== undefined && value !== '') out[field] = value;
  }
  if (entity === 'escrow' && record.parentId) out.client_id = record.parentId;
  if (record.marker) out.tags = [record.marker];
  return out;
}

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
  for (const field of FIELDS[entity] ?? []) {
    const value = record[field];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') out[field] = value;
  }
  if (typeof record.client_id === 'string') out.parentId = record.client_id;
  return out;
}
