import { describe, expect, it } from 'vitest';
import {
  CLARIFY_VARIANTS,
  type ClarifySandbox,
  type ClarifyVariants,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';
import { servedTimestamps } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { describeVariants, eachVariant } from '#sandbox/common/variants.ts';
import {
  type Answer,
  type Attrs,
  bulk,
  call,
  errorsOf,
  ids,
  person,
  pointers,
  sandboxes,
} from './clarify-client.ts';

const start = sandboxes();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Clarify sandbox: variants', () => {
  it('offers the conflicting readings as variants, the first of each the default', async () => {
    // Act
    const box = await start();
    const bad = startClarifySandbox({ variants: { names: 'camel' as ClarifyVariants['names'] } });

    // Assess
    expect(CLARIFY_VARIANTS).toEqual({
      names: ['nested', 'flat'],
      lifecycle: ['stage', 'status'],
      jobTitle: ['job_title', 'title'],
      schemas: ['array', 'keyed', 'unavailable'],
      errors: ['string', 'number', 'nest'],
      duplicate: ['400', '422'],
      relationships: ['identifiers', 'resources'],
      rateHeaders: ['X-RateLimit', 'none'],
    });
    expect(box.variants).toEqual({
      names: 'nested',
      lifecycle: 'stage',
      jobTitle: 'job_title',
      schemas: 'array',
      errors: 'string',
      duplicate: '400',
      relationships: 'identifiers',
      rateHeaders: 'X-RateLimit',
    });
    await expect(bad).rejects.toThrow(/names must be one of nested, flat/);
  });

  describe.each(
    eachVariant(CLARIFY_VARIANTS).map((v) => [describeVariants(CLARIFY_VARIANTS, v), v] as const),
  )('a client written from the references works under %s', (_label, variants) => {
    it('imports a company, a person and a deal, links them and reads them back', async () => {
      // Prepare
      const box = await start({ variants, rate: { limit: 20, windowSeconds: 2 } });
      const shape = await personShape(box);

      // Act
      const company = await bulk(box, 'company', [{ name: 'Acme', domains: { items: ['acme.com'] } }]);
      const [companyId] = ids(company);
      const people = await bulk(box, 'person', [
        {
          ...shape.name('Ada', 'Lovelace'),
          email_addresses: { items: ['ada@acme.com'] },
          company_id: companyId,
        },
        { ...shape.name('Alan', 'Turing'), [shape.lifecycle]: 'Customer' },
      ]);
      const deal = await bulk(box, 'deal', [
        { name: 'Renewal', stage: 'Prospecting', company_id: companyId },
      ]);
      const [dealId] = ids(deal);
      const linked = await call(box, 'PATCH', `/objects/deal/records/${dealId}/relationships/people`, {
        data: ids(people).map((id) => ({ id, type: 'person' })),
      });
      const read = await call(box, 'GET', `/objects/deal/records/${dealId}/relationships/people`);
      const listed = await listAll(box, 'person', 1);
      const again = await bulk(box, 'person', [
        { ...shape.name('Ada', 'L.'), email_addresses: { items: ['ada@acme.com'] } },
      ]);

      // Assess
      expect([company.status, people.status, deal.status, linked.status, read.status]).toEqual([
        201, 201, 201, 200, 200,
      ]);
      expect(ids(read).sort()).toEqual(ids(people).sort());
      expect(listed).toEqual(ids(people));
      expect(again.status).toBe(Number(variants.duplicate));
      expect(errorsOf(again)[0]?.detail).toMatch(/Duplicate record/);
    });
  });
});

