import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 10, windowSeconds: 2 };

// The job's enums (manifest.json "enums") hold VIP, the workspace's do not: split lets Bob's row through
// and the API rejects it, which is what this test is about. Without them split fails the row itself.
const VIP_ALLOWED = { enums: { status: ['Lead', 'Active', 'Customer', 'Inactive', 'VIP'] } };

const companies = csv([
  ['Company ID', 'Company Name', 'Website'],
  ['c1', 'Acme Corp', 'https://www.acme.com/about'],
  ['c2', 'Globex', 'globex.io'],
  ['c3', 'Initech', 'initech.com'],
  ['c4', 'Umbrella', 'umbrella.net'],
]);

const people = csv([
  ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID', 'Status'],
  ['p1', 'Jane', 'Doe', 'jane@acme.com', 'c1', 'Active'],
  ['p2', 'John', 'Roe', 'john@globex.io', 'c2', 'Lead'],
  ['p3', 'Ann', 'Lee', 'ann@initech.com', 'c3', 'Customer'],
  ['p4', 'Bob', 'Ray', 'bob@umbrella.net', 'c4', 'VIP'],
  ['p5', 'Cid', 'Moe', 'cid@acme.com', 'c1', ''],
  ['p6', 'Dee', '', 'DEE@globex.io', 'c2', 'Lead'],
  ['p7', 'Dee', 'Fox', 'dee@globex.io', 'c2', ''],
  ['p8', 'Eve', 'Kim', 'eve@initech.com', 'c3', 'Inactive'],
]);

const deals = csv([
  ['Deal ID', 'Deal Name', 'Amount', 'Stage', 'Company ID'],
  ['d1', 'Acme Renewal', '50000', 'Negotiation', 'c1'],
  ['d2', 'Globex Pilot', '$12,500', 'Proposal', 'c2'],
  ['d3', 'Initech Expansion', '8000', 'Prospecting', 'c3'],
]);

const dealPeople = csv([
  ['Deal ID', 'Person ID'],
  ['d1', 'p1'],
  ['d1', 'p5'],
  ['d2', 'p2'],
  ['d2', 'p6'],
  ['d3', 'p3'],
  ['d3', 'p8'],
  ['d2', 'p4'],
]);

