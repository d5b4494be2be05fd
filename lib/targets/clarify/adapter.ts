import { z } from 'zod';
import type { RecordEntity } from '#domain/entities.ts';
import type { ErrorCode } from '#domain/errors.ts';
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
  ExistingRecord,
  ItemError,
  ListPage,
  NewRecord,
  PreflightStep,
  ProbeResult,
  TargetAdapter,
  TargetWorkspace,
} from '../target.ts';
import { describeWorkspace } from '../workspace.ts';
import { ASSUMED_WORKSPACE, fromAttributes, MATCH_ON, matchKeys, toAttributes } from './attributes.ts';
import { CLARIFY_PROFILE } from './profile.ts';
import { learnWorkspace, SCHEMA_CHECK } from './schema.ts';

/**
 * Clarify's REST API as its published references describe it (`shared/contracts/clarify.md`, fact ids
 * in brackets): `Authorization: api-key <key>` [A1]; bulk creates of at most 25, atomic [B3–B5], a plain
 * insert unless `match_on` makes it an upsert [B7, B8]; lists of at most 500 a page, the next page built
 * from `page[offset]` because the live `links.next` is an `http://` URL that does not answer [Q4, Q8];
 * errors as JSON:API with `status` a string or a number, or NestJS-style [ER1–ER3]; the workspace's
 * shapes and enums read from `GET /schemas` before the first write [SC1–SC4].
 */

export interface ClarifyOptions extends HttpOptions {
  /** `https://api.clarify.ai/v1/workspaces/WS` or a sandbox's base URL. */
  baseUrl: string;
  apiKey: string;
  /** Page size for listing existing records (1..500, default 500) [Q4]. */
  pageSize?: number;
  /** How the person running the job names the key, for messages (an environment variable). */
  credentialNames?: { apiKey?: string };
}

export const MAX_PAGE = 500;

const recordSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()),
});
const listSchema = z.looseObject({
  data: z.array(recordSchema),
  /** Read leniently: a total the API gives in another form is left out, never a reason to refuse the page. */
  meta: z.looseObject({ total_records: z.unknown() }).optional().catch(undefined),
  links: z.looseObject({ next: z.string().nullable().optional() }).optional(),
});
const createdSchema = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) });
const relationshipSchema = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) });
const jsonApiErrors = z.looseObject({
  errors: z.array(
    z.looseObject({
      status: z.union([z.string(), z.number()]).optional(),
      title: z.string().optional(),
      detail: z.string().optional(),
      source: z.looseObject({ pointer: z.string().optional() }).optional(),
    }),
  ),
});
const nestError = z.looseObject({
  statusCode: z.number(),
  message: z.union([z.string(), z.array(z.string())]),
  error: z.string().optional(),
});

/** Clarify's REST API: bulk creates of up to 25, atomic; JSON:API errors with pointers to the bad item. */
export class ClarifyAdapter implements TargetAdapter {
  private readonly base: string;
  private readonly rateLimits = new LastRateLimit();
  private workspace: TargetWorkspace = ASSUMED_WORKSPACE;

