import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACTUALLYCARE_VARIANTS,
  type ActuallyCareSandbox,
  type ActuallyCareSandboxOptions,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { describeVariants, eachVariant } from '#sandbox/common/variants.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

/**
 * The whole pipeline against the ActuallyCare sandbox, which follows the published reference
 * (shared/contracts/actuallycare.md; fact ids in the test names) and offers a variant wherever the
 * reference is silent: the pipeline must pass against every one.
 */

const RATE = { limit: 12, windowSeconds: 2 };

const mixed = csv([
  ['Type', 'First Name', 'Last Name', 'Email', 'Phone', 'Lead Source', 'Client Type', 'Notes'],
  ['Lead', 'Marisol', 'Vega', 'marisol@example.com', '415-555-0134', 'Open house', '', ''],
  ['Past Client', 'Darnell', 'Brooks', 'darnell@example.net', '', 'Referral', 'Seller', 'Bought 2021'],
  ['Vendor', 'Gus', 'Alvarez', 'gus@inspect.com', '', '', '', 'Inspector'],
  ['Lead', 'Priya', 'Raman', 'priya@example.org', '', 'Website', '', ''],
  ['Past Client', 'Helen', 'Tsai', 'helen@example.com', '', '', 'Buyer', ''],
  ['Agent', 'Renee', 'Okoro', 'renee@okoro.com', '', '', '', ''],
  ['Lead', 'Ines', 'Carvalho', 'ines@example.com', '', '', '', ''],
  ['Lead', 'Nadia', 'Petrova', 'nadia@example.com', '', '', '', ''],
  ['Landlord', 'Lou', 'Reed', 'lou@example.com', '', '', '', ''],
  ['Past Client', 'Omar', 'Haddad', 'omar@example.net', '', '', 'Buyer & Seller', ''],
  ['Lead', 'Felix', 'Wagner', 'felix@example.net', '', '', '', ''],
  ['Lender', 'Sam', 'Whitfield', 'sam@baylending.com', '', '', '', ''],
]);

const SEED: ActuallyCareSandboxOptions['seed'] = {
  leads: [{ name: 'Priya Raman', email: 'PRIYA@example.org' }],
  clients: [{ first_name: 'Helen', last_name: 'Tsai', client_type: 'buyer', email: 'helen@example.com' }],
};

const emails = (sandbox: ActuallyCareSandbox, resource: 'leads' | 'clients' | 'contacts') =>
  sandbox
    .records(resource)
    .map((r) => String(r.email))
    .sort();

