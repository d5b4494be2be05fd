import { describe, expect, it } from 'vitest';
import {
  type Attrs,
  bulk,
  call,
  createOne,
  errorsOf,
  ids,
  person,
  pointers,
  sandboxes,
  UUID,
} from './clarify-client.ts';

const start = sandboxes();

describe('Clarify sandbox: attributes (F1–F14)', () => {
  it('F1: names=nested takes name {first_name, last_name}, stores full_name, refuses flat names with 422', async () => {
    // Prepare
    const box = await start();

    // Act
    const nested = await bulk(box, 'person', [person('jane@acme.com')]);
    const flat = await bulk(box, 'person', [{ first_name: 'Jane', email_addresses: { items: ['j@x.com'] } }]);
    const asString = await bulk(box, 'person', [{ name: 'Jane Doe' }]);
    const fullName = await bulk(box, 'person', [{ name: { full_name: 'Jane Doe' } }]);

    // Assess
    expect(nested.status).toBe(201);
    expect(nested.body.data[0].attributes.name).toEqual({
      first_name: 'Jane',
      last_name: 'Doe',
      full_name: 'Jane Doe',
    });
    expect(flat.status).toBe(422);
    expect(pointers(flat)).toEqual(['/data/0/attributes/first_name', '/data/0/attributes/name']);
    expect(errorsOf(flat)[0]?.detail).toContain('first_name');
    expect(asString.status).toBe(422);
    expect(pointers(asString)).toEqual(['/data/0/attributes/name']);
    expect(fullName.status).toBe(422);
    expect(pointers(fullName)).toEqual(['/data/0/attributes/name/full_name']);
    expect(box.records('person')).toHaveLength(1);
  });

  it('F2: names=flat takes top-level first_name/last_name and refuses name with 422', async () => {
    // Prepare
    const box = await start({ variants: { names: 'flat' } });

    // Act
    const flat = await bulk(box, 'person', [{ first_name: 'Jane', last_name: 'Doe' }]);
    const nested = await bulk(box, 'person', [person('jane@acme.com')]);

    // Assess
    expect(flat.status).toBe(201);
    expect(flat.body.data[0].attributes).toMatchObject({ first_name: 'Jane', last_name: 'Doe' });
    expect(nested.status).toBe(422);
    expect(pointers(nested)).toEqual(['/data/0/attributes/name']);
    expect(errorsOf(nested)[0]?.detail).toContain("'name'");
  });

  it('CL1: a person needs a non-empty first or last name, in either name form', async () => {
    // Prepare
    const nested = await start();
    const flat = await start({ variants: { names: 'flat' } });

    // Act
    const lastOnly = await bulk(nested, 'person', [{ name: { last_name: 'Doe' } }]);
    const blank = await bulk(nested, 'person', [{ name: { first_name: ' ' } }]);
    const none = await bulk(nested, 'person', [{ email_addresses: { items: ['a@x.com'] } }]);
    const flatBlank = await bulk(flat, 'person', [{ first_name: '', last_name: '' }]);
    const flatFirst = await bulk(flat, 'person', [{ first_name: 'Jane' }]);

    // Assess
    expect(lastOnly.status).toBe(201);
    expect(blank.status).toBe(422);
    expect(pointers(blank)).toEqual(['/data/0/attributes/name']);
    expect(none.status).toBe(422);
    expect(pointers(none)).toEqual(['/data/0/attributes/name']);
    expect(flatBlank.status).toBe(422);
    expect(flatFirst.status).toBe(201);
  });

  it('F3: email_addresses is {items: [...]}; a bare array or a bad email is 422', async () => {
    // Prepare
    const box = await start();

    // Act
    const bare = await bulk(box, 'person', [person('x', { email_addresses: ['jane@acme.com'] })]);
    const bad = await bulk(box, 'person', [person('jane@acme.com'), person('bob@')]);
    const good = await bulk(box, 'person', [
      person('x', { email_addresses: { items: ['a@acme.com', 'b@acme.com'] } }),
    ]);

    // Assess
    expect(bare.status).toBe(422);
    expect(pointers(bare)).toEqual(['/data/0/attributes/email_addresses']);
    expect(errorsOf(bare)[0]?.detail).toMatch(/bare array/);
    expect(bad.status).toBe(422);
    expect(pointers(bad)).toEqual(['/data/1/attributes/email_addresses/items/0']);
    expect(good.body.data[0].attributes.email_addresses).toEqual({ items: ['a@acme.com', 'b@acme.com'] });
  });

  it('F4: phone_numbers is {items: [...]} of E.164 numbers (our stricter assumption)', async () => {
    // Prepare
    const box = await start();

    // Act
    const good = await bulk(box, 'person', [
      person('a@x.com', { phone_numbers: { items: ['+14155550123'] } }),
    ]);
    const local = await bulk(box, 'person', [
      person('b@x.com', { phone_numbers: { items: ['(415) 555-0123'] } }),
    ]);
    const bare = await bulk(box, 'person', [person('c@x.com', { phone_numbers: ['+14155550123'] })]);

    // Assess
    expect(good.status).toBe(201);
    expect(good.body.data[0].attributes.phone_numbers).toEqual({ items: ['+14155550123'] });
    expect(local.status).toBe(422);
    expect(pointers(local)).toEqual(['/data/0/attributes/phone_numbers/items/0']);
    expect(errorsOf(local)[0]?.detail).toContain('E.164');
    expect(bare.status).toBe(422);
  });

  it("F5 (jobTitle=title): the docs' job field is title; job_title is refused naming it", async () => {
    // Prepare
    const box = await start({ variants: { jobTitle: 'title' } });

    // Act
    const title = await bulk(box, 'person', [person('a@x.com', { title: 'CTO' })]);
    const jobTitle = await bulk(box, 'person', [person('b@x.com', { job_title: 'CTO' })]);

    // Assess
    expect(title.status).toBe(201);
    expect(jobTitle.status).toBe(422);
    expect(pointers(jobTitle)).toEqual(['/data/0/attributes/job_title']);
    expect(errorsOf(jobTitle)[0]?.detail).toContain("'title'");
  });

  it('F5: the job field is job_title; title is refused naming it', async () => {
    // Prepare
    const box = await start();

    // Act
    const jobTitle = await bulk(box, 'person', [person('a@x.com', { job_title: 'CTO' })]);
    const title = await bulk(box, 'person', [person('b@x.com', { title: 'CTO' })]);

    // Assess
    expect(jobTitle.status).toBe(201);
    expect(title.status).toBe(422);
    expect(pointers(title)).toEqual(['/data/0/attributes/title']);
    expect(errorsOf(title)[0]?.detail).toContain('job_title');
  });

  it('F6, B19: company_id links a person or deal to an existing company; an unknown one is 422 (strict)', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme' }] } });
    const [companyId] = box.seeded.company;

    // Act
    const known = await bulk(box, 'person', [person('a@x.com', { company_id: companyId })]);
    const unknown = await bulk(box, 'deal', [
      { name: 'Renewal', company_id: 'd1000000-0000-4000-8000-000000000001' },
    ]);

    // Assess
    expect(known.status).toBe(201);
    expect(known.body.data[0].attributes.company_id).toBe(companyId);
    expect(unknown.status).toBe(422);
    expect(pointers(unknown)).toEqual(['/data/0/attributes/company_id']);
  });

  it('F7, F12: lifecycle=stage is a case-sensitive select with per-workspace values; status is refused', async () => {
    // Prepare
    const box = await start();
    const custom = await start({ enums: { personLifecycle: ['Cold', 'Warm'] } });

    // Act
    const exact = await bulk(box, 'person', [person('a@x.com', { stage: 'Qualified' })]);
    const lower = await bulk(box, 'person', [person('b@x.com', { stage: 'qualified' })]);
    const status = await bulk(box, 'person', [person('c@x.com', { status: 'Lead' })]);
    const configured = await bulk(custom, 'person', [person('a@x.com', { stage: 'Warm' })]);
    const notConfigured = await bulk(custom, 'person', [person('b@x.com', { stage: 'Lead' })]);

    // Assess
    expect(exact.status).toBe(201);
    expect(lower.status).toBe(422);
    expect(pointers(lower)).toEqual(['/data/0/attributes/stage']);
    expect(errorsOf(lower)[0]?.detail).toContain("'Qualified'");
    expect(status.status).toBe(422);
    expect(errorsOf(status)[0]?.detail).toContain("'stage'");
    expect([configured.status, notConfigured.status]).toEqual([201, 422]);
  });

  it('F7: lifecycle=status names the field status, and stage is refused', async () => {
    // Prepare
    const box = await start({ variants: { lifecycle: 'status' } });

    // Act
    const status = await bulk(box, 'person', [person('a@x.com', { status: 'Customer' })]);
    const stage = await bulk(box, 'person', [person('b@x.com', { stage: 'Customer' })]);

    // Assess
    expect(status.status).toBe(201);
    expect(stage.status).toBe(422);
    expect(pointers(stage)).toEqual(['/data/0/attributes/stage']);
  });

  it('F8: domains is {items: [...]} of bare domains; a URL or www. is 422', async () => {
    // Prepare
    const box = await start();

    // Act
    const bare = await bulk(box, 'company', [{ name: 'Acme', domains: { items: ['acme.com'] } }]);
    const url = await bulk(box, 'company', [{ name: 'Beta', domains: { items: ['https://beta.com'] } }]);
    const www = await bulk(box, 'company', [{ name: 'Gamma', domains: { items: ['www.gamma.com'] } }]);
    const unnamed = await bulk(box, 'company', [{ domains: { items: ['delta.com'] } }]);

    // Assess
    expect(bare.status).toBe(201);
    expect([url.status, www.status, unnamed.status]).toEqual([422, 422, 422]);
    expect(pointers(url)).toEqual(['/data/0/attributes/domains/items/0']);
    expect(pointers(unnamed)).toEqual(['/data/0/attributes/name']);
  });

  it('F9, F10: deals take name, amount, stage, close_date, company_id, description, lead_source', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme' }] } });
    const deal = {
      name: 'Renewal',
      amount: 5000.5,
      stage: 'Closed Disqualified',
      close_date: '2026-10-30',
      company_id: box.seeded.company[0],
      description: 'Yearly',
      lead_source: 'Referral',
    };

    // Act
    const created = await bulk(box, 'deal', [deal]);
    const owner = await bulk(box, 'deal', [{ name: 'Other', owner_id: 'u1' }]);
    const custom = await start({ enums: { dealStage: ['Open', 'Won'] } });
    const unknownStage = await bulk(custom, 'deal', [{ name: 'Renewal', stage: 'Prospecting' }]);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.data[0].attributes).toMatchObject(deal);
    expect(owner.status).toBe(422);
    expect(unknownStage.status).toBe(422);
    expect(errorsOf(unknownStage)[0]?.detail).toContain("'Open', 'Won'");
  });

  it('F11: an amount outside DECIMAL(16,4) is 400; a non-number is 422', async () => {
    // Prepare
    const box = await start();

    // Act
    const huge = await bulk(box, 'deal', [{ name: 'Big', amount: 1e12 }]);
    const largest = await bulk(box, 'deal', [{ name: 'Largest', amount: 999_999_999_999.9999 }]);
    const text = await bulk(box, 'deal', [{ name: 'Text', amount: '5000' }]);

    // Assess
    expect(huge.status).toBe(400);
    expect(pointers(huge)).toEqual(['/data/0/attributes/amount']);
    expect(errorsOf(huge)[0]?.detail).toContain('DECIMAL(16, 4)');
    expect(largest.status).toBe(201);
    expect(text.status).toBe(422);
  });

  it('ER9: close_date takes YYYY-MM-DD only; a date-time is 422', async () => {
    // Prepare
    const box = await start();

    // Act
    const dateTime = await bulk(box, 'deal', [{ name: 'A', close_date: '2026-10-30T00:00:00Z' }]);
    const impossible = await bulk(box, 'deal', [{ name: 'B', close_date: '2026-02-30' }]);
    const date = await bulk(box, 'deal', [{ name: 'C', close_date: '2026-02-28' }]);

    // Assess
    expect(dateTime.status).toBe(422);
    expect(errorsOf(dateTime)[0]?.detail).toMatch(/not a date-time/);
    expect(impossible.status).toBe(422);
    expect(date.status).toBe(201);
  });

  it('F13: _-prefixed system fields are refused on write and rendered on read', async () => {
    // Prepare
    const box = await start();

    // Act
    const system = await bulk(box, 'company', [{ name: 'Acme', _created_at: '2026-01-01T00:00:00Z' }]);
    const created = await bulk(box, 'company', [{ name: 'Acme' }]);

    // Assess
    expect(system.status).toBe(422);
    expect(pointers(system)).toEqual(['/data/0/attributes/_created_at']);
    expect(created.body.data[0].attributes).toMatchObject({
      name: 'Acme',
      _id: created.body.data[0].id,
      _created_at: expect.any(String),
      _updated_at: expect.any(String),
    });
    expect(box.records('company')[0]?.attributes).toEqual({ name: 'Acme' });
  });

  it('F14: record ids are UUIDs', async () => {
    // Prepare
    const box = await start();

    // Act
    const companies = await bulk(box, 'company', [{ name: 'Acme' }, { name: 'Beta' }]);
    const people = await bulk(box, 'person', [person('a@x.com')]);

    // Assess
    expect([...ids(companies), ...ids(people)].every((id) => UUID.test(id))).toBe(true);
  });

  it('refuses unknown attributes and null values with 422, naming them', async () => {
    // Prepare
    const box = await start();

    // Act
    const unknown = await bulk(box, 'company', [{ name: 'Acme', website: 'acme.com' }]);
    const nulled = await bulk(box, 'company', [{ name: 'Beta', domains: null }]);

    // Assess
    expect(unknown.status).toBe(422);
    expect(pointers(unknown)).toEqual(['/data/0/attributes/website']);
    expect(errorsOf(unknown)[0]?.detail).toContain("'website'");
    expect(nulled.status).toBe(422);
    expect(pointers(nulled)).toEqual(['/data/0/attributes/domains']);
  });
});