  constructor(private readonly options: ClarifyOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  takeRateLimit(): RateLimitInfo | undefined {
    return this.rateLimits.take();
  }

  useWorkspace(workspace: TargetWorkspace): void {
    this.workspace = workspace;
  }

  learn(results: ProbeResult[]): TargetWorkspace {
    return learnWorkspace(results);
  }

  private get pageSize(): number {
    return Math.min(MAX_PAGE, Math.max(1, this.options.pageSize ?? MAX_PAGE));
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<HttpResponse> {
    const url = `${this.base}${path}`;
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
    throw statusError(
      method,
      new URL(url).pathname,
      res,
      this.explain(res.status, message),
      items,
      codeOf(res.status, message),
    );
  }

  private explain(status: number, message: string): string {
    if (status === 401) {
      const key = this.options.credentialNames?.apiKey ?? 'the API key';
      return `${message}: ${key} was refused. Clarify takes "Authorization: api-key <key>"; check the key and the workspace`;
    }
    if (status === 409) return `${message} (the workspace's schema is being changed; retried later)`;
    return message;
  }

  /**
   * Read-only: `GET /schemas` (the workspace's shapes and enums [SC1]; it also proves the key), then one
   * record of each object the job reads, which proves the read and shows a record's shape when the
   * schema cannot be read. Without `needs` (`crm-import check`), also a page of the largest size [Q4].
   */
  preflight(needs?: AccessNeeds): PreflightStep[] {
    const objects = needs
      ? CLARIFY_PROFILE.entities.filter((e) => needs.read.includes(e) || needs.write.includes(e))
      : [...CLARIFY_PROFILE.entities];
    const steps: PreflightStep[] = [{ check: SCHEMA_CHECK, run: () => this.schemaProbe() }];
    for (const object of objects) {
      const check = `read ${object}`;
      steps.push({ check, run: () => this.readProbe(check, object, 1) });
    }
    if (!needs) {
      const check = `page size ${this.pageSize}`;
      steps.push({
        check,
        run: async () => {
          const result = await this.readProbe(check, 'person', this.pageSize);
          return result.ok ? { ...result, pageSize: this.pageSize } : { ...result, severity: 'warning' };
        },
      });
    }
    return steps;
  }

  private async schemaProbe(): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const res = await this.send('GET', '/schemas');
      const latencyMs = Math.round(performance.now() - started);
      const learned = learnWorkspace([
        { check: SCHEMA_CHECK, ok: true, message: '', learned: { body: res.body } },
      ]);
      return {
        check: SCHEMA_CHECK,
        credential: 'api key',
        ok: learned.source === 'schemas',
        ...(learned.source === 'schemas' ? {} : { severity: 'warning' as const }),
        latencyMs,
        rateLimit: rateLimitInfo(res.headers),
        message: describeWorkspace(learned),
        learned: { body: res.body },
      };
    } catch (error) {
      const e = error as { code?: ErrorCode; status?: number; message: string };
      // A 429 is the budget's business, not a finding: the caller waits it out and asks again.
      if (e.code === 'RATE_LIMITED') throw error;
      const latencyMs = Math.round(performance.now() - started);
      // A refused key stops the job; a schema that cannot be read is worked around, with a warning.
      const severity = e.status === 401 ? 'fatal' : 'warning';
      return { check: SCHEMA_CHECK, ok: false, severity, code: e.code, latencyMs, message: e.message };
    }
  }