describe('Clarify sandbox: authentication (A1–A5)', () => {
  it('A1: takes Authorization: api-key <key>; a missing or wrong key is 401', async () => {
    // Prepare
    const box = await start();
    const list = (authorization: string) =>
      call(box, 'GET', '/objects/person/resources', undefined, { authorization });

    // Act
    const good = await list(`api-key ${box.apiKey}`);
    const missing = await list('');
    const wrong = await list('api-key nope');

    // Assess
    expect([good.status, missing.status, wrong.status]).toEqual([200, 401, 401]);
    expect(missing.body.errors[0]).toMatchObject({ status: '401', title: 'Unauthorized' });
  });

  it('A2: an API key sent as Bearer is 401', async () => {
    // Prepare
    const box = await start();

    // Act
    const bearer = await call(box, 'GET', '/objects/person/resources', undefined, {
      authorization: `Bearer ${box.apiKey}`,
    });

    // Assess
    expect(bearer.status).toBe(401);
    expect(errorsOf(bearer)[0]?.detail).toContain('api-key');
  });

  it('A4: a path without /v1, or an unknown workspace, is 404', async () => {
    // Prepare
    const box = await start({ workspace: 'acme-ws' });
    const origin = new URL(box.baseUrl).origin;

    // Act
    const noVersion = await call(box, 'GET', `${origin}/workspaces/acme-ws/objects/person/resources`);
    const otherWorkspace = await call(box, 'GET', `${origin}/v1/workspaces/other/objects/person/resources`);
    const right = await call(box, 'GET', `${origin}/v1/workspaces/acme-ws/objects/person/resources`);

    // Assess
    expect([noVersion.status, otherWorkspace.status, right.status]).toEqual([404, 404, 200]);
    expect(errorsOf(otherWorkspace)[0]?.detail).toBe('Workspace not found');
  });

  it('A5: mutations take ?silent=true; other values or parameters are 400', async () => {
    // Prepare
    const box = await start();
    const post = (query: string) =>
      call(box, 'POST', `/objects/company/records${query}`, {
        data: { type: 'company', attributes: { name: 'A' } },
      });

    // Act
    const silent = await post('?silent=true');
    const maybe = await post('?silent=maybe');
    const other = await post('?notify=false');

    // Assess
    expect([silent.status, maybe.status, other.status]).toEqual([201, 400, 400]);
    expect(errorsOf(other)[0]?.parameter).toBe('notify');
  });
});

/** What a client learns about the person form from `GET /schemas`, or by trying when there is none. */
async function personShape(box: ClarifySandbox) {
  const answer = await call(box, 'GET', '/schemas');
  let schema: { properties: Record<string, { enum?: string[]; properties?: object }> } | undefined;
  if (answer.status === 200) {
    const data = answer.body.data;
    schema = Array.isArray(data)
      ? data.find((s: { id: string }) => s.id.endsWith('/entities/person')).attributes
      : data['core/person'];
  }
  let nested: boolean;
  let lifecycle: string;
  if (schema) {
    nested = 'name' in schema.properties;
    lifecycle = Object.keys(schema.properties).find((key) => schema.properties[key]?.enum) ?? 'stage';
  } else {
    // SC2 unavailable: try the recorded form (F1), then the other one (F2); probe the lifecycle field.
    const probe = await bulk(box, 'person', [{ name: { first_name: 'Probe' }, stage: 'Lead', _probe: 1 }]);
    const refused = pointers(probe).map((p) => p?.split('/').pop());
    nested = !refused.includes('name');
    lifecycle = refused.includes('stage') ? 'status' : 'stage';
  }
  return {
    lifecycle,
    name: (first: string, last: string): Attrs =>
      nested ? { name: { first_name: first, last_name: last } } : { first_name: first, last_name: last },
  };
}

/** Q8: pages by rebuilding each request from `page[offset]` on the base URL, never following links.next. */
async function listAll(box: ClarifySandbox, object: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let offset: string | null = '0';
  for (let pages = 0; offset !== null && pages < 50; pages++) {
    const page: Answer = await call(
      box,
      'GET',
      `/objects/${object}/resources?page[limit]=${limit}&page[offset]=${offset}`,
    );
    expect(page.status).toBe(200);
    seen.push(...ids(page));
    const next: string | null = page.body.links.next;
    offset = next === null ? null : new URL(next).searchParams.get('page[offset]');
  }
  return seen;
}

