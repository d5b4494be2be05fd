import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClarifySandbox,
  type ClarifySandboxOptions,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';
import { servedTimestamps } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';

interface JsonApiError {
  status: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
}

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: unknown;
    errors?: JsonApiError[];
    links?: { next: string | null };
    meta?: { total: number };
  };
}

let sandbox: ClarifySandbox | undefined;

const start = async (options: ClarifySandboxOptions = {}): Promise<ClarifySandbox> => {
  sandbox = await startClarifySandbox(options);
  return sandbox;
};

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function call(
  box: ClarifySandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${box.baseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: { authorization: `api-key ${box.apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

const bulk = (box: ClarifySandbox, object: string, attributes: Record<string, unknown>[]) =>
  call(box, 'POST', `/objects/${object}/records/bulk`, {
    data: attributes.map((a) => ({ type: object, attributes: a })),
  });

const person = (email: string, extra: Record<string, unknown> = {}) => ({
  first_name: 'Jane',
  last_name: 'Doe',
  email_addresses: { items: [email] },
  ...extra,
});

const pointers = (answer: Answer) => answer.body.errors?.map((error) => error.source?.pointer);

describe('Clarify sandbox', () => {
  it('rejects a request without a valid api-key with 401', async () => {
    // Prepare
    const box = await start();

    // Act
    const missing = await call(box, 'GET', '/objects/person/resources', undefined, { authorization: '' });
    const wrong = await call(box, 'GET', '/objects/person/resources', undefined, {
      authorization: 'api-key nope',
    });
    const bearer = await call(box, 'GET', '/objects/person/resources', undefined, {
      authorization: `Bearer ${box.apiKey}`,
    });
    const good = await call(box, 'GET', '/objects/person/resources');

    // Assess
    expect([missing.status, wrong.status, bearer.status, good.status]).toEqual([401, 401, 401, 200]);
    expect(missing.body.errors?.[0]).toMatchObject({ status: '401', title: 'Unauthorized' });
  });

  it('creates a batch and returns ids in request order', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await bulk(box, 'company', [
      { name: 'Acme', domains: { items: ['acme.com'] } },
      { name: 'Beta' },
    ]);

    // Assess
    expect(answer.status).toBe(201);
    const data = answer.body.data as { id: string; type: string; attributes: { name: string } }[];
    expect(data.map((record) => record.attributes.name)).toEqual(['Acme', 'Beta']);
    expect(data.every((record) => /^com_[0-9A-Z]{26}$/.test(record.id))).toBe(true);
    expect(box.records('company').map((record) => record.id)).toEqual(data.map((record) => record.id));
    const people = await bulk(box, 'person', [person('jane@acme.com', { company_id: data[0]!.id })]);
    expect((people.body.data as { id: string }[])[0]!.id).toMatch(/^rec_[0-9A-Z]{26}$/);
  });

  it('rejects more than 25 items, and an empty batch, with 400', async () => {
    // Prepare
    const box = await start();
    const companies = Array.from({ length: 26 }, (_, i) => ({ name: `Company ${i}` }));

    // Act
    const tooMany = await bulk(box, 'company', companies);
    const empty = await bulk(box, 'company', []);

    // Assess
    expect(tooMany.status).toBe(400);
    expect(empty.status).toBe(400);
    expect(box.records('company')).toHaveLength(0);
  });

  it('is atomic: one bad item rejects the batch and the pointer names it', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await bulk(box, 'person', [
      person('a@x.com'),
      person('b@x.com'),
      person('bob@'),
      person('c@x.com'),
    ]);

    // Assess
    expect(answer.status).toBe(422);
    expect(pointers(answer)).toEqual(['/data/2/attributes/email_addresses/items/0']);
    expect(box.records('person')).toHaveLength(0);
  });

  it('answers 400 duplicate for an email that exists or repeats in the batch', async () => {
    // Prepare
    const box = await start({ seed: { person: [person('jane@acme.com')] } });

    // Act
    const existing = await bulk(box, 'person', [person('new@acme.com'), person('JANE@acme.com')]);
    const twice = await bulk(box, 'person', [
      person('sam@acme.com'),
      person('x@acme.com'),
      person('Sam@Acme.com'),
    ]);

    // Assess
    expect(existing.status).toBe(400);
    expect(pointers(existing)).toEqual(['/data/1/attributes/email_addresses']);
    expect(existing.body.errors?.[0]?.detail).toContain(box.seeded.person[0]);
    expect(twice.status).toBe(400);
    expect(pointers(twice)).toEqual(['/data/2/attributes/email_addresses']);
    expect(box.records('person')).toHaveLength(1);
  });

  it('answers 400 duplicate for a domain, compared lower-case, and 422 for a URL', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme', domains: { items: ['acme.com'] } }] } });

    // Act
    const duplicate = await bulk(box, 'company', [{ name: 'Acme 2', domains: { items: ['ACME.com'] } }]);
    const url = await bulk(box, 'company', [{ name: 'Beta', domains: { items: ['https://beta.com'] } }]);

    // Assess
    expect(duplicate.status).toBe(400);
    expect(url.status).toBe(422);
    expect(pointers(url)).toEqual(['/data/0/attributes/domains/items/0']);
    expect(box.records('company')).toHaveLength(1);
  });

  it('answers 422 when an item carries an id, on the item or in its attributes', async () => {
    // Prepare
    const box = await start();

    // Act
    const onItem = await call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'company', id: 'com_x', attributes: { name: 'Acme' } }],
    });
    const inAttributes = await bulk(box, 'company', [{ name: 'Acme' }, { name: 'Beta', id: 'com_y' }]);

    // Assess
    expect(onItem.status).toBe(422);
    expect(pointers(onItem)).toEqual(['/data/0/id']);
    expect(inAttributes.status).toBe(422);
    expect(pointers(inAttributes)).toEqual(['/data/1/attributes/id']);
    expect(box.records('company')).toHaveLength(0);
  });

  it('answers 422 naming an unknown attribute', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await bulk(box, 'company', [{ name: 'Acme', website: 'acme.com' }]);

    // Assess
    expect(answer.status).toBe(422);
    expect(pointers(answer)).toEqual(['/data/0/attributes/website']);
    expect(answer.body.errors?.[0]?.detail).toContain('website');
  });

  it('treats enum values as case-sensitive and lists the allowed ones', async () => {
    // Prepare
    const box = await start({ enums: { dealStage: ['Open', 'Won'] } });

    // Act
    const lower = await bulk(box, 'person', [person('a@x.com', { status: 'active' })]);
    const exact = await bulk(box, 'person', [person('a@x.com', { status: 'Active' })]);
    const stage = await bulk(box, 'deal', [{ name: 'Renewal', stage: 'Negotiation' }]);
    const configured = await bulk(box, 'deal', [{ name: 'Renewal', stage: 'Won' }]);

    // Assess
    expect(lower.status).toBe(422);
    expect(pointers(lower)).toEqual(['/data/0/attributes/status']);
    expect(lower.body.errors?.[0]?.detail).toContain("'Active'");
    expect(exact.status).toBe(201);
    expect(stage.status).toBe(422);
    expect(configured.status).toBe(201);
  });

  it('answers 422 for a company_id that is not an existing company', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme' }] } });

    // Act
    const unknown = await bulk(box, 'deal', [
      { name: 'Renewal', company_id: 'com_01HXNOTTHERE0000000000000' },
    ]);
    const known = await bulk(box, 'deal', [
      { name: 'Renewal', amount: 5000, company_id: box.seeded.company[0] },
    ]);

    // Assess
    expect(unknown.status).toBe(422);
    expect(pointers(unknown)).toEqual(['/data/0/attributes/company_id']);
    expect(known.status).toBe(201);
    expect(box.records('deal')).toHaveLength(1);
  });

  it('pages through records with links.next until it is null', async () => {
    // Prepare
    const companies = Array.from({ length: 7 }, (_, i) => ({ name: `Company ${i}` }));
    const box = await start({ seed: { company: companies } });

    // Act
    const seen: string[] = [];
    const totals: number[] = [];
    let next: string | null = '/objects/company/resources?page%5Blimit%5D=3';
    // Bounded, so a next link that never ends fails the test instead of hanging it.
    for (let pages = 0; next && pages < 10; pages++) {
      const page: Answer = await call(box, 'GET', next);
      expect(page.status).toBe(200);
      seen.push(...(page.body.data as { id: string }[]).map((record) => record.id));
      totals.push(page.body.meta!.total);
      next = page.body.links!.next;
    }
    const tooLarge = await call(box, 'GET', '/objects/company/resources?page[limit]=101');

    // Assess
    expect(seen).toEqual(box.seeded.company);
    expect(totals).toEqual([7, 7, 7]);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.errors?.[0]?.source).toEqual({ parameter: 'page[limit]' });
  });

  it('replaces the whole set of people of a deal on relationship PATCH', async () => {
    // Prepare
    const box = await start({
      seed: {
        person: [person('a@x.com'), person('b@x.com'), person('c@x.com')],
        deal: [{ name: 'Renewal' }],
      },
    });
    const [a, b, c] = box.seeded.person;
    const path = `/objects/deal/records/${box.seeded.deal[0]}/relationships/people`;
    const ids = (list: (string | undefined)[]) => ({ data: list.map((id) => ({ id, type: 'person' })) });

    // Act
    const first = await call(box, 'PATCH', path, ids([a, b]));
    const second = await call(box, 'PATCH', path, ids([c]));
    const unknown = await call(box, 'PATCH', path, ids([a, 'rec_missing']));
    const read = await call(box, 'GET', path);
    const noDeal = await call(
      box,
      'PATCH',
      '/objects/deal/records/rec_missing/relationships/people',
      ids([a]),
    );

    // Assess
    expect(first.status).toBe(200);
    expect(second.body.data).toEqual([{ id: c, type: 'person' }]);
    expect(unknown.status).toBe(422);
    expect(pointers(unknown)).toEqual(['/data/1/id']);
    expect(read.body.data).toEqual([{ id: c, type: 'person' }]);
    expect(box.dealPeople(box.seeded.deal[0]!)).toEqual([c]);
    expect(noDeal.status).toBe(404);
  });

  it('throttles with 429 and Retry-After, never serving more than the limit in a window', async () => {
    // Prepare
    const box = await start({ rate: { limit: 5, windowSeconds: 1 } });
    const list = () => call(box, 'GET', '/objects/company/resources');

    // Act
    const burst = await Promise.all(Array.from({ length: 8 }, list));
    const throttled = burst.find((answer) => answer.status === 429)!;
    await new Promise((resolve) => setTimeout(resolve, Number(throttled.headers.get('retry-after')) * 1000));
    const after = await Promise.all(Array.from({ length: 5 }, list));

    // Assess
    expect(burst.filter((answer) => answer.status === 200)).toHaveLength(5);
    expect(throttled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(throttled.body.errors?.[0]?.status).toBe('429');
    expect(after.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const log = box.requests();
    expect(log.filter((entry) => entry.throttled)).toHaveLength(3);
    expect(maxInAnyWindow(servedTimestamps(log), 1000)).toBe(5);
  });

  it('says what is left of the window in RateLimit headers when asked to', async () => {
    // Prepare
    const box = await start({ rate: { limit: 3, windowSeconds: 60 }, rateLimitHeaders: true });
    const quiet = await startClarifySandbox({ rate: { limit: 3, windowSeconds: 60 } });
    const list = (sandbox: ClarifySandbox) => call(sandbox, 'GET', '/objects/company/resources');

    // Act
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await list(box));
    const plain = await list(quiet).finally(() => quiet.close());

    // Assess
    expect(answers.map((a) => a.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers.map((a) => a.headers.get('ratelimit-limit'))).toEqual(['3', '3', '3', '3']);
    expect(answers[0]?.headers.get('ratelimit-reset')).toBe('60');
    expect(Number(answers[3]?.headers.get('ratelimit-reset'))).toBeGreaterThan(58);
    expect(answers[3]?.status).toBe(429);
    expect(plain.headers.get('ratelimit-remaining')).toBeNull();
  });

  it('seeds records through the same rules and reports their ids', async () => {
    // Prepare
    const seed = {
      company: [{ name: 'Acme', domains: { items: ['acme.com'] } }],
      person: [person('jane@acme.com', { company_id: 0 })],
      deal: [{ name: 'Renewal', company_id: 0, stage: 'Proposal' }],
      dealPeople: { '0': [0] },
    };

    // Act
    const box = await start({ seed });
    const rejected = startClarifySandbox({
      seed: { person: [person('jane@acme.com', { status: 'active' })] },
    });

    // Assess
    const [companyId] = box.seeded.company;
    expect(box.records('person')[0]).toMatchObject({
      id: box.seeded.person[0],
      attributes: { company_id: companyId },
    });
    expect(box.dealPeople(box.seeded.deal[0]!)).toEqual(box.seeded.person);
    expect(box.requests()).toEqual([]);
    await expect(rejected).rejects.toThrow(/person\/0\/attributes\/status/);
  });

  it('lets a fault hook commit the work and still answer 500', async () => {
    // Prepare
    let faulted = false;
    const box = await start({
      faults: (req) => {
        if (faulted || !req.pathname.endsWith('/records/bulk')) return undefined;
        faulted = true;
        return { kind: 'after-commit', status: 500 };
      },
    });

    // Act
    const first = await bulk(box, 'company', [{ name: 'Acme', domains: { items: ['acme.com'] } }]);
    const resent = await bulk(box, 'company', [{ name: 'Acme', domains: { items: ['acme.com'] } }]);

    // Assess
    expect(first.status).toBe(500);
    expect(box.records('company')).toHaveLength(1);
    expect(resent.status).toBe(400);
    expect(box.requests().map((entry) => [entry.status, entry.fault])).toEqual([
      [500, 'after-commit'],
      [400, undefined],
    ]);
  });
});
