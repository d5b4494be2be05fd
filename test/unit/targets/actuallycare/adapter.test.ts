import { afterEach, describe, expect, it } from 'vitest';
import {
  type ActuallyCareSandbox,
  type ActuallyCareSandboxOptions,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';
import { ActuallyCareAdapter } from '#targets/actuallycare/adapter.ts';
import { failureOf } from '../failure-of.ts';

/** The adapter against the sandbox of the published reference (shared/contracts/actuallycare.md). */

const GENEROUS = { limit: 10_000, windowSeconds: 1 };

describe('Class: ActuallyCareAdapter', () => {
  let sandbox: ActuallyCareSandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const start = async (options: ActuallyCareSandboxOptions = {}, token = true) => {
    sandbox = await startActuallyCareSandbox({ rate: GENEROUS, ...options });
    const adapter = new ActuallyCareAdapter({
      baseUrl: sandbox.baseUrl,
      apiKey: sandbox.apiKey,
      ...(token ? { sessionToken: sandbox.sessionToken } : {}),
      credentialNames: { apiKey: 'ACTUALLYCARE_API_KEY', sessionToken: 'ACTUALLYCARE_SESSION_TOKEN' },
    });
    return { sandbox, adapter };
  };

  it.each(['flat', 'wrapped'] as const)(
    'E4/E5: reads the new id from a %s create answer',
    async (created) => {
      // Prepare
      const { sandbox, adapter } = await start({ variants: { created } });

      // Act
      const [id] = await adapter.create('client', [
        { fields: { first_name: 'Ann', last_name: 'Lee', client_type: 'buyer', email: 'ann@x.com' } },
      ]);

      // Assess
      expect(sandbox.records('clients').map((c) => c.id)).toEqual([id]);
    },
  );

  it('C1: updates with PUT; the marker goes in source only when the row has none (I5)', async () => {
    // Prepare
    const { sandbox, adapter } = await start();
    const [withSource] = await adapter.create('lead', [
      { fields: { name: 'Ann Lee', source: 'Zillow' }, marker: 'import-2026-11' },
    ]);
    const [without] = await adapter.create('lead', [
      { fields: { name: 'Bo Chen' }, marker: 'import-2026-11' },
    ]);

    // Act
    await adapter.update('lead', without as string, { fields: { email: 'bo@x.com' } });

    // Assess
    const leads = Object.fromEntries(sandbox.records('leads').map((l) => [l.id, l]));
    expect(leads[withSource as string]).toMatchObject({ source: 'Zillow' });
    expect(leads[without as string]).toMatchObject({ source: 'import-2026-11', email: 'bo@x.com' });
    expect(sandbox.requests().filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it.each(['400', '422'] as const)(
    'ER3/ER6: a %s validation error names each field in the message',
    async (validation) => {
      // Prepare
      const { adapter } = await start({ variants: { validation } });

      // Act
      const error = await failureOf(
        adapter.create('client', [{ fields: { first_name: 'Ann', email: 'ann@x.com' } }]),
      );

      // Assess
      expect(error.code).toBe('REJECTED');
      expect(error.status).toBe(Number(validation));
      expect(error.items.map((i) => i.field).sort()).toEqual(['client_type', 'last_name']);
    },
  );

  it('A1, A11: a refused key is AUTH_FAILED, told by the HTTP status, naming where the key came from', async () => {
    // Prepare
    const { sandbox } = await start();
    const adapter = new ActuallyCareAdapter({
      baseUrl: sandbox.baseUrl,
      apiKey: 'f'.repeat(64),
      credentialNames: { apiKey: 'ACTUALLYCARE_API_KEY' },
    });

    // Act
    const error = await failureOf(adapter.listExisting('lead', null));

    // Assess
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/ACTUALLYCARE_API_KEY was refused/);
  });

  it('S8, S5: the preflight probes each resource with ?limit=1 and names a missing read scope', async () => {
    // Prepare
    const { sandbox, adapter } = await start({ scopes: { leads: ['read', 'write'], clients: ['write'] } });

    // Act
    const results = [];
    for (const step of adapter.preflight({ read: ['lead', 'client'], write: ['lead', 'client'] }))
      results.push(await step.run());

    // Assess
    expect(results.map((r) => [r.check, r.ok, r.severity])).toEqual([
      ['read leads', true, undefined],
      ['read clients', false, 'fatal'],
    ]);
    expect(results[1]?.message).toMatch(/clients:read/);
    expect(sandbox.requests().map((r) => r.path)).toEqual([
      '/v1/leads?page=1&limit=1',
      '/v1/clients?page=1&limit=1',
    ]);
  });

  it('K1: without a session token, contacts are refused before any request, as their own entity', async () => {
    // Prepare
    const { sandbox, adapter } = await start({}, false);

    // Act
    const [result] = await Promise.all(
      adapter.preflight({ read: ['contact'], write: ['contact'] }).map((s) => s.run()),
    );

    // Assess
    expect(result).toMatchObject({
      ok: false,
      severity: 'entity',
      entity: 'contact',
      credential: 'session token',
    });
    expect(result?.message).toMatch(/ACTUALLYCARE_SESSION_TOKEN/);
    expect(adapter.cannotWrite('contact')).toMatch(/session token/);
    expect(adapter.cannotWrite('lead')).toBeUndefined();
    expect(sandbox.requests()).toHaveLength(0);
  });

  it('P1, P3, X2: lists 100 a page until hasMore is false, with the total; escrows oldest first', async () => {
    // Prepare
    const leads = Array.from({ length: 150 }, (_, i) => ({ name: `Lead ${i}`, email: `l${i}@x.com` }));
    const escrows = ['1 A St', '2 B St'].map((property_address) => ({
      property_address,
      purchase_price: 1,
      representation_type: 'buyer',
    }));
    const { adapter } = await start({ seed: { leads, escrows } });

    // Act
    const first = await adapter.listExisting('lead', null);
    const second = await adapter.listExisting('lead', first.next);
    const escrowPage = await adapter.listExisting('escrow', null);

    // Assess
    expect([first.records.length, second.records.length, second.next]).toEqual([100, 50, null]);
    // P3: meta.total on every page; the next page is where tailCursor says (read-ahead)
    expect([first.total, second.total]).toEqual([150, 150]);
    expect(first.next).toBe(adapter.tailCursor('lead', 100));
    expect(escrowPage.records.map((r) => r.keys[0])).toEqual(['escrow:1 a st', 'escrow:2 b st']);
  });
});