describe('Clarify sandbox: GET /schemas (SC1–SC4)', () => {
  it('SC2: schemas=array answers schema resources with ids, type and a JSON Schema, links.next null', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await call(box, 'GET', '/schemas');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.data.map((s: { id: string; type: string }) => [s.id, s.type])).toEqual([
      ['https://getclarify.ai/schemas/entities/company', 'schema'],
      ['https://getclarify.ai/schemas/entities/person', 'schema'],
      ['https://getclarify.ai/schemas/entities/deal', 'schema'],
    ]);
    expect(answer.body.data[1].attributes).toMatchObject({ type: 'object', properties: expect.any(Object) });
    expect(answer.body.links).toEqual({ next: null, prev: null });
  });

  it('SC2: schemas=keyed answers an object keyed by core/person, core/company, core/deal', async () => {
    // Prepare
    const box = await start({ variants: { schemas: 'keyed' } });

    // Act
    const answer = await call(box, 'GET', '/schemas');

    // Assess
    expect(Object.keys(answer.body.data)).toEqual(['core/company', 'core/person', 'core/deal']);
    expect(answer.body.data['core/deal'].properties.stage.enum).toContain('Prospecting');
  });

  it('SC2: schemas=unavailable answers 404, so a client must fall back', async () => {
    // Prepare
    const box = await start({ variants: { schemas: 'unavailable' } });

    // Act
    const answer = await call(box, 'GET', '/schemas');

    // Assess
    expect(answer.status).toBe(404);
  });

  it('SC3: enums sit in properties.<field>.enum with the workspace values, under the lifecycle field in force', async () => {
    // Prepare
    const stage = await start({ enums: { personLifecycle: ['Cold', 'Warm'], dealStage: ['Open', 'Won'] } });
    const status = await start({ variants: { lifecycle: 'status', schemas: 'keyed' } });

    // Act
    const stageSchemas = await call(stage, 'GET', '/schemas');
    const statusSchemas = await call(status, 'GET', '/schemas');

    // Assess
    const [, personSchema, dealSchema] = stageSchemas.body.data;
    expect(personSchema.attributes.properties.stage.enum).toEqual(['Cold', 'Warm']);
    expect(personSchema.attributes.properties.status).toBeUndefined();
    expect(dealSchema.attributes.properties.stage.enum).toEqual(['Open', 'Won']);
    expect(statusSchemas.body.data['core/person'].properties.status.enum).toEqual([
      'Lead',
      'Qualified',
      'Customer',
    ]);
  });

  it('SC4: relationship fields carry xClarifyRelationship, unique fields xClarifyUnique', async () => {
    // Prepare
    const box = await start({ variants: { schemas: 'keyed' } });

    // Act
    const { data } = (await call(box, 'GET', '/schemas')).body;

    // Assess
    expect(data['core/person'].properties.company_id.xClarifyRelationship).toEqual({
      kind: 'many-to-one',
      entity: 'company',
      field: 'id',
    });
    expect(data['core/person'].properties.email_addresses.xClarifyUnique).toBe(true);
    expect(data['core/company'].properties.domains.xClarifyUnique).toBe(true);
    expect(data['core/deal'].properties.name.xClarifyUnique).toBe(true);
    expect(data['core/deal'].properties.close_date).toMatchObject({ type: 'string', format: 'date' });
  });

  it.each([
    ['nested', 'stage'],
    ['flat', 'status'],
  ] as const)(
    'SC1: the schemas describe exactly what a names=%s, lifecycle=%s workspace accepts',
    async (names, lifecycle) => {
      // Prepare
      const box = await start({ variants: { names, lifecycle }, seed: { company: [{ name: 'Acme' }] } });
      const { data } = (await call(box, 'GET', '/schemas')).body;
      const schemas = Object.fromEntries(
        data.map((s: { id: string; attributes: Attrs }) => [s.id.split('/').pop(), s.attributes]),
      );

      // Act: a record with every writable property, built from the schema alone
      const answers: Record<string, Answer> = {};
      for (const object of ['company', 'person', 'deal']) {
        answers[object] = await bulk(box, object, [sampleFrom(schemas[object], box.seeded.company[0]!)]);
      }

      // Assess
      const personProps = Object.keys(schemas.person.properties).sort();
      const nameProps = names === 'nested' ? ['name'] : ['first_name', 'last_name'];
      expect(personProps).toEqual(
        [...nameProps, 'email_addresses', 'phone_numbers', 'job_title', 'company_id', lifecycle].sort(),
      );
      expect(Object.keys(schemas.company.properties)).toEqual(['name', 'domains']);
      expect(Object.keys(schemas.deal.properties).sort()).toEqual(
        ['amount', 'close_date', 'company_id', 'description', 'lead_source', 'name', 'stage'].sort(),
      );
      expect(Object.fromEntries(Object.entries(answers).map(([o, a]) => [o, a.status]))).toEqual({
        company: 201,
        person: 201,
        deal: 201,
      });
    },
  );
});

type Schema = {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: string[];
  readOnly?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
};

/** One value per writable property, read from the JSON Schema the way a generic client would. */
function sampleFrom(schema: Schema, companyId: string): Attrs {
  const value = (s: Schema): unknown => {
    if (s.enum) return s.enum[0];
    if (s.type === 'number') return 12.5;
    if (s.format === 'date') return '2026-01-31';
    if (s.format === 'uuid') return companyId;
    if (s.format === 'email') return 'sample@example.com';
    if (s.format === 'hostname') return 'example.com';
    if (s.pattern?.startsWith('^\\+')) return '+14155550123';
    if (s.type === 'object' && s.properties) return sampleFrom(s, companyId);
    if (s.type === 'array' && s.items) return [value(s.items)];
    return 'Sample';
  };
  return Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .filter(([, s]) => !s.readOnly)
      .map(([name, s]) => [name, value(s)]),
  );
}

