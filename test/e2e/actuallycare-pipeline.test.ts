import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 12, windowSeconds: 2 };

const mixed = csv([
  ['Type', 'First Name', 'Last Name', 'Email', 'Phone', 'Lead Source', 'Notes'],
  ['Lead', 'Marisol', 'Vega', 'marisol@example.com', '415-555-0134', 'Open house', ''],
  ['Past Client', 'Darnell', 'Brooks', 'darnell@example.net', '', 'Referral', 'Bought 2021'],
  ['Vendor', 'Gus', 'Alvarez', 'gus@inspect.com', '', '', 'Inspector'],
  ['Lead', 'Priya', 'Raman', 'priya@example.org', '', 'Website', ''],
  ['Past Client', 'Helen', 'Tsai', 'helen@example.com', '', '', ''],
  ['Agent', 'Renee', 'Okoro', 'renee@okoro.com', '', '', ''],
  ['Lead', 'Ines', 'Carvalho', 'ines@example.com', '', '', ''],
  ['Lead', 'Nadia', 'Petrova', 'nadia@example.com', '', '', ''],
  ['Landlord', 'Lou', 'Reed', 'lou@example.com', '', '', ''],
  ['Past Client', 'Omar', 'Haddad', 'omar@example.net', '', '', ''],
  ['Lead', 'Felix', 'Wagner', 'felix@example.net', '', '', ''],
  ['Lender', 'Sam', 'Whitfield', 'sam@baylending.com', '', '', ''],
]);

const emails = (sandbox: ActuallyCareSandbox, resource: 'leads' | 'clients' | 'contacts') =>
  sandbox
    .records(resource)
    .map((r) => String(r.email))
    .sort();

describe('ActuallyCare import end to end on the local runtime', () => {
  let sandbox: ActuallyCareSandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  it('splits a mixed export into leads, clients and contacts, skipping what exists, tagged with the marker', async () => {
    // Prepare: the account already holds Priya as a lead and Helen as a client
    sandbox = await startActuallyCareSandbox({
      rate: RATE,
      seed: {
        leads: [{ name: 'Priya Raman', email: 'PRIYA@example.org' }],
        clients: [{ first_name: 'Helen', email: 'helen@example.com' }],
      },
    });
    harness = await startHarness(sandbox, RATE, {}, sandbox.apiKey, 'actuallycare');
    const job = writeJob({ 'crm-export.csv': mixed });

    // Act
    const result = await harness.run([job], { marker: 'import-2026-11-test' });

    // Assess
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
    const marisol = sandbox.records('leads').find((l) => l.email === 'marisol@example.com');
    expect(marisol).toMatchObject({
      name: 'Marisol Vega',
      source: 'Open house',
      tags: ['import-2026-11-test'],
    });
    expect(sandbox.records('clients').find((c) => c.email === 'darnell@example.net')).toMatchObject({
      first_name: 'Darnell',
      last_name: 'Brooks',
      tags: ['import-2026-11-test'],
    });
    expect(result.stages.lead).toMatchObject({ rows: 5, created: 4, skipped: 1 });
    expect(result.stages.client).toMatchObject({ rows: 3, created: 2, skipped: 1 });
    expect(result.stages.contact).toMatchObject({ rows: 3, created: 3 });
    // the landlord row's type cannot be decided: a failure with that reason, nothing lost
    expect(result.stages.unknown).toMatchObject({ rows: 1, failed: 1 });
    expect(readFileSync(result.report.failures, 'utf8')).toMatch(/row type 'Landlord' is not one of/);
    expect(result.summary.accounted).toBe(true);
    expect(result.summary.marker).toBe('import-2026-11-test');
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
  });

  it('fails at once, writing nothing, when the key cannot write leads', async () => {
    // Prepare
    sandbox = await startActuallyCareSandbox({
      rate: RATE,
      scopes: { leads: ['read'], clients: ['read', 'write'], contacts: ['read', 'write'] },
    });
    harness = await startHarness(sandbox, RATE, {}, sandbox.apiKey, 'actuallycare');

    // Act
    const result = await harness.run([writeJob({ 'crm-export.csv': mixed })]);

    // Assess
    expect(result.status).toBe('failed');
    expect(result.summary.error?.message).toMatch(/lacks the scope leads:write/);
    expect(sandbox.requests().filter((r) => r.method !== 'GET')).toHaveLength(0);
    expect(sandbox.requests()).toHaveLength(1);
  });

  it('waits out injected 429 bursts and loses nothing; --limit imports only the first rows', async () => {
    // Prepare
    sandbox = await startActuallyCareSandbox({
      rate: RATE,
      faults: { throttleBurst: 0.15, burstLength: 2, retryAfterSeconds: 1, seed: 3 },
    });
    harness = await startHarness(sandbox, RATE, {}, sandbox.apiKey, 'actuallycare');
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