describe('ActuallyCare import end to end on the local runtime, against the published contract', () => {
  let sandbox: ActuallyCareSandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  const start = async (options: ActuallyCareSandboxOptions = {}, withToken = true) => {
    sandbox = await startActuallyCareSandbox({ rate: RATE, ...options });
    const { baseUrl, apiKey, sessionToken } = sandbox;
    harness = await startHarness(
      withToken ? { baseUrl, apiKey, sessionToken } : { baseUrl, apiKey },
      RATE,
      {},
      apiKey,
      'actuallycare',
    );
    return { sandbox, harness };
  };

  it.each(eachVariant(ACTUALLYCARE_VARIANTS).map((v) => [describeVariants(ACTUALLYCARE_VARIANTS, v), v]))(
    'A1, A6, C3, E4/E5, I5, RL4: a mixed export goes in once, contacts with the session token (variant %s)',
    async (_label, variants) => {
      // Prepare: the account already holds Priya as a lead and Helen as a client
      const { sandbox, harness } = await start({ seed: SEED, variants });
      const job = writeJob({ 'crm-export.csv': mixed });

      // Act
      const result = await harness.run([job], { marker: 'import-2026-11-test' });

      // Assess: every request carried the key in X-API-Key (a Bearer key would have been refused: A1, A3)
      expect(emails(sandbox, 'leads')).toEqual(
        [
          'PRIYA@example.org',
          'felix@example.net',
          'ines@example.com',
          'marisol@example.com',
          'nadia@example.com',
        ].sort(),
      );
      expect(emails(sandbox, 'clients')).toEqual([
        'darnell@example.net',
        'helen@example.com',
        'omar@example.net',
      ]);
      const clientTypes = Object.fromEntries(sandbox.records('clients').map((c) => [c.email, c.client_type]));
      expect(clientTypes).toMatchObject({ 'darnell@example.net': 'seller', 'omar@example.net': 'both' });
      expect(
        sandbox
          .records('contacts')
          .map((c) => [c.first_name, c.contact_type])
          .sort(),
      ).toEqual([
        ['Gus', 'vendor'],
        ['Renee', 'agent'],
        ['Sam', 'lender'],
      ]);
      // The marker goes in `source` only where the row brings none of its own (no tags field: I5)
      const leads = Object.fromEntries(sandbox.records('leads').map((l) => [l.email, l]));
      expect(leads['marisol@example.com']).toMatchObject({ name: 'Marisol Vega', source: 'Open house' });
      expect(leads['ines@example.com']).toMatchObject({ source: 'import-2026-11-test' });
      expect(leads['ines@example.com']).not.toHaveProperty('tags');
      expect(result.stages.lead).toMatchObject({ rows: 5, created: 4, skipped: 1 });
      expect(result.stages.client).toMatchObject({ rows: 3, created: 2, skipped: 1 });
      expect(result.stages.contact).toMatchObject({ rows: 3, created: 3 });
      // the landlord row's type cannot be decided: a failure with that reason, nothing lost
      expect(result.stages.unknown).toMatchObject({ rows: 1, failed: 1 });
      expect(readFileSync(result.report.failures, 'utf8')).toMatch(/row type 'Landlord' is not one of/);
      expect(result.summary.accounted).toBe(true);
      // the preflight probed each resource read with ?limit=1 before anything was written (S8)
      const firstWrite = sandbox.requests().findIndex((r) => r.method !== 'GET');
      const probes = sandbox
        .requests()
        .slice(0, firstWrite)
        .filter((r) => r.path.includes('limit=1&') || r.path.endsWith('limit=1'));
      expect(probes.map((r) => r.path.split('?')[0]).sort()).toEqual([
        '/v1/clients',
        '/v1/contacts',
        '/v1/leads',
      ]);
      expect(result.summary.preflight?.checks.every((c) => c.ok)).toBe(true);
      // 500 per IP per window, scaled down (RL1): never over it
      const served = sandbox.requests().filter((r) => !r.throttled);
      expect(
        maxInAnyWindow(
          served.map((r) => r.at),
          RATE.windowSeconds * 1000,
        ),
      ).toBeLessThanOrEqual(RATE.limit);

      // Act again: the same export creates nothing
      const posts = sandbox.requests().filter((r) => r.method === 'POST').length;
      const again = await harness.run([job]);

      // Assess
      expect(sandbox.requests().filter((r) => r.method === 'POST')).toHaveLength(posts);
      expect(again.totals).toMatchObject({ created: 0, skipped: 11, failed: 1 });
    },
  );

  it('K1, A6: without a session token the contact rows fail with one reason, before any is sent; the rest import', async () => {
    // Prepare
    const { sandbox, harness } = await start({}, false);

    // Act
    const result = await harness.run([writeJob({ 'crm-export.csv': mixed })]);

    // Assess
    expect(result.stages.contact).toMatchObject({ rows: 3, failed: 3 });
    expect(result.stages.lead).toMatchObject({ rows: 5, created: 5 });
    expect(result.stages.client).toMatchObject({ rows: 3, created: 3 });
    expect(sandbox.requests().filter((r) => r.path.startsWith('/v1/contacts'))).toHaveLength(0);
    const failures = JSON.parse(readFileSync(result.report.failures.replace(/\.csv$/, '.json'), 'utf8')) as {
      entity: string;
      message: string;
    }[];
    const contactReasons = new Set(failures.filter((f) => f.entity === 'contact').map((f) => f.message));
    expect([...contactReasons]).toHaveLength(1);
    expect([...contactReasons][0]).toMatch(/session token.*ACTUALLYCARE_SESSION_TOKEN|session token/);
  });

  it('K1: a session token that expires mid-run holds the rest of the contacts as retryable, with that reason', async () => {
    // Prepare: the token answers the preflight's read, the dedupe read and one create, then expires
    const { sandbox, harness } = await start({ sessionExpiresAfter: 3 });

    // Act
    const result = await harness.run([writeJob({ 'crm-export.csv': mixed })]);

    // Assess
    expect(sandbox.records('contacts')).toHaveLength(1);
    expect(result.stages.contact).toMatchObject({ rows: 3, created: 1, held: 2 });
    expect(result.summary.failures).toMatchObject({ held: 2 });
    expect(readFileSync(result.report.failures, 'utf8')).toMatch(/session token.*refused/);
    expect(result.stages.lead).toMatchObject({ created: 5 });
  });

  it('K1: a session token already refused at the preflight holds the contacts, reads none, and the rest import', async () => {
    // Prepare
    const { sandbox, harness } = await start();
    sandbox.expireSession();

    // Act
    const result = await harness.run([writeJob({ 'crm-export.csv': mixed })]);

    // Assess
    expect(result.stages.contact).toMatchObject({ rows: 3, held: 3 });
    expect(result.stages.lead).toMatchObject({ created: 5 });
    expect(result.summary.preflight?.checks).toContainEqual(
      expect.objectContaining({ check: 'read contacts', ok: false }),
    );
    // one probe of contacts, then nothing more sent there
    expect(sandbox.requests().filter((r) => r.path.startsWith('/v1/contacts'))).toHaveLength(1);
    expect(readFileSync(result.report.failures, 'utf8')).toMatch(
      /checked before writing: .*session token.*refused/,
    );
  });

  it('S5, S8: a key without the read scope of a resource the job needs stops the job before anything is written, naming it', async () => {
    // Prepare
    const { sandbox, harness } = await start({
      scopes: { leads: ['write'], clients: ['read', 'write'], contacts: ['read', 'write'] },
    });

    // Act
    const result = await harness.run([writeJob({ 'crm-export.csv': mixed })]);

    // Assess
    expect(result.status).toBe('failed');
    expect(result.summary.error?.message).toMatch(/read leads.*leads:read/);
    expect(sandbox.requests().filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('S5: the first 403 on a write stops that entity with the scope named; the others still import', async () => {
    // Prepare: leads are readable but not writable
    const { sandbox, harness } = await start({
      scopes: { leads: ['read'], clients: ['read', 'write'], contacts: ['read', 'write'] },
    });

    // Act
    const result = await harness.run([writeJob({ 'crm-export.csv': mixed })]);

    // Assess
    expect(sandbox.requests().filter((r) => r.method === 'POST' && r.path === '/v1/leads')).toHaveLength(1);
    expect(result.stages.lead).toMatchObject({ rows: 5, failed: 5 });
    expect(result.stages.client).toMatchObject({ created: 3 });
    expect(readFileSync(result.report.failures, 'utf8')).toMatch(/leads:write/);
  });

  it('C3, X4: a client with no client type fails naming the default to set; escrows carry the inferred fields', async () => {
    // Prepare
    const { sandbox, harness } = await start();
    const job = writeJob({
      'clients.csv': csv([
        ['First Name', 'Last Name', 'Email'],
        ['Ana', 'Lima', 'ana@example.com'],
      ]),
      'escrows.csv': csv([
        ['Property Address', 'Purchase Price', 'Representation', 'Closing Date', 'Status'],
        ['12 Elm St', '$750,000', 'Buyer', '06/30/2026', 'Pending'],
        ['9 Oak Ave', '', 'Seller', '', ''],
      ]),
    });

    // Act
    const result = await harness.run([job]);

    // Assess
    expect(result.stages.client).toMatchObject({ rows: 1, failed: 1 });
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(failures).toMatch(/client type.*"defaults": \{""client_type"": ""buyer""\}|client_type/);
    expect(failures).toMatch(/purchase price/);
    expect(sandbox.records('escrows')).toEqual([
      expect.objectContaining({
        property_address: '12 Elm St',
        purchase_price: 750000,
        representation_type: 'buyer',
        closing_date: '2026-06-30',
        status: 'pending',
      }),
    ]);
  });

  it('RL5: waits out injected 429 bursts and loses nothing; --limit imports only the first rows', async () => {
    // Prepare
    const { sandbox, harness } = await start({
      faults: { throttleBurst: 0.15, burstLength: 2, retryAfterSeconds: 1, seed: 3 },
    });
    const job = writeJob({ 'crm-export.csv': mixed });

    // Act
    const limited = await harness.run([job], { limit: 4 });
    const full = await harness.run([job]);

    // Assess
    expect(limited.totals.rows).toBe(4);
    expect(limited.summary.limit).toBe(4);
    expect(sandbox.faults().throttle).toBeGreaterThan(0);
    expect(full.requests.throttled).toBeGreaterThan(0);
    expect(emails(sandbox, 'leads')).toHaveLength(5);
    expect(emails(sandbox, 'clients')).toHaveLength(3);
    expect(emails(sandbox, 'contacts')).toHaveLength(3);
    expect(full.totals).toMatchObject({ rows: 12, failed: 1, held: 0 });
    expect(full.totals.created + full.totals.skipped).toBe(11);
  });
});