describe('Clarify sandbox: error bodies (ER1–ER3)', () => {
  const badBatch = [person('a@x.com'), person('b@x.com'), person('c@x.com'), person('x')];

  it('ER1, ER2: errors=string answers JSON:API errors with status a string and a pointer', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await bulk(box, 'person', badBatch);

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      errors: [
        {
          status: '422',
          title: 'Invalid attribute',
          detail: "'x' is not a valid email address",
          source: { pointer: '/data/3/attributes/email_addresses/items/0' },
        },
      ],
    });
  });

  it('ER2: errors=number answers the same with status a number; a query problem names its parameter', async () => {
    // Prepare
    const box = await start({ variants: { errors: 'number' } });

    // Act
    const answer = await bulk(box, 'person', badBatch);
    const query = await call(box, 'GET', '/objects/person/resources?page[limit]=501');

    // Assess
    expect(answer.body.errors[0]).toMatchObject({
      status: 422,
      source: { pointer: '/data/3/attributes/email_addresses/items/0' },
    });
    expect(query.body.errors[0]).toMatchObject({ status: 400, source: { parameter: 'page[limit]' } });
  });

  it('ER3: errors=nest answers {statusCode, message[], error}, each message naming the item it is about', async () => {
    // Prepare
    const box = await start({ variants: { errors: 'nest' }, rate: { limit: 1, windowSeconds: 60 } });

    // Act
    const invalid = await bulk(box, 'person', badBatch);
    const unauthorized = await call(box, 'GET', '/objects/person/resources', undefined, {
      authorization: 'api-key no',
    });
    await call(box, 'GET', '/objects/person/resources');
    const throttled = await call(box, 'GET', '/objects/person/resources');

    // Assess
    expect(invalid.body).toEqual({
      statusCode: 422,
      message: ["data.3.attributes.email_addresses.items.0: 'x' is not a valid email address"],
      error: 'Unprocessable Entity',
    });
    expect(unauthorized.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(throttled.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });
});

