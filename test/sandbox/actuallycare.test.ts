import { afterEach, describe, expect, it } from 'vitest';
import {
  type ActuallyCareSandbox,
  type ActuallyCareSandboxOptions,
  DEFAULT_API_KEY,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';
import { servedTimestamps } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; error?: { code: string; message: string; field?: string } };
}

const started: ActuallyCareSandbox[] = [];

const start = async (options: ActuallyCareSandboxOptions = {}): Promise<ActuallyCareSandbox> => {
  const box = await startActuallyCareSandbox(options);
  started.push(box);
  return box;
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((box) => box.close()));
});

async function call(
  box: ActuallyCareSandbox,
  method: string,
  path: string,
  body?: unknown,
  key = box.apiKey,
) {
  const response = await fetch(`${box.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} } as Answer;
}

/** The guide's `actuallycare.js` client as its import script uses it: `get` resolves to the body's `data`. */
function guideClient(baseUrl: string, apiKey: string) {
  return {
    async get(path: string, params: Record<string, string | number>) {
      const query = new URLSearchParams(
        Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
      );
      const response = await fetch(`${baseUrl}${path}?${query}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      // biome-ignore lint/suspicious/noExplicitAny: the guide's client is untyped JavaScript
      const body = (await response.json()) as { data: any; error?: { code: string; message: string } };
      if (!response.ok) throw Object.assign(new Error(body.error?.message), { code: body.error?.code });
      return body.data;
    },
  };
}

