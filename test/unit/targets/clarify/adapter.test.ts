import { afterEach, describe, expect, it } from 'vitest';
import {
  CLARIFY_VARIANTS,
  type ClarifySandbox,
  type ClarifySandboxOptions,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';
import { describeVariants, eachVariant } from '#sandbox/common/variants.ts';
import { ClarifyAdapter } from '#targets/clarify/adapter.ts';
import type { ExistingRecord, NewRecord, ProbeResult } from '#targets/target.ts';
import { failureOf } from '../failure-of.ts';

/**
 * The adapter against the Clarify sandbox, which follows the published references (shared/contracts/
 * clarify.md; fact ids in the test names) and offers each candidate where they conflict.
 */

const GENEROUS = { limit: 10_000, windowSeconds: 1 };

const person = (email: string, first = 'Ann'): NewRecord => ({
  fields: { first_name: first, last_name: 'Lee', email },
});

describe('Class: ClarifyAdapter', () => {
  let sandbox: ClarifySandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  /** A sandbox and an adapter that has run the preflight and learned the workspace, as a job does. */
  const start = async (
    options: ClarifySandboxOptions = {},
    adapterOptions: { apiKey?: string; pageSize?: number } = {},
  ) => {
    sandbox = await startClarifySandbox({ rate: GENEROUS, ...options });
    const adapter = new ClarifyAdapter({
      baseUrl: `${sandbox.baseUrl}/`,
      apiKey: adapterOptions.apiKey ?? sandbox.apiKey,
      pageSize: adapterOptions.pageSize,
      credentialNames: { apiKey: 'CLARIFY_API_KEY' },
    });
    const results: ProbeResult[] = [];
    for (const step of adapter.preflight({ read: ['person'], write: ['person'] }))
      results.push(await step.run());
    adapter.useWorkspace(adapter.learn(results));
    return { sandbox, adapter, results };
  };

  it.each(eachVariant(CLARIFY_VARIANTS).map((v) => [describeVariants(CLARIFY_VARIANTS, v), v]))(
    'SC1–SC4, F1–F4, F12: learns the workspace and creates people in its shape (variant %s)',
    async (_label, variants) => {
      // Prepare: a person exists, so a workspace without /schemas still shows its shape in a record
      const seedPerson =
        variants.names === 'flat'
          ? { first_name: 'Old', last_name: 'Timer', email_addresses: { items: ['old@x.com'] } }
          : { name: { first_name: 'Old', last_name: 'Timer' }, email_addresses: { items: ['old@x.com'] } };
      const { sandbox, adapter } = await start({
        variants,
        seed: { company: [{ name: 'Acme', domains: { items: ['acme.com'] } }], person: [seedPerson] },
      });
      const companyId = sandbox.seeded.company[0] as string;

      // Act
      const ids = await adapter.create('person', [
        {
          fields: {
            first_name: 'Ann',
            last_name: 'Lee',
            email: 'ann@acme.com',
            phone: '+14155550134',
            status: 'Lead',
          },
          parentId: companyId,
        },
        person('bob@acme.com', 'Bob'),
      ]);

      // Assess
      const stored = new Map(sandbox.records('person').map((r) => [r.id, r.attributes]));
      const ann = stored.get(ids[0] as string) ?? {};
      const first =
        variants.names === 'flat' ? ann.first_name : (ann.name as { first_name?: string })?.first_name;
      expect(first).toBe('Ann');
      expect(ann).toMatchObject({
        email_addresses: { items: ['ann@acme.com'] },
        phone_numbers: { items: ['+14155550134'] },
        company_id: companyId,
      });
      // the lifecycle goes in the field the workspace declares; without /schemas the seeded record has none: left out
      if (variants.schemas !== 'unavailable') expect(ann[variants.lifecycle]).toBe('Lead');
      expect(ids).toHaveLength(2);
    },
  );

  it.each(['400', '422'] as const)(
    'B7, B12: a collision (answered %s) is a DUPLICATE pointing at the item',
    async (duplicate) => {
      // Prepare
      const { sandbox, adapter } = await start({
        variants: { duplicate },
        seed: { person: [{ name: { first_name: 'Old' }, email_addresses: { items: ['old@x.com'] } }] },
      });

      // Act
      const error = await failureOf(adapter.create('person', [person('new@x.com'), person('old@x.com')]));

      // Assess
      expect(error).toMatchObject({
        code: 'DUPLICATE',
        status: Number(duplicate),
        retryable: false,
        inDoubt: false,
      });
      expect(error.items.map((item) => item.index)).toEqual([1]);
      expect(sandbox.records('person')).toHaveLength(1);
    },
  );

  it.each(['string', 'number', 'nest'] as const)(
    'ER1–ER3: a rejected item is pointed at in %s errors',
    async (errors) => {
      // Prepare
      const { adapter } = await start({ variants: { errors } });

      // Act
      const error = await failureOf(adapter.create('person', [person('a@x.com'), person('not-an-email')]));

      // Assess
      expect(error.code).toBe('REJECTED');
      expect(error.items[0]).toMatchObject({ index: 1, field: 'email_addresses' });
    },
  );

  it("F4, F5, F9, F11: sends a job title, both phones, and a deal's close date, lead source and description", async () => {
    // Prepare
    const { sandbox, adapter } = await start();
    const [company] = await adapter.create('company', [{ fields: { name: 'Acme', domains: ['acme.com'] } }]);

    // Act
    const [id] = await adapter.create('person', [
      {
        fields: {
          ...person('a@x.com').fields,
          job_title: 'CTO',
          phone: '+12065550143',
          mobile: '+12065550199',
        },
      },
    ]);
    // an update of the mobile alone keeps the phone: the collection is replaced whole
    await adapter.update('person', id as string, {
      fields: { mobile: '+12065550100' },
      current: { phone: '+12065550143', mobile: '+12065550199' },
    });
    await adapter.create('deal', [
      {
        fields: { name: 'Renewal', close_date: '2026-06-30', source: 'Trade show', notes: 'Send the quote' },
        parentId: company as string,
      },
    ]);

    // Assess
    expect(sandbox.records('person')[0]?.attributes).toMatchObject({
      job_title: 'CTO',
      phone_numbers: { items: ['+12065550143', '+12065550100'] },
    });
    expect(sandbox.records('deal')[0]?.attributes).toMatchObject({
      close_date: '2026-06-30',
      lead_source: 'Trade show',
      description: 'Send the quote',
    });
  });

  it('B8, B10: an idempotent re-send (match_on) updates what landed and returns its id', async () => {
    // Prepare
    const { sandbox, adapter } = await start();
    const [first] = await adapter.create('person', [person('a@x.com')]);

    // Act
    const again = await adapter.create('person', [person('a@x.com'), person('b@x.com')], {
      idempotent: true,
    });

    // Assess
    expect(again[0]).toBe(first);
    expect(sandbox.records('person')).toHaveLength(2);
  });

  it('A1, ER5: a refused key is AUTH_FAILED and stops the preflight as fatal, naming where the key came from', async () => {
    // Act
    const { results } = await start({}, { apiKey: 'wrong-key' });

    // Assess
    expect(results[0]).toMatchObject({
      check: 'workspace schema',
      ok: false,
      severity: 'fatal',
      code: 'AUTH_FAILED',
    });
    expect(results[0]?.message).toMatch(/CLARIFY_API_KEY was refused/);
  });

  it('Q4–Q8: pages of up to 500 from page[offset], never following the dead http:// next link; the total from meta', async () => {
    // Prepare
    const { sandbox, adapter } = await start(
      {
        seed: {
          company: [
            { name: 'Acme', domains: { items: ['acme.com'] } },
            { name: 'Globex' },
            { name: 'Initech', domains: { items: ['initech.com', 'initech.io'] } },
          ],
        },
      },
      { pageSize: 2 },
    );

    // Act
    const pages: ExistingRecord[][] = [];
    const totals: (number | undefined)[] = [];
    const nexts: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await adapter.listExisting('company', cursor);
      pages.push(page.records);
      totals.push(page.total);
      nexts.push(page.next);
      cursor = page.next;
    } while (cursor !== null && pages.length < 10);

    // Assess
    expect(pages.map((records) => records.length)).toEqual([2, 1]);
    // Q5, Q6: meta.total_records on every page; the next page is where tailCursor says (read-ahead)
    expect(totals).toEqual([3, 3]);
    expect(nexts).toEqual([adapter.tailCursor('company', 2), null]);
    expect(pages.flat().map(({ id, keys }) => ({ id, keys }))).toEqual([
      { id: sandbox.seeded.company[0], keys: ['domain:acme.com', 'name:acme'] },
      { id: sandbox.seeded.company[1], keys: ['name:globex'] },
      { id: sandbox.seeded.company[2], keys: ['domain:initech.com', 'domain:initech.io', 'name:initech'] },
    ]);
    expect(pages.flat()[0]?.fields).toEqual({ name: 'Acme', domains: ['acme.com'] });
    expect(sandbox.requests().every((r) => !r.path.startsWith('http'))).toBe(true);
  });

  it.each(['identifiers', 'resources'] as const)(
    'R1–R6: reads (%s) and replaces the people of a deal',
    async (relationships) => {
      // Prepare
      const { sandbox, adapter } = await start({
        variants: { relationships },
        seed: {
          person: ['a', 'b', 'c'].map((n) => ({
            name: { first_name: n },
            email_addresses: { items: [`${n}@x.com`] },
          })),
          deal: [{ name: 'Big' }],
          dealPeople: { '0': [0, 1] },
        },
      });
      const dealId = sandbox.seeded.deal[0] as string;
      const [a, , c] = sandbox.seeded.person as [string, string, string];

      // Act
      const before = await adapter.getDealPeople(dealId);
      await adapter.setDealPeople(dealId, [a, c]);
      const after = await adapter.getDealPeople(dealId);

      // Assess
      expect(before).toEqual(sandbox.seeded.person.slice(0, 2));
      expect(after).toEqual([a, c]);
    },
  );

  it('ER8: a 409 (schema being changed) is retryable and not in doubt', async () => {
    // Prepare
    const { adapter } = await start({ schemaBusy: 1 });

    // Act
    const error = await failureOf(adapter.create('person', [person('a@x.com')]));

    // Assess
    expect(error).toMatchObject({ status: 409, retryable: true, inDoubt: false });
  });

  it('RL1, RL2: RATE_LIMITED with the Retry-After once an endpoint is spent', async () => {
    // Prepare: the preflight reads the list endpoint once; it allows 2 a minute
    const { adapter } = await start({ rate: { limit: 2, windowSeconds: 60 } });
    await adapter.listExisting('person', null);

    // Act
    const error = await failureOf(adapter.listExisting('company', null));

    // Assess
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: true });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });
});