describe('Clarify sandbox: lists (Q1–Q17)', () => {
  const companies = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Company ${i}` }));

  it('Q3, Q4: page[limit] defaults to 500 and more than 500 is 400; page[offset] defaults to 0', async () => {
    // Prepare
    const box = await start({ seed: { company: companies(3) } });

    // Act
    const plain = await call(box, 'GET', '/objects/company/resources');
    const max = await call(box, 'GET', '/objects/company/resources?page[limit]=500');
    const over = await call(box, 'GET', '/objects/company/resources?page[limit]=501');
    const zero = await call(box, 'GET', '/objects/company/resources?page[limit]=0');

    // Assess
    expect(plain.body.meta).toEqual({ total_records: 3, offset: 0, limit: 500 });
    expect(max.status).toBe(200);
    expect([over.status, zero.status]).toEqual([400, 400]);
    expect(errorsOf(over)[0]?.parameter).toBe('page[limit]');
  });

  it('Q5, Q6: meta is {total_records, offset, limit}, without total_pages', async () => {
    // Prepare
    const box = await start({ seed: { company: companies(7) } });

    // Act
    const page = await call(box, 'GET', '/objects/company/resources?page[limit]=3&page[offset]=3');

    // Assess
    expect(page.body.meta).toEqual({ total_records: 7, offset: 3, limit: 3 });
    expect(ids(page)).toEqual(box.seeded.company.slice(3, 6));
  });

  it('Q7: links.next and links.prev are always present, null on the last and first page', async () => {
    // Prepare
    const box = await start({ seed: { company: companies(5) } });

    // Act
    const first = await call(box, 'GET', '/objects/company/resources?page[limit]=2');
    const last = await call(box, 'GET', '/objects/company/resources?page[limit]=2&page[offset]=4');
    const empty = await call(box, 'GET', '/objects/person/resources');

    // Assess
    expect(first.body.links.prev).toBeNull();
    expect(first.body.links.next).toEqual(expect.any(String));
    expect(last.body.links.next).toBeNull();
    expect(last.body.links.prev).toEqual(expect.any(String));
    expect(empty.body.links).toEqual({ next: null, prev: null });
  });

  it('Q8: links.next is an http:// URL that does not answer; page[offset] works', async () => {
    // Prepare
    const box = await start({ seed: { company: companies(7) } });

    // Act
    const first = await call(box, 'GET', '/objects/company/resources?page[limit]=3');
    const next: string = first.body.links.next;
    const followed = await fetch(next, { headers: { authorization: `api-key ${box.apiKey}` } }).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    const rebuilt = await listAll(box, 'company', 3);

    // Assess
    expect(next).toMatch(/^http:\/\//);
    expect(new URL(next).pathname).toBe(new URL(`${box.baseUrl}/objects/company/resources`).pathname);
    expect(new URL(next).searchParams.get('page[offset]')).toBe('3');
    expect(followed).toBe('fetch failed');
    expect(rebuilt).toEqual(box.seeded.company);
  });

  it('Q9: sortOrder[column] and sortOrder[dir]=ASC|DESC sort the collection', async () => {
    // Prepare
    const box = await start({
      seed: {
        deal: [
          { name: 'B', amount: 2 },
          { name: 'C', amount: 3 },
          { name: 'A', amount: 1 },
        ],
      },
    });

    // Act
    const desc = await call(
      box,
      'GET',
      '/objects/deal/resources?sortOrder[column]=amount&sortOrder[dir]=DESC',
    );
    const asc = await call(box, 'GET', '/objects/deal/resources?sortOrder[column]=name');
    const lower = await call(
      box,
      'GET',
      '/objects/deal/resources?sortOrder[column]=name&sortOrder[dir]=desc',
    );

    // Assess
    expect(desc.body.data.map((r: { attributes: Attrs }) => r.attributes.name)).toEqual(['C', 'B', 'A']);
    expect(asc.body.data.map((r: { attributes: Attrs }) => r.attributes.name)).toEqual(['A', 'B', 'C']);
    expect(lower.status).toBe(400);
  });

  it('Q10: filter operators are case-sensitive; Equals and unknown operators are 400', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme' }, { name: 'Beta' }] } });
    const list = (query: string) => call(box, 'GET', `/objects/company/resources?${query}`);

    // Act
    const is = await list('filter[name][Is]=Acme');
    const isNot = await list('filter[name][Is not]=Acme');
    const equals = await list('filter[name][Equals]=Acme');
    const lower = await list('filter[name][contains]=Ac');
    const unknownField = await list('filter[website][Is]=x');

    // Assess
    expect(is.body.data.map((r: { attributes: Attrs }) => r.attributes.name)).toEqual(['Acme']);
    expect(isNot.body.data.map((r: { attributes: Attrs }) => r.attributes.name)).toEqual(['Beta']);
    expect([equals.status, lower.status, unknownField.status]).toEqual([400, 400, 400]);
  });

  it('Q11–Q13: collections filter with Contains / Does not contain; a bare value on a collection is 400', async () => {
    // Prepare
    const box = await start({
      seed: {
        person: [person('jane@acme.com'), person('mary.jane@acme.com'), person('bob@beta.com')],
        company: [{ name: 'Acme', domains: { items: ['acme.com'] } }, { name: 'Beta' }],
      },
    });
    const list = (object: string, query: string) => call(box, 'GET', `/objects/${object}/resources?${query}`);

    // Act
    const contains = await list('person', 'filter[email_addresses][Contains]=jane@acme.com');
    const notContains = await list('person', 'filter[email_addresses][Does not contain]=acme.com');
    const bare = await list('person', 'filter[email_addresses]=jane@acme.com');
    const domain = await list('company', 'filter[domains][Contains]=acme.com');
    const empty = await list('company', 'filter[domains][Is empty]=');

    // Assess
    const [jane, maryJane, bob] = box.seeded.person;
    expect(ids(contains)).toEqual([jane, maryJane]);
    expect(ids(notContains)).toEqual([bob]);
    expect(bare.status).toBe(400);
    expect(ids(domain)).toEqual([box.seeded.company[0]]);
    expect(ids(empty)).toEqual([box.seeded.company[1]]);
  });

  it('Q14: a bare filter value reads the documented shorthand', async () => {
    // Prepare
    const box = await start({
      seed: { deal: [{ name: 'Smith renewal', amount: 5 }, { name: 'Jones', amount: 50 }, { name: 'Lee' }] },
    });
    const names = async (query: string) =>
      (await call(box, 'GET', `/objects/deal/resources?${query}`)).body.data.map(
        (r: { attributes: Attrs }) => r.attributes.name,
      );

    // Act + Assess
    expect(await names('filter[name]=*smith*')).toEqual(['Smith renewal']);
    expect(await names('filter[name]=Jones,Lee')).toEqual(['Jones', 'Lee']);
    expect(await names('filter[amount]=>10')).toEqual(['Jones']);
    expect(await names('filter[amount]=null')).toEqual(['Lee']);
    expect(await names('filter[name]=!=Lee')).toEqual(['Smith renewal', 'Jones']);
  });

  it('Q15, Q17: parameters the sandbox does not simulate, and unknown ones, are 400 (never ignored)', async () => {
    // Prepare
    const box = await start();

    // Act
    const include = await call(box, 'GET', '/objects/person/resources?include=company_id');
    const dotted = await call(box, 'GET', '/objects/person/resources?filter[company_id.name]=Acme');
    const unknown = await call(box, 'GET', '/objects/person/resources?limit=10');
    const twice = await call(box, 'GET', '/objects/person/resources?page[limit]=1&page[limit]=2');

    // Assess
    expect([include.status, dotted.status, unknown.status, twice.status]).toEqual([400, 400, 400, 400]);
    expect(errorsOf(include)[0]?.detail).toContain('not simulated');
  });
});

describe('Clarify sandbox: deal ↔ people relationships (R1–R7)', () => {
  const seed = {
    person: [person('a@x.com'), person('b@x.com'), person('c@x.com')],
    deal: [{ name: 'Renewal' }],
  };
  const path = (box: ClarifySandbox) => `/objects/deal/records/${box.seeded.deal[0]}/relationships/people`;
  const identifiers = (list: (string | undefined)[]) => ({
    data: list.map((id) => ({ id, type: 'person' })),
  });

  it('R2, R3, R5: PATCH replaces the whole set (200); DELETE unlinks the listed people (204)', async () => {
    // Prepare
    const box = await start({ seed });
    const [a, b, c] = box.seeded.person;

    // Act
    const first = await call(box, 'PATCH', path(box), identifiers([a, b]));
    const second = await call(box, 'PATCH', path(box), identifiers([b, c]));
    const removed = await call(box, 'DELETE', path(box), identifiers([b]));
    const unknown = await call(
      box,
      'PATCH',
      path(box),
      identifiers([a, 'd1000000-0000-4000-8000-000000000001']),
    );
    const wrongType = await call(box, 'PATCH', path(box), { data: [{ id: a, type: 'company' }] });

    // Assess
    expect(first.status).toBe(200);
    expect(second.body.data).toEqual([
      { id: b, type: 'person' },
      { id: c, type: 'person' },
    ]);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined();
    expect(unknown.status).toBe(422);
    expect(pointers(unknown)).toEqual(['/data/1/id']);
    expect(wrongType.status).toBe(409);
    expect(box.dealPeople(box.seeded.deal[0]!)).toEqual([c]);
  });

  it('R1, R6: relationships=identifiers answers {data: [{id, type}]} and takes no page parameters', async () => {
    // Prepare
    const box = await start({ seed: { ...seed, dealPeople: { '0': [0, 1] } } });
    const [a, b] = box.seeded.person;

    // Act
    const read = await call(box, 'GET', path(box));
    const paged = await call(box, 'GET', `${path(box)}?page[limit]=10`);

    // Assess
    expect(read.body).toEqual(identifiers([a, b]));
    expect(paged.status).toBe(400);
  });

  it('R6: relationships=resources answers full resources with meta and links, page[limit] at most 500', async () => {
    // Prepare
    const box = await start({
      variants: { relationships: 'resources' },
      seed: { ...seed, dealPeople: { '0': [0, 1, 2] } },
    });

    // Act
    const first = await call(box, 'GET', `${path(box)}?page[limit]=2`);
    const over = await call(box, 'GET', `${path(box)}?page[limit]=501`);

    // Assess
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0]).toMatchObject({
      id: box.seeded.person[0],
      type: 'person',
      attributes: { name: { first_name: 'Jane' } },
    });
    expect(first.body.meta).toEqual({ total_records: 3, offset: 0, limit: 2 });
    expect(first.body.links.next).toMatch(/^http:\/\/.*page\[offset\]=2/);
    expect(over.status).toBe(400);
  });

  it('R7: only deal → people is simulated; an unknown deal is 404', async () => {
    // Prepare
    const box = await start({ seed });

    // Act
    const other = await call(box, 'GET', `/objects/deal/records/${box.seeded.deal[0]}/relationships/tasks`);
    const noDeal = await call(
      box,
      'GET',
      '/objects/deal/records/d1000000-0000-4000-8000-000000000001/relationships/people',
    );

    // Assess
    expect([other.status, noDeal.status]).toEqual([404, 404]);
  });
});

describe('Clarify sandbox: 409 and rate limits (ER8, RL1–RL3)', () => {
  it('ER8: with schemaBusy, the first N writes answer 409 "Schema is being modified…"; reads are unaffected', async () => {
    // Prepare
    const box = await start({ schemaBusy: 2 });
    const create = () => bulk(box, 'company', [{ name: 'Acme' }]);

    // Act
    const first = await create();
    const read = await call(box, 'GET', '/objects/company/resources');
    const second = await create();
    const third = await create();

    // Assess
    expect([first.status, read.status, second.status, third.status]).toEqual([409, 200, 409, 201]);
    expect(errorsOf(first)[0]?.detail).toBe('Schema is being modified by another request. Please retry.');
    expect(box.records('company')).toHaveLength(1);
  });

  it('RL1, RL2: throttles with 429 and Retry-After per endpoint, never serving more than the limit in a window', async () => {
    // Prepare
    const box = await start({ rate: { limit: 5, windowSeconds: 1 } });
    const list = () => call(box, 'GET', '/objects/company/resources');

    // Act
    const burst = await Promise.all(Array.from({ length: 8 }, list));
    const otherEndpoint = await bulk(box, 'company', [{ name: 'Acme' }]);
    const throttled = burst.find((answer) => answer.status === 429)!;
    await sleep(Number(throttled.headers.get('retry-after')) * 1000);
    const after = await Promise.all(Array.from({ length: 5 }, list));

    // Assess
    expect(burst.filter((answer) => answer.status === 200)).toHaveLength(5);
    expect(throttled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(errorsOf(throttled)[0]?.status).toBe(429);
    expect(otherEndpoint.status).toBe(201);
    expect(after.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const gets = box.requests().filter((entry) => entry.method === 'GET');
    expect(gets.filter((entry) => entry.throttled)).toHaveLength(3);
    expect(maxInAnyWindow(servedTimestamps(gets), 1000)).toBe(5);
  });

  it('RL1: one window per endpoint template: bulk creates of all objects share it, a record id does not split it', async () => {
    // Prepare
    const box = await start({
      rate: { limit: 2, windowSeconds: 60 },
      seed: { company: [{ name: 'Acme' }, { name: 'Beta' }] },
    });
    const [acme, beta] = box.seeded.company;

    // Act
    const company = await bulk(box, 'company', [{ name: 'Gamma' }]);
    const people = await bulk(box, 'person', [person('a@x.com')]);
    const deals = await bulk(box, 'deal', [{ name: 'Renewal' }]);
    const reads = [
      await call(box, 'GET', `/objects/company/records/${acme}`),
      await call(box, 'GET', `/objects/company/records/${beta}`),
      await call(box, 'GET', `/objects/company/records/${acme}`),
    ];

    // Assess
    expect([company.status, people.status, deals.status]).toEqual([201, 201, 429]);
    expect(reads.map((r) => r.status)).toEqual([200, 200, 429]);
  });

  it('RL2, RL3: X-RateLimit-* on every answer, and a bulk of 25 counts as one request', async () => {
    // Prepare
    const box = await start({ rate: { limit: 3, windowSeconds: 60 } });
    const batch = Array.from({ length: 25 }, (_, i) => ({ name: `Company ${i}` }));

    // Act
    const answers = [
      await bulk(box, 'company', batch),
      await bulk(box, 'company', [{ website: 'x' }]),
      await bulk(box, 'company', batch),
      await bulk(box, 'company', batch),
    ];

    // Assess
    expect(answers.map((a) => a.status)).toEqual([201, 422, 201, 429]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers.map((a) => a.headers.get('x-ratelimit-limit'))).toEqual(['3', '3', '3', '3']);
    expect(answers[0]?.headers.get('x-ratelimit-reset')).toBe('60');
    expect(answers[3]?.headers.get('retry-after')).toMatch(/^(59|60)$/);
    expect(box.records('company')).toHaveLength(50);
  });

  it('RL2: rateHeaders=none sends no rate-limit headers, but still Retry-After on 429', async () => {
    // Prepare
    const box = await start({ variants: { rateHeaders: 'none' }, rate: { limit: 1, windowSeconds: 60 } });

    // Act
    const served = await call(box, 'GET', '/objects/company/resources');
    const throttled = await call(box, 'GET', '/objects/company/resources');

    // Assess
    expect(served.headers.get('x-ratelimit-remaining')).toBeNull();
    expect(served.headers.get('ratelimit-remaining')).toBeNull();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });

  it('RL1: defaults to 3,000 requests per 60 s', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await call(box, 'GET', '/objects/company/resources');

    // Assess
    expect(answer.headers.get('x-ratelimit-limit')).toBe('3000');
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('2999');
  });
});

describe('Clarify sandbox: seeding, observability and faults', () => {
  it('seeds records in the workspace shape through the same rules, and reports their ids', async () => {
    // Prepare
    const seed = {
      company: [{ name: 'Acme', domains: { items: ['acme.com'] } }],
      person: [
        { first_name: 'Jane', email_addresses: { items: ['jane@acme.com'] }, company_id: 0, status: 'Lead' },
      ],
      deal: [{ name: 'Renewal', company_id: 0, stage: 'Proposal' }],
      dealPeople: { '0': [0] },
    };

    // Act
    const box = await start({ seed, variants: { names: 'flat', lifecycle: 'status' } });
    const rejected = startClarifySandbox({ seed: { person: [person('jane@acme.com', { stage: 'lead' })] } });

    // Assess
    const [companyId] = box.seeded.company;
    expect(box.records('person')[0]).toMatchObject({
      id: box.seeded.person[0],
      attributes: { first_name: 'Jane', company_id: companyId, status: 'Lead' },
    });
    expect(box.dealPeople(box.seeded.deal[0]!)).toEqual(box.seeded.person);
    expect(box.requests()).toEqual([]);
    await expect(rejected).rejects.toThrow(/person\/0\/attributes\/stage/);
  });

  it('logs every API request with its object and item count, but not inspection requests', async () => {
    // Prepare
    const box = await start();
    const origin = new URL(box.baseUrl).origin;

    // Act
    await bulk(box, 'company', [{ name: 'Acme' }, { name: 'Beta' }]);
    await fetch(`${box.baseUrl}/objects/company/resources`);
    const records = (await (await fetch(`${origin}/_sandbox/records?object=company`)).json()) as {
      data: unknown;
    };
    const requests = (await (await fetch(`${origin}/_sandbox/requests`)).json()) as { data: unknown };
    const variants = (await (await fetch(`${origin}/_sandbox/variants`)).json()) as { data: unknown };

    // Assess
    expect(records.data).toEqual(box.records('company'));
    expect(requests.data).toEqual(box.requests());
    expect(variants.data).toEqual(box.variants);
    expect(box.requests()).toMatchObject([
      { method: 'POST', status: 201, object: 'company', items: 2, throttled: false },
      {
        method: 'GET',
        path: '/v1/workspaces/ws_local/objects/company/resources',
        status: 401,
        throttled: false,
      },
    ]);
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
    const create = () => bulk(box, 'company', [{ name: 'Acme', domains: { items: ['acme.com'] } }]);

    // Act
    const first = await create();
    const resent = await create();

    // Assess
    expect(first.status).toBe(500);
    expect(box.records('company')).toHaveLength(1);
    expect(resent.status).toBe(400);
    expect(box.requests().map((entry) => [entry.status, entry.fault])).toEqual([
      [500, 'after-commit'],
      [400, undefined],
    ]);
  });

  it('answers an injected status without doing the work, in the variant error shape', async () => {
    // Prepare
    const box = await start({
      variants: { errors: 'nest' },
      faults: () => ({ kind: 'status', status: 503, retryAfter: 2 }),
    });

    // Act
    const answer = await bulk(box, 'company', [{ name: 'Acme' }]);

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.body).toMatchObject({ statusCode: 503 });
    expect(box.records('company')).toHaveLength(0);
  });

  it('drops the connection after committing when asked to', async () => {
    // Prepare
    const box = await start({ faults: () => ({ kind: 'drop-after-commit' }) });

    // Act
    const sent = bulk(box, 'company', [{ name: 'Acme' }]);

    // Assess
    await expect(sent).rejects.toThrow();
    expect(box.records('company')).toHaveLength(1);
    expect(box.requests()).toMatchObject([{ status: 0, fault: 'drop-after-commit' }]);
  });

  it('adds the configured latency to every answer', async () => {
    // Prepare
    const box = await start({ latencyMs: 150 });
    const started = performance.now();

    // Act
    const answer = await call(box, 'GET', '/objects/deal/resources');

    // Assess
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});