describe('ActuallyCare sandbox', () => {
  it('answers 401 to a missing, wrong or non-Bearer key', async () => {
    // Prepare
    const box = await start();

    // Act
    const missing = await call(box, 'GET', '/leads', undefined, '');
    const wrong = await call(box, 'GET', '/leads', undefined, 'x'.repeat(64));
    const apiKeyScheme = await fetch(`${box.baseUrl}/leads`, {
      headers: { authorization: `api-key ${box.apiKey}` },
    });
    const good = await call(box, 'GET', '/leads');

    // Assess
    expect([missing.status, wrong.status, apiKeyScheme.status, good.status]).toEqual([401, 401, 401, 200]);
    expect(missing.body.error).toMatchObject({ code: 'unauthorized' });
    expect(box.apiKey).toBe(DEFAULT_API_KEY);
    expect(box.apiKey).toHaveLength(64);
  });

  it('answers 403 naming the missing scope, and 403 on everything for a key with no scopes', async () => {
    // Prepare
    const box = await start({ scopes: { leads: ['read'] }, keys: { empty: {} } });

    // Act
    const read = await call(box, 'GET', '/leads');
    const write = await call(box, 'POST', '/leads', { name: 'Jane Doe' });
    const otherResource = await call(box, 'GET', '/clients');
    const empty = await Promise.all([
      call(box, 'GET', '/leads', undefined, 'empty'),
      call(box, 'POST', '/clients', { first_name: 'Jo' }, 'empty'),
      call(box, 'GET', '/me', undefined, 'empty'),
    ]);

    // Assess
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(write.body.error).toEqual({ code: 'forbidden', message: 'key lacks leads:write' });
    expect(otherResource.body.error?.message).toBe('key lacks clients:read');
    expect(empty.map((answer) => answer.status)).toEqual([403, 403, 403]);
    expect(box.records('leads')).toEqual([]);
  });

  it('tells a key its scopes on GET /v1/me, counting the call toward the rate limit', async () => {
    // Prepare
    const scopes = { clients: ['read', 'write'] as const, leads: ['read'] as const };
    const box = await start({ scopes: { clients: [...scopes.clients], leads: [...scopes.leads] } });
    const full = await start({ rate: { limit: 1, windowSeconds: 60 } });

    // Act
    const me = await call(box, 'GET', '/me');
    const first = await call(full, 'GET', '/me');
    const second = await call(full, 'GET', '/me');

    // Assess
    expect(me).toMatchObject({ status: 200, body: { data: { scopes } } });
    expect((first.body.data as { scopes: object }).scopes).toEqual({
      leads: ['read', 'write'],
      clients: ['read', 'write'],
      contacts: ['read', 'write'],
      escrows: ['read', 'write'],
    });
    expect(second.status).toBe(429);
  });

  it('pages lists in creation order with page/limit and hasMore in the guide shape', async () => {
    // Prepare
    const leads = Array.from({ length: 5 }, (_, i) => ({ name: `Lead ${i}` }));
    const box = await start({ seed: { leads } });

    // Act
    const first = await call(box, 'GET', '/leads?page=1&limit=2');
    const last = await call(box, 'GET', '/leads?page=3&limit=2');
    const past = await call(box, 'GET', '/leads?page=4&limit=2');
    const whole = await call(box, 'GET', '/leads');
    const bad = await Promise.all(
      ['?limit=101', '?limit=0', '?page=0', '?page=x', '?offset=2', '?page=1&page=2'].map((q) =>
        call(box, 'GET', `/leads${q}`),
      ),
    );

    // Assess
    type Page = { leads: { id: string; name: string }[]; meta: Record<string, unknown> };
    const data = (answer: Answer) => answer.body.data as Page;
    expect(data(first).leads.map((lead) => lead.name)).toEqual(['Lead 0', 'Lead 1']);
    expect(data(first).leads.map((lead) => lead.id)).toEqual(box.seeded.leads.slice(0, 2));
    expect(data(first).meta).toEqual({ hasMore: true, page: 1, limit: 2, total: 5 });
    expect(data(last).leads.map((lead) => lead.name)).toEqual(['Lead 4']);
    expect(data(last).meta.hasMore).toBe(false);
    expect(data(past)).toEqual({ leads: [], meta: { hasMore: false, page: 4, limit: 2, total: 5 } });
    expect(data(whole).meta).toEqual({ hasMore: false, page: 1, limit: 100, total: 5 });
    expect(bad.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(bad[0]!.body.error).toMatchObject({ code: 'bad_request', field: 'limit' });
  });

  it("serves the guide's fetchExistingEmails loop unchanged", async () => {
    // Prepare
    const leads = Array.from({ length: 250 }, (_, i) => ({
      name: `Lead ${i}`,
      email: `Lead${i}@Example.com`,
    }));
    const box = await start({ seed: { leads: [...leads, { name: 'No email' }] } });
    const api = guideClient(box.baseUrl, box.apiKey);

    // Act: the guide's loop, word for word apart from types
    async function fetchExistingEmails(resource: string) {
      const emails = new Set<string>();
      const limit = 100;
      for (let page = 1; ; page++) {
        const data = await api.get(`/${resource}`, { page, limit });
        for (const record of data[resource]) {
          if (record.email) emails.add(record.email.toLowerCase().trim());
        }
        if (!data.meta.hasMore) break;
      }
      return emails;
    }
    const emails = await fetchExistingEmails('leads');
    const inspected = await fetch(new URL('/_sandbox/requests', box.baseUrl));

    // Assess
    expect(emails).toEqual(new Set(leads.map((lead) => lead.email.toLowerCase())));
    expect(box.requests().map((entry) => entry.path)).toEqual([
      '/v1/leads?page=1&limit=100',
      '/v1/leads?page=2&limit=100',
      '/v1/leads?page=3&limit=100',
    ]);
    expect(((await inspected.json()) as { data: unknown[] }).data).toEqual(box.requests());
  });

  it('answers 429 with Retry-After past the limit, per key, and serves no more than the limit', async () => {
    // Prepare
    const rate = { limit: 5, windowSeconds: 1 };
    const box = await start({ rate, keys: { other: { leads: ['read'] } } });

    // Act
    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push(
        i % 2 ? await call(box, 'GET', '/leads') : await call(box, 'POST', '/leads', { name: `L${i}` }),
      );
    }
    const otherKey = await call(box, 'GET', '/leads', undefined, 'other');
    const retryAfter = Number(answers[5]!.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const afterWait = await call(box, 'GET', '/leads');

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 201, 200, 201, 429, 429, 429]);
    expect(answers[5]!.body.error).toMatchObject({ code: 'rate_limited' });
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(otherKey.status).toBe(200);
    expect(afterWait.status).toBe(200);
    // Entry 8 is the other key's request: it has a window of its own.
    const mine = box.requests().filter((_entry, i) => i !== 8);
    expect(maxInAnyWindow(servedTimestamps(mine), rate.windowSeconds * 1000)).toBeLessThanOrEqual(rate.limit);
    expect(box.records('leads')).toHaveLength(3);
  });
});