  private async readProbe(check: string, object: RecordEntity, limit: number): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const res = await this.send('GET', `/objects/${object}/resources?page[limit]=${limit}&page[offset]=0`);
      const latencyMs = Math.round(performance.now() - started);
      const page = parse(listSchema, res.body, `GET ${object} resources`);
      const sample = page.data[0]?.attributes;
      return {
        check,
        ok: true,
        credential: 'api key',
        entity: object,
        latencyMs,
        rateLimit: rateLimitInfo(res.headers),
        message: 'readable',
        ...(sample ? { learned: { attributes: sample } } : {}),
      };
    } catch (error) {
      const e = error as { code?: ErrorCode; message: string };
      if (e.code === 'RATE_LIMITED') throw error;
      return {
        check,
        ok: false,
        severity: 'fatal',
        entity: object,
        code: e.code,
        latencyMs: Math.round(performance.now() - started),
        message: e.message,
      };
    }
  }

  async listExisting(entity: RecordEntity, cursor: string | null): Promise<ListPage> {
    const offset = Number(cursor ?? 0);
    const limit = this.pageSize;
    const res = await this.send(
      'GET',
      `/objects/${entity}/resources?page[limit]=${limit}&page[offset]=${offset}`,
    );
    const page = parse(listSchema, res.body, `GET ${entity} resources`);
    const records: ExistingRecord[] = page.data.map((r) => ({
      id: r.id,
      keys: matchKeys(entity, r.attributes),
      fields: fromAttributes(entity, r.attributes, this.workspace),
    }));
    // `links.next` says whether there is more (null at the end [Q7]); it is never followed as given,
    // since live it is an http:// URL that does not answer [Q8]. Without links, a full page means more.
    const more = page.links ? Boolean(page.links.next) : records.length === limit;
    const next = more && records.length > 0 ? String(offset + records.length) : null;
    // The total, when given [Q5, Q6], lets the caller read the pages after the first all at once.
    const total = recordCount(page.meta?.total_records);
    return { records, next, ...(total === undefined ? {} : { total }) };
  }

  tailCursor(_entity: RecordEntity, skip: number): string {
    return String(Math.max(0, skip));
  }

  async create(
    entity: RecordEntity,
    records: NewRecord[],
    options: { idempotent?: boolean } = {},
  ): Promise<string[]> {
    const data = records.map((record) => ({
      type: entity,
      attributes: toAttributes(entity, record, this.workspace),
    }));
    // `match_on` makes a re-send safe: a record that landed is updated and its id returned [B8, B10].
    const matchOn = options.idempotent ? MATCH_ON[entity] : undefined;
    const usable = matchOn !== undefined && data.every((d) => d.attributes[matchOn] !== undefined);
    const body = usable ? { data, match_on: matchOn } : { data };
    const path = `/objects/${entity}/records/bulk`;
    const res = await this.send('POST', path, body);
    const created = createdSchema.safeParse(res.body);
    if (!created.success || created.data.data.length !== records.length) {
      // The API said it wrote, but its answer cannot be read: in doubt, reconciled before any re-send.
      throw statusError(
        'POST',
        path,
        { ...res, status: 502 },
        'created, but the answer cannot be read',
        [],
        'IN_DOUBT',
      );
    }
    return created.data.data.map((r) => r.id);
  }

  async update(entity: RecordEntity, id: string, record: NewRecord): Promise<void> {
    const body = { data: { type: entity, id, attributes: toAttributes(entity, record, this.workspace) } };
    await this.send('PATCH', `/objects/${entity}/records/${encodeURIComponent(id)}`, body);
  }

  /** Identifiers or full resources (the sources differ [R6]); only the ids are read. */
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
}

const recordCount = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** A collision on a unique field is a duplicate (400 or 422 by source [B12]); a 409 is a schema being changed [ER8]. */
function codeOf(status: number, message: string): ErrorCode | undefined {
  if ((status === 400 || status === 422) && /duplicate|already exists/i.test(message)) return 'DUPLICATE';
  if (status === 409) return 'SERVER_ERROR';
  return undefined;
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

/** A pointer into a bulk body: `/data/3/attributes/email_addresses` (JSON:API) or `data.3.attributes.email_addresses` (NestJS text). */
const POINTER = /(?:^|[\s/])\/?data[/.](\d+)(?:[/.]attributes[/.]([A-Za-z_]\w*))?/;

/** The API's own words, and which items of a batch it pointed at, from either error shape [ER1–ER3]. */
export function describeErrors(body: unknown): { message: string; items: ItemError[] } {
  const items: ItemError[] = [];
  const messages: string[] = [];
  const jsonApi = jsonApiErrors.safeParse(body);
  if (jsonApi.success) {
    for (const error of jsonApi.data.errors) {
      const text = [error.title, error.detail].filter(Boolean).join(': ');
      messages.push(text);
      const match = POINTER.exec(error.source?.pointer ?? '');
      if (match) items.push({ index: Number(match[1]), message: text, field: match[2] });
    }
    return { message: messages.join('; '), items };
  }
  const nest = nestError.safeParse(body);
  if (nest.success) {
    const list = Array.isArray(nest.data.message) ? nest.data.message : [nest.data.message];
    for (const text of list) {
      messages.push(text);
      const match = POINTER.exec(text);
      if (match) items.push({ index: Number(match[1]), message: text, field: match[2] });
    }
    return { message: messages.join('; ') || nest.data.error || 'error', items };
  }
  return { message: typeof body === 'string' && body ? body.slice(0, 200) : 'error', items: [] };
}
