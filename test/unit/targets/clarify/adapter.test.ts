import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { ClarifyAdapter } from '#targets/clarify/adapter.ts';
import { type ExistingRecord, type NewRecord, TargetError } from '#targets/target.ts';

const GENEROUS = { limit: 10_000, windowSeconds: 1 };

const person = (email: string, first = 'Ann'): NewRecord => ({ fields: { first_name: first, email } });

async function failureOf(promise: Promise<unknown>): Promise<TargetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TargetError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Class: ClarifyAdapter', () => {
  let sandbox: ClarifySandbox | undefined;

  const adapterFor = (box: ClarifySandbox, options: { apiKey?: string; pageSize?: number } = {}) =>
    new ClarifyAdapter({
      baseUrl: `${box.baseUrl}/`,
      apiKey: options.apiKey ?? box.apiKey,
      pageSize: options.pageSize,
    });

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('creates a batch and returns the new ids in request order', async () => {
    // Prepare
    sandbox = await startClarifySandbox({ port: 0, rate: GENEROUS });
    const adapter = adapterFor(sandbox);
    const [companyId] = await adapter.create('company', [
      { fields: { name: 'Acme', domains: ['acme.com'] } },
    ]);

    // Act
    const ids = await adapter.create('person', [
      { fields: { first_name: 'Ann', email: 'ann@acme.com', status: 'Lead' }, parentId: companyId },
      person('bob@acme.com', 'Bob'),
      person('cy@acme.com', 'Cy'),
    ]);

    // Assess
    const stored = new Map(sandbox.records('person').map((r) => [r.id, r.attributes]));
    expect(ids.map((id) => stored.get(id)?.first_name)).toEqual(['Ann', 'Bob', 'Cy']);
    expect(stored.get(ids[0] as string)).toMatchObject({
      email_addresses: { items: ['ann@acme.com'] },
      status: 'Lead',
      company_id: companyId,
    });
  });

  it.each([
    [
      'an invalid enum value',
      [person('a@x.com'), { fields: { first_name: 'B', email: 'b@x.com', status: 'lead' } }],
      1,
      'REJECTED',
    ],
    [
      'an email already in the batch',
      [person('a@x.com'), person('c@x.com'), person('A@x.com', 'Dup')],
      2,
      'DUPLICATE',
    ],
  ])('rejects a batch with %s and points at the bad item', async (_case, records, index, code) => {
    // Prepare
    sandbox = await startClarifySandbox({ port: 0, rate: GENEROUS });
    const adapter = adapterFor(sandbox);

    // Act
    const error = await failureOf(adapter.create('person', records));

    // Assess
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.inDoubt).toBe(false);
    expect(error.items[0]?.index).toBe(index);
    expect(sandbox.records('person')).toEqual([]);
  });

  it('rejects a person whose email already exists in the workspace', async () => {
    // Prepare
    sandbox = await startClarifySandbox({
      port: 0,
      rate: GENEROUS,
      seed: { person: [{ first_name: 'Old', email_addresses: { items: ['old@x.com'] } }] },
    });
    const adapter = adapterFor(sandbox);

    // Act
    const error = await failureOf(adapter.create('person', [person('new@x.com'), person('old@x.com')]));

    // Assess
    expect(error).toMatchObject({ code: 'DUPLICATE', status: 400 });
    expect(error.items.map((item) => item.index)).toEqual([1]);
    expect(error.message).toMatch(/POST \/v1\/workspaces\/ws_local\/objects\/person\/records\/bulk: 400/);
  });

  it('fails with AUTH_FAILED when the key is wrong', async () => {
    // Prepare
    sandbox = await startClarifySandbox({ port: 0, rate: GENEROUS });
    const adapter = adapterFor(sandbox, { apiKey: 'wrong-key' });

    // Act
    const error = await failureOf(adapter.listExisting('person', null));

    // Assess
    expect(error).toMatchObject({ code: 'AUTH_FAILED', status: 401, retryable: false });
  });

  it('pages through existing records and gives their match keys', async () => {
    // Prepare
    sandbox = await startClarifySandbox({
      port: 0,
      rate: GENEROUS,
      seed: {
        company: [
          { name: 'Acme', domains: { items: ['Acme.com'] } },
          { name: 'Globex' },
          { name: 'Initech', domains: { items: ['initech.com', 'initech.io'] } },
        ],
        person: [{ first_name: 'Ann', email_addresses: { items: ['Ann@Acme.com'] } }],
      },
    });
    const adapter = adapterFor(sandbox, { pageSize: 2 });

    // Act
    const pages: ExistingRecord[][] = [];
    let cursor: string | null = null;
    do {
      const page = await adapter.listExisting('company', cursor);
      pages.push(page.records);
      cursor = page.next;
    } while (cursor !== null && pages.length < 10);
    const people = await adapter.listExisting('person', null);

    // Assess
    expect(pages.map((records) => records.length)).toEqual([2, 1]);
    expect(pages.flat().map(({ id, keys }) => ({ id, keys }))).toEqual([
      { id: sandbox.seeded.company[0], keys: ['domain:acme.com', 'name:acme'] },
      { id: sandbox.seeded.company[1], keys: ['name:globex'] },
      { id: sandbox.seeded.company[2], keys: ['domain:initech.com', 'domain:initech.io', 'name:initech'] },
    ]);
    // current values in canonical fields, for an update that fills blanks only
    expect(pages.flat()[0]?.fields).toEqual({ name: 'Acme', domains: ['Acme.com'] });
    expect(people.next).toBeNull();
    expect(people.records).toEqual([
      {
        id: sandbox.seeded.person[0],
        keys: ['email:ann@acme.com'],
        fields: expect.objectContaining({ email: 'ann@acme.com' }),
      },
    ]);
  });

  it('reads and replaces the people of a deal', async () => {
    // Prepare
    sandbox = await startClarifySandbox({
      port: 0,
      rate: GENEROUS,
      seed: {
        person: [
          { first_name: 'A', email_addresses: { items: ['a@x.com'] } },
          { first_name: 'B', email_addresses: { items: ['b@x.com'] } },
          { first_name: 'C', email_addresses: { items: ['c@x.com'] } },
        ],
        deal: [{ name: 'Big' }],
        dealPeople: { '0': [0, 1] },
      },
    });
    const adapter = adapterFor(sandbox);
    const dealId = sandbox.seeded.deal[0] as string;
    const [a, , c] = sandbox.seeded.person as [string, string, string];

    // Act
    const before = await adapter.getDealPeople(dealId);
    await adapter.setDealPeople(dealId, [a, c]);
    const after = await adapter.getDealPeople(dealId);

    // Assess
    expect(before).toEqual(sandbox.seeded.person.slice(0, 2));
    expect(after).toEqual([a, c]);
    expect(sandbox.dealPeople(dealId)).toEqual([a, c]);
  });

  it('fails with RATE_LIMITED and the Retry-After once the rate is spent', async () => {
    // Prepare
    sandbox = await startClarifySandbox({ port: 0, rate: { limit: 2, windowSeconds: 60 } });
    const adapter = adapterFor(sandbox);
    await adapter.listExisting('person', null);
    await adapter.listExisting('company', null);

    // Act
    const error = await failureOf(adapter.listExisting('deal', null));

    // Assess
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: true });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });
});