describe('Clarify sandbox: create (B1–B19)', () => {
  it('B1: POST /records creates one record (201, data object); /resources is an alias', async () => {
    // Prepare
    const box = await start();

    // Act
    const records = await createOne(box, 'company', { name: 'Acme' });
    const resources = await call(box, 'POST', '/objects/company/resources', {
      data: { type: 'company', attributes: { name: 'Beta' } },
    });
    const array = await call(box, 'POST', '/objects/company/records', {
      data: [{ type: 'company', attributes: { name: 'Gamma' } }],
    });

    // Assess
    expect(records.status).toBe(201);
    expect(records.body.data).toMatchObject({ type: 'company', attributes: { name: 'Acme' } });
    expect(records.body.data.id).toMatch(UUID);
    expect(resources.status).toBe(201);
    expect(array.status).toBe(400);
    expect(box.records('company').map((r) => r.attributes.name)).toEqual(['Acme', 'Beta']);
  });

  it('B2: an id in a create, on the item or in its attributes, is 422', async () => {
    // Prepare
    const box = await start();

    // Act
    const onItem = await call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'company', id: 'd1000000-0000-4000-8000-000000000001', attributes: { name: 'Acme' } }],
    });
    const inAttributes = await bulk(box, 'company', [{ name: 'Acme' }, { name: 'Beta', id: 'x' }]);
    const single = await call(box, 'POST', '/objects/company/records', {
      data: { type: 'company', id: 'x', attributes: { name: 'Acme' } },
    });

    // Assess
    expect([onItem.status, inAttributes.status, single.status]).toEqual([422, 422, 422]);
    expect(pointers(onItem)).toEqual(['/data/0/id']);
    expect(pointers(inAttributes)).toEqual(['/data/1/attributes/id']);
    expect(pointers(single)).toEqual(['/data/id']);
    expect(box.records('company')).toHaveLength(0);
  });

  it('B3, B15–B17: bulk create answers 201 with the created records, ids in request order', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await bulk(box, 'company', [
      { name: 'Acme', domains: { items: ['acme.com'] } },
      { name: 'Beta' },
      { name: 'Gamma' },
    ]);

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.body.data.map((r: { attributes: Attrs }) => r.attributes.name)).toEqual([
      'Acme',
      'Beta',
      'Gamma',
    ]);
    expect(box.records('company').map((r) => r.id)).toEqual(ids(answer));
  });

  it('B4: at most 25 items per bulk request (the stricter source); 26 or none is 400', async () => {
    // Prepare
    const box = await start();
    const companies = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Company ${i}` }));

    // Act
    const tooMany = await bulk(box, 'company', companies(26));
    const empty = await bulk(box, 'company', []);
    const full = await bulk(box, 'company', companies(25));

    // Assess
    expect([tooMany.status, empty.status, full.status]).toEqual([400, 400, 201]);
    expect(box.records('company')).toHaveLength(25);
  });

  it('B5, B6: a batch is atomic; one bad item writes nothing and the pointer names it', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await bulk(box, 'person', [
      person('a@x.com'),
      person('b@x.com'),
      person('bob@'),
      person('c@x.com', { stage: 'lead' }),
    ]);

    // Assess
    expect(answer.status).toBe(422);
    expect(pointers(answer)).toEqual([
      '/data/2/attributes/email_addresses/items/0',
      '/data/3/attributes/stage',
    ]);
    expect(box.records('person')).toHaveLength(0);
  });

  it('B7, B11, B13: create is a plain insert; a collision on email, domain or deal name is 400 (duplicate=400)', async () => {
    // Prepare
    const box = await start({
      seed: {
        company: [{ name: 'Acme', domains: { items: ['acme.com', 'acme.io'] } }],
        person: [person('jane@acme.com')],
        deal: [{ name: 'Renewal' }],
      },
    });

    // Act
    const email = await bulk(box, 'person', [person('new@acme.com'), person('JANE@acme.com')]);
    const domain = await bulk(box, 'company', [
      { name: 'Acme 2', domains: { items: ['beta.com', 'ACME.io'] } },
    ]);
    const dealName = await bulk(box, 'deal', [{ name: 'renewal' }]);

    // Assess
    for (const answer of [email, domain, dealName]) {
      expect(answer.status).toBe(400);
      expect(errorsOf(answer)[0]?.detail).toMatch(/Duplicate record.*already exists/);
    }
    expect(pointers(email)).toEqual(['/data/1/attributes/email_addresses']);
    expect(errorsOf(email)[0]?.detail).toContain(box.seeded.person[0]);
    expect(pointers(domain)).toEqual(['/data/0/attributes/domains']);
    expect(box.records('person')).toHaveLength(1);
    expect(box.records('company')).toHaveLength(1);
  });

  it('B12: duplicate=422 answers a collision with 422', async () => {
    // Prepare
    const box = await start({ variants: { duplicate: '422' }, seed: { person: [person('jane@acme.com')] } });

    // Act
    const answer = await bulk(box, 'person', [person('jane@acme.com')]);

    // Assess
    expect(answer.status).toBe(422);
    expect(errorsOf(answer)[0]).toMatchObject({ status: 422, pointer: '/data/0/attributes/email_addresses' });
    expect(errorsOf(answer)[0]?.detail).toMatch(/Duplicate record/);
  });

  it('B14: the same email twice in one batch is 400 (unknown; strict), with or without match_on', async () => {
    // Prepare
    const box = await start({ variants: { duplicate: '422' } });
    const batch = [person('sam@acme.com'), person('x@acme.com'), person('Sam@Acme.com')];

    // Act
    const plain = await bulk(box, 'person', batch);
    const matching = await bulk(box, 'person', batch, { match_on: 'email_addresses' });

    // Assess
    expect([plain.status, matching.status]).toEqual([400, 400]);
    expect(pointers(plain)).toEqual(['/data/2/attributes/email_addresses']);
    expect(errorsOf(plain)[0]?.detail).toContain('/data/0');
    expect(box.records('person')).toHaveLength(0);
  });

  it('B8, B10: match_on updates the one record it matches (only the given attributes) and returns its id', async () => {
    // Prepare
    const box = await start({
      seed: { person: [person('jane@acme.com', { job_title: 'CTO', stage: 'Lead' })] },
    });
    const [janeId] = box.seeded.person;

    // Act
    const answer = await bulk(
      box,
      'person',
      [
        person('new@acme.com'),
        { name: { first_name: 'Janet' }, email_addresses: { items: ['JANE@acme.com'] }, stage: 'Customer' },
      ],
      { match_on: 'email_addresses' },
    );

    // Assess
    expect(answer.status).toBe(201);
    expect(ids(answer)[1]).toBe(janeId);
    expect(ids(answer)[0]).not.toBe(janeId);
    const jane = box.records('person').find((r) => r.id === janeId);
    expect(jane?.attributes).toMatchObject({
      name: { first_name: 'Janet', last_name: null, full_name: 'Janet' },
      job_title: 'CTO',
      stage: 'Customer',
    });
    expect(box.records('person')).toHaveLength(2);
  });

  it('B8: match_on works on single create too, on domains and deal names', async () => {
    // Prepare
    const box = await start({
      seed: { company: [{ name: 'Acme', domains: { items: ['acme.com'] } }], deal: [{ name: 'Renewal' }] },
    });

    // Act
    const company = await createOne(
      box,
      'company',
      { name: 'Acme Inc', domains: { items: ['acme.com'] } },
      {
        match_on: 'domains',
      },
    );
    const deal = await createOne(box, 'deal', { name: 'Renewal', amount: 10 }, { match_on: 'name' });
    const wrongField = await createOne(box, 'company', { name: 'Beta' }, { match_on: 'name' });

    // Assess
    expect(company.status).toBe(201);
    expect(company.body.data.id).toBe(box.seeded.company[0]);
    expect(company.body.data.attributes.name).toBe('Acme Inc');
    expect(deal.body.data).toMatchObject({ id: box.seeded.deal[0], attributes: { amount: 10 } });
    expect(wrongField.status).toBe(400);
    expect(errorsOf(wrongField)[0]?.detail).toContain("'domains'");
  });

  it('B9: match_on on the /resources alias is 400', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await call(box, 'POST', '/objects/company/resources', {
      data: { type: 'company', attributes: { name: 'Acme' } },
      match_on: 'domains',
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(errorsOf(answer)[0]?.detail).toContain('match_on');
    expect(box.records('company')).toHaveLength(0);
  });

  it('B10: match_on matching more than one record updates nothing (duplicate status)', async () => {
    // Prepare
    const box = await start({ seed: { person: [person('a@x.com'), person('b@x.com')] } });

    // Act
    const answer = await bulk(
      box,
      'person',
      [person('x', { email_addresses: { items: ['a@x.com', 'b@x.com'] } })],
      {
        match_on: 'email_addresses',
      },
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(errorsOf(answer)[0]?.detail).toMatch(/2 records/);
  });

  it('B18: a to-many relationship cannot be set as an attribute (422)', async () => {
    // Prepare
    const box = await start({ seed: { person: [person('a@x.com')] } });

    // Act
    const answer = await bulk(box, 'deal', [{ name: 'Renewal', people: [box.seeded.person[0]] }]);

    // Assess
    expect(answer.status).toBe(422);
    expect(pointers(answer)).toEqual(['/data/0/attributes/people']);
    expect(errorsOf(answer)[0]?.detail).toContain('relationships/people');
  });

  it('answers 409 when an item type does not match the endpoint', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'person', attributes: { name: 'Acme' } }],
    });

    // Assess
    expect(answer.status).toBe(409);
    expect(pointers(answer)).toEqual(['/data/0/type']);
    expect(box.records('company')).toHaveLength(0);
  });
});

describe('Clarify sandbox: read and update (Q2, U1)', () => {
  it('Q2: GET /records/{id} and /resources/{id} read one record; an unknown id is 404', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme' }] } });
    const [id] = box.seeded.company;

    // Act
    const records = await call(box, 'GET', `/objects/company/records/${id}`);
    const resources = await call(box, 'GET', `/objects/company/resources/${id}`);
    const missing = await call(box, 'GET', '/objects/company/records/d1000000-0000-4000-8000-000000000001');

    // Assess
    expect(records.body.data).toMatchObject({ id, type: 'company', attributes: { name: 'Acme' } });
    expect(resources.body.data).toEqual(records.body.data);
    expect(missing.status).toBe(404);
  });

  it('U1: PATCH changes only the given attributes, under the create rules', async () => {
    // Prepare
    const box = await start({
      seed: { person: [person('a@x.com', { stage: 'Lead', job_title: 'CTO' }), person('b@x.com')] },
    });
    const [a, b] = box.seeded.person;
    const patch = (id: string | undefined, attributes: Attrs, extra: Attrs = {}) =>
      call(box, 'PATCH', `/objects/person/records/${id}`, { data: { type: 'person', ...extra, attributes } });

    // Act
    const updated = await patch(a, { stage: 'Customer' }, { id: a });
    const ownEmail = await patch(a, { email_addresses: { items: ['A@x.com'] } });
    const takenEmail = await patch(a, { email_addresses: { items: ['b@x.com'] } });
    const badEnum = await patch(b, { stage: 'customer' });
    const noName = await patch(b, { name: { first_name: '' } });
    const system = await patch(b, { _updated_at: '2026-01-01' });
    const otherId = await patch(b, { stage: 'Lead' }, { id: a });
    const missing = await patch('d1000000-0000-4000-8000-000000000001', { stage: 'Lead' });

    // Assess
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({
      id: a,
      attributes: { name: { first_name: 'Jane' }, stage: 'Customer', job_title: 'CTO' },
    });
    expect(ownEmail.status).toBe(200);
    expect(takenEmail.status).toBe(400);
    expect(pointers(takenEmail)).toEqual(['/data/attributes/email_addresses']);
    expect([badEnum.status, noName.status, system.status]).toEqual([422, 422, 422]);
    expect([otherId.status, missing.status]).toEqual([409, 404]);
    expect(box.records('person').map((record) => record.attributes.email_addresses)).toEqual([
      { items: ['A@x.com'] },
      { items: ['b@x.com'] },
    ]);
  });
});

describe('Clarify sandbox: requests the API refuses', () => {
  it('ER7: an unknown route or object is 404; a wrong method 405; there is no GET .../records collection (Q1)', async () => {
    // Prepare
    const box = await start();

    // Act
    const route = await call(box, 'GET', '/objects/company/everything');
    const object = await call(box, 'POST', '/objects/lead/records/bulk', { data: [] });
    const method = await call(box, 'DELETE', '/objects/company/records/bulk');
    const collection = await call(box, 'GET', '/objects/company/records');

    // Assess
    expect([route.status, object.status, method.status]).toEqual([404, 404, 405]);
    expect(method.headers.get('allow')).toBe('POST');
    expect([404, 405]).toContain(collection.status);
  });

  it('ER4: malformed JSON is 400; a non-JSON body 415; the JSON:API media type is accepted', async () => {
    // Prepare
    const box = await start();
    const body = { data: [{ type: 'company', attributes: { name: 'Acme' } }] };

    // Act
    const malformed = await call(box, 'POST', '/objects/company/records/bulk', '{"data": [');
    const text = await call(box, 'POST', '/objects/company/records/bulk', body, {
      'content-type': 'text/plain',
    });
    const jsonApi = await call(box, 'POST', '/objects/company/records/bulk', body, {
      'content-type': 'application/vnd.api+json',
    });
    const extra = await call(box, 'POST', '/objects/company/records/bulk', { ...body, meta: {} });

    // Assess
    expect([malformed.status, text.status, jsonApi.status, extra.status]).toEqual([400, 415, 201, 400]);
  });
});
