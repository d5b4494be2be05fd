import { z } from 'zod';
import type { RecordEntity } from '#domain/entities.ts';
import type { RateLimitInfo } from '#domain/rate-budget.ts';
import { type HttpOptions, type HttpResponse, LastRateLimit, sendJson, statusError } from '../http.ts';
import type { ExistingRecord, ItemError, ListPage, NewRecord, TargetAdapter } from '../target.ts';
import { fromAttributes, matchKeys, toAttributes } from './attributes.ts';

export interface ClarifyOptions extends HttpOptions {
  /** `https://api.clarify.ai/v1/workspaces/WS` or a sandbox's base URL. */
  baseUrl: string;
  apiKey: string;
  /** Page size for listing existing records. */
  pageSize?: number;
}

const recordSchema = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z.record(z.string(), z.unknown()),
});
const listSchema = z.object({
  data: z.array(recordSchema),
  links: z.object({ next: z.string().nullable().optional() }).optional(),
});
const createdSchema = z.object({ data: z.array(z.object({ id: z.string() })) });
const relationshipSchema = z.object({ data: z.array(z.object({ id: z.string(), type: z.string() })) });
const errorsSchema = z.object({
  errors: z.array(
    z.object({
      status: z.string().optional(),
      title: z.string().optional(),
      detail: z.string().optional(),
      source: z.object({ pointer: z.string().optional() }).optional(),
    }),
  ),
});

/** Clarify's REST API: bulk creates of up to 25, atomic; JSON:API errors with pointers to the bad item. */
export class ClarifyAdapter implements TargetAdapter {
  readonly name = 'clarify' as const;
  readonly maxBatchSize = 25;
  readonly entities = ['company', 'person', 'deal'] as const;
  private readonly base: string;

  constructor(private readonly options: ClarifyOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  private readonly rateLimits = new LastRateLimit();

  takeRateLimit(): RateLimitInfo | undefined {
    return this.rateLimits.take();
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<HttpResponse> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const res = await sendJson(
      method,
      url,
      { authorization: `api-key ${this.options.apiKey}` },
      body,
      this.options,
    );
    this.rateLimits.note(res.headers);
    if (res.status >= 200 && res.status < 300) return res;
    const { message, items } = describeErrors(res.body);
    // Clarify answers 400 when an email or domain already exists: a duplicate, not bad data.
    const duplicate = res.status === 400 && /duplicate|already exists/i.test(message);
    throw statusError(
      method,
      new URL(url).pathname,
      res,
      message,
      items,
      duplicate ? 'DUPLICATE' : undefined,
    );
  }

  async listExisting(entity: RecordEntity, cursor: string | null): Promise<ListPage> {
    const path =
      cursor ?? `/objects/${entity}/resources?page[limit]=${this.options.pageSize ?? 100}&page[offset]=0`;
    const res = await this.send('GET', path);
    const page = parse(listSchema, res.body, `GET ${entity} resources`);
    const records: ExistingRecord[] = page.data.map((r) => ({
      id: r.id,
      keys: matchKeys(entity, r.attributes),
      fields: fromAttributes(r.attributes),
    }));
    const next = page.links?.next ?? null;
    return { records, next: next ? this.relative(next) : null };
  }

  tailCursor(entity: RecordEntity, skip: number): string {
    return `/objects/${entity}/resources?page[limit]=${this.options.pageSize ?? 100}&page[offset]=${Math.max(0, skip)}`;
  }

  async create(entity: RecordEntity, records: NewRecord[]): Promise<string[]> {
    const data = records.map((record) => ({ type: entity, attributes: toAttributes(entity, record) }));
    const res = await this.send('POST', `/objects/${entity}/records/bulk`, { data });
    const created = parse(createdSchema, res.body, `POST ${entity} bulk`);
    if (created.data.length !== records.length) {
      throw statusError(
        'POST',
        `/objects/${entity}/records/bulk`,
        { ...res, status: 502 },
        'answer count mismatch',
      );
    }
    return created.data.map((r) => r.id);
  }

  async update(entity: RecordEntity, id: string, record: NewRecord): Promise<void> {
    const body = { data: { type: entity, attributes: toAttributes(entity, record) } };
    await this.send('PATCH', `/objects/${entity}/records/${encodeURIComponent(id)}`, body);
  }

  async getDealPeople(dealId: string): Promise<string[]> {
    const res = await this.send(
      'GET',
      `/objects/deal/records/${encodeURIComponent(dealId)}/relationships/people`,
    );
    return parse(relationshipSchema, res.body, 'GET deal people').data.map((p) => p.id);
  }

  async setDealPeople(dealId: string, personIds: string[]): Promise<void> {
    const data = personIds.map((id) => ({ id, type: 'person' }));
    await this.send('PATCH', `/objects/deal/records/${encodeURIComponent(dealId)}/relationships/people`, {
      data,
    });
  }

  /** `links.next` may be absolute; keep only what follows the base so the cursor stays short. */
  private relative(next: string): string {
    if (next.startsWith(this.base)) return next.slice(this.base.length);
    if (next.startsWith('http')) return next;
    const basePath = new URL(this.base).pathname;
    return next.startsWith(basePath) ? next.slice(basePath.length) : next;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw statusError(
      'GET',
      what,
      { status: 502, headers: {}, body },
      `unexpected answer: ${result.error.message}`,
    );
  }
  return result.data;
}

/** The API's own words, and which items of a batch it pointed at (`/data/3/attributes/email_addresses`). */
export function describeErrors(body: unknown): { message: string; items: ItemError[] } {
  const parsed = errorsSchema.safeParse(body);
  if (!parsed.success) return { message: typeof body === 'string' ? body.slice(0, 200) : 'error', items: [] };
  const items: ItemError[] = [];
  const messages: string[] = [];
  for (const error of parsed.data.errors) {
    const text = [error.title, error.detail].filter(Boolean).join(': ');
    messages.push(text);
    const match = /^\/data\/(\d+)(?:\/attributes\/([^/]+))?/.exec(error.source?.pointer ?? '');
    if (match) items.push({ index: Number(match[1]), message: text, field: match[2] });
  }
  return { message: messages.join('; '), items };
}