describe('Clarify import end to end on the local runtime', () => {
  let sandbox: ClarifySandbox;
  let harness: Harness;
  let job: string;

  beforeAll(async () => {
    // Prepare: a workspace that already holds Acme (by domain), Jane (by email) and Acme's renewal deal,
    // which already has a person linked.
    sandbox = await startClarifySandbox({
      rate: RATE,
      seed: {
        company: [{ name: 'ACME Corporation', domains: { items: ['acme.com'] } }],
        person: [
          {
            first_name: 'Jane',
            last_name: 'Doe',
            email_addresses: { items: ['JANE@acme.com'] },
            company_id: 0,
          },
          {
            first_name: 'Old',
            last_name: 'Contact',
            email_addresses: { items: ['old@acme.com'] },
            company_id: 0,
          },
        ],
        deal: [{ name: 'Acme Renewal', stage: 'Proposal', company_id: 0 }],
        dealPeople: { '0': [1] },
      },
    });
    harness = await startHarness(sandbox, RATE);
    job = writeJob({
      'companies.csv': companies,
      'people.csv': people,
      'deals.csv': deals,
      'deal_people.csv': dealPeople,
    });
  });

  afterAll(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  it('imports every row once, links them, reports the rejected row and waits for the rate limit', async () => {
    // Act
    const result = await harness.run([job], VIP_ALLOWED);

    // Assess: nothing in the workspace twice
    const emails = sandbox
      .records('person')
      .flatMap((p) =>
        (p.attributes.email_addresses as { items: string[] }).items.map((e) => e.toLowerCase()),
      );
    expect(emails.sort()).toEqual(
      [
        'ann@initech.com',
        'cid@acme.com',
        'dee@globex.io',
        'eve@initech.com',
        'jane@acme.com',
        'john@globex.io',
        'old@acme.com',
      ].sort(),
    );
    const domains = sandbox
      .records('company')
      .flatMap((c) => (c.attributes.domains as { items: string[] }).items);
    expect(domains.sort()).toEqual(['acme.com', 'globex.io', 'initech.com', 'umbrella.net']);
    expect(
      sandbox
        .records('deal')
        .map((d) => d.attributes.name)
        .sort(),
    ).toEqual(['Acme Renewal', 'Globex Pilot', 'Initech Expansion']);

    // people point at the right companies, including the pre-existing one
    const companyOf = (email: string) => {
      const person = sandbox
        .records('person')
        .find((p) => (p.attributes.email_addresses as { items: string[] }).items[0]?.toLowerCase() === email);
      return sandbox.records('company').find((c) => c.id === person?.attributes.company_id)?.attributes.name;
    };
    expect(companyOf('cid@acme.com')).toBe('ACME Corporation');
    expect(companyOf('dee@globex.io')).toBe('Globex');

    // the duplicate row was merged: first non-blank value wins, the blank last name filled from the later row
    const dee = sandbox.records('person').find((p) => p.attributes.first_name === 'Dee');
    expect(dee?.attributes.last_name).toBe('Fox');
    expect(dee?.attributes.status).toBe('Lead');

    // links: the pre-existing deal keeps its old person and gains the new ones
    const dealId = (name: string) =>
      sandbox.records('deal').find((d) => d.attributes.name === name)?.id as string;
    const personId = (email: string) =>
      sandbox
        .records('person')
        .find((p) => (p.attributes.email_addresses as { items: string[] }).items[0]?.toLowerCase() === email)
        ?.id;
    expect(sandbox.dealPeople(dealId('Acme Renewal')).sort()).toEqual(
      [personId('old@acme.com'), personId('jane@acme.com'), personId('cid@acme.com')].sort(),
    );
    expect(sandbox.dealPeople(dealId('Globex Pilot')).sort()).toEqual(
      [personId('john@globex.io'), personId('dee@globex.io')].sort(),
    );

    // the report: Bob's 'VIP' status is rejected by the API with its reason, his batch-mates created
    expect(result.status).toBe('completed_with_failures');
    expect(result.summary.accounted).toBe(true);
    expect(result.stages.company).toMatchObject({ rows: 4, created: 3, skipped: 1, failed: 0 });
    expect(result.stages.person).toMatchObject({
      rows: 8,
      created: 5,
      skipped: 1,
      merged: 1,
      failed: 1,
      held: 0,
    });
    expect(result.stages.deal).toMatchObject({ rows: 3, created: 2, skipped: 1 });
    expect(result.stages.link).toMatchObject({ rows: 7, created: 6, held: 1 });
    const t = result.totals;
    expect(t.rows).toBe(t.created + t.updated + t.skipped + t.merged + t.failed + t.held);
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(failures).toMatch(/bob@umbrella\.net/);
    expect(failures).toMatch(/VIP/);
    expect(failures).toMatch(/people\.csv,5,/);
    expect(failures).toMatch(/deal_people\.csv,8,DEPENDENCY_FAILED/);

    // pacing: more requests than one window allows, spread over time, never over the limit in any window
    const served = sandbox.requests().filter((r) => !r.throttled && r.status !== 0);
    expect(served.length).toBeGreaterThan(RATE.limit);
    expect(
      maxInAnyWindow(
        served.map((r) => r.at),
        RATE.windowSeconds * 1000,
      ),
    ).toBeLessThanOrEqual(RATE.limit);
    expect(sandbox.requests().filter((r) => r.status === 429)).toHaveLength(0);
    expect(result.viewText).toMatch(/Wait for rate limit/);
  });

  it('creates nothing when the same job is run again', async () => {
    // Prepare
    const before = {
      people: sandbox.records('person').length,
      companies: sandbox.records('company').length,
      deals: sandbox.records('deal').length,
    };
    const posts = () => sandbox.requests().filter((r) => r.method === 'POST').length;
    const postsBefore = posts();

    // Act
    const result = await harness.run([job], VIP_ALLOWED);

    // Assess
    expect(sandbox.records('person')).toHaveLength(before.people);
    expect(sandbox.records('company')).toHaveLength(before.companies);
    expect(sandbox.records('deal')).toHaveLength(before.deals);
    expect(posts()).toBe(postsBefore + 1); // only Bob, still rejected
    expect(result.totals.created).toBe(0);
    expect(result.stages.person).toMatchObject({ skipped: 6, merged: 1, failed: 1 });
    expect(result.stages.link).toMatchObject({ skipped: 6, created: 0 });
    expect(result.summary.accounted).toBe(true);
  });
});
