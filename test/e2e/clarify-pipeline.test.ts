import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clarifyCallKind } from '#sandbox/clarify/call-kind.ts';
import {
  CLARIFY_VARIANTS,
  type ClarifySandbox,
  type ClarifyVariants,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { describeVariants, eachVariant } from '#sandbox/common/variants.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

/**
 * The whole pipeline against the Clarify sandbox, which follows the published references
 * (shared/contracts/clarify.md) and offers each candidate where they conflict or are silent: the
 * person name as an object or flat (F1, F2), the lifecycle field `stage` or `status` (F7), `GET
 * /schemas` as an array, keyed, or not there at all (SC2), errors with a string or number status or
 * NestJS-style (ER2, ER3), a collision as 400 or 422 (B12), relationship reads as identifiers or
 * resources (R6), with or without rate-limit headers (RL2). The pipeline must pass against each.
 */

/** The workspace's lifecycle values: what its GET /schemas declares and the pipeline learns. */
const LIFECYCLE = ['Lead', 'Active', 'Customer', 'Inactive'];

/** A person's attributes in the variant's shape. */
const seedPerson = (v: ClarifyVariants, first: string, last: string, email: string, lifecycle?: string) => ({
  ...(v.names === 'flat'
    ? { first_name: first, last_name: last }
    : { name: { first_name: first, last_name: last } }),
  email_addresses: { items: [email] },
  ...(lifecycle ? { [v.lifecycle]: lifecycle } : {}),
  company_id: 0,
});

const firstName = (a: Record<string, unknown>) =>
  (a.name as { first_name?: string } | undefined)?.first_name ?? a.first_name;
const lastName = (a: Record<string, unknown>) =>
  (a.name as { last_name?: string } | undefined)?.last_name ?? a.last_name;

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
  ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID', 'Status', 'Job Title'],
  ['p1', 'Jane', 'Doe', 'jane@acme.com', 'c1', 'Active', ''],
  ['p2', 'John', 'Roe', 'john@globex.io', 'c2', 'Lead', ''],
  ['p3', 'Ann', 'Lee', 'ann@initech.com', 'c3', 'Customer', 'CTO'],
  ['p4', 'Bob', 'Ray', 'bob@umbrella.net', 'c4', 'VIP', ''],
  ['p5', 'Cid', 'Moe', 'cid@acme.com', 'c1', '', ''],
  ['p6', 'Dee', '', 'DEE@globex.io', 'c2', 'Lead', ''],
  ['p7', 'Dee', 'Fox', 'dee@globex.io', 'c2', '', ''],
  ['p8', 'Eve', 'Kim', 'eve@initech.com', 'c3', 'Inactive', ''],
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

const variants = eachVariant(CLARIFY_VARIANTS).map(
  (v) => [describeVariants(CLARIFY_VARIANTS, v), v] as const,
);

describe.each(variants)('Clarify import end to end on the local runtime (variant %s)', (label, variant) => {
  let sandbox: ClarifySandbox;
  let harness: Harness;
  let job: string;
  // The defaults run at a low limit to show the Waits; each other variant a little faster, still paced.
  // Each endpoint has a budget of its own (RL1): at 5 per 2 s the job's 7 reads wait for theirs.
  const RATE = label === 'defaults' ? { limit: 5, windowSeconds: 2 } : { limit: 20, windowSeconds: 2 };

  beforeAll(async () => {
    // Prepare: a workspace that already holds Acme (by domain), Jane (by email) and Acme's renewal deal,
    // which already has a person linked.
    sandbox = await startClarifySandbox({
      rate: RATE,
      variants: variant,
      enums: { personLifecycle: LIFECYCLE },
      seed: {
        company: [{ name: 'ACME Corporation', domains: { items: ['acme.com'] } }],
        person: [
          seedPerson(variant, 'Jane', 'Doe', 'JANE@acme.com', 'Active'),
          seedPerson(variant, 'Old', 'Contact', 'old@acme.com', 'Lead'),
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
    expect(emails.sort(), `${result.status}: ${JSON.stringify(result.summary.error)}`).toEqual(
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
    const dee = sandbox.records('person').find((p) => firstName(p.attributes) === 'Dee');
    expect(lastName(dee?.attributes ?? {})).toBe('Fox');
    // the lifecycle went into the field the workspace declares (learned from /schemas, or a record)
    expect(dee?.attributes[variant.lifecycle]).toBe('Lead');
    // F5: the job title went into the job field the workspace has (job_title live, title in the docs)
    const ann = sandbox.records('person').find((p) => firstName(p.attributes) === 'Ann');
    expect(ann?.attributes[variant.jobTitle]).toBe('CTO');

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
    // the link held behind Bob, who failed for his data, waits for the user as Bob does: no re-run queued
    expect(result.summary.failures).toEqual({ permanent: 2, retryable: 0, held: 0 });
    expect(result.summary.retry).toBeUndefined();

    // pacing: more requests than one window allows, spread over time, never over the limit in any window
    // of an endpoint (RL1: the limit is per endpoint; the budgets count all reads together, stricter)
    const served = sandbox.requests().filter((r) => !r.throttled && r.status !== 0);
    if (label === 'defaults') expect(served.length).toBeGreaterThan(RATE.limit);
    for (const kind of new Set(served.map(clarifyCallKind))) {
      const at = served.filter((r) => clarifyCallKind(r) === kind).map((r) => r.at);
      expect(maxInAnyWindow(at, RATE.windowSeconds * 1000), kind).toBeLessThanOrEqual(RATE.limit);
    }
    expect(sandbox.requests().filter((r) => r.status === 429)).toHaveLength(0);
    if (label === 'defaults') expect(result.viewText).toMatch(/Wait for rate limit/);
    // the read-only checks ran before the first write, and the report says what was learned
    expect(result.summary.preflight?.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining(['workspace schema', 'read company', 'read person', 'read deal']),
    );
    expect(result.viewText).toMatch(/Checked before writing/);
    if (variant.schemas === 'unavailable')
      expect(result.summary.preflight?.warnings.join()).toMatch(/could not be read/);
    else
      expect(result.summary.preflight?.workspace).toMatch(
        new RegExp(`lifecycle ${variant.lifecycle} \\(Lead, Active`),
      );
    // no list page asked for more than 500, and no dead http:// next link was followed (Q4, Q8)
    expect(sandbox.requests().filter((r) => r.status === 400)).toHaveLength(0);
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

describe('Clarify existing records are read in the workspace shape', () => {
  it('F1, F7: --on-existing update fills only blanks, reading the name object and the lifecycle field as declared', async () => {
    // Prepare: Jane exists with a lifecycle value and no last name
    const RATE = { limit: 20, windowSeconds: 2 };
    const sandbox = await startClarifySandbox({
      rate: RATE,
      enums: { personLifecycle: LIFECYCLE },
      seed: {
        person: [
          { name: { first_name: 'Jane' }, email_addresses: { items: ['jane@acme.com'] }, stage: 'Customer' },
        ],
      },
    });
    const harness = await startHarness(sandbox, RATE);
    try {
      const job = writeJob({
        'people.csv': csv([
          ['First Name', 'Last Name', 'Email', 'Status'],
          ['Jane', 'Doe', 'jane@acme.com', 'Lead'],
        ]),
      });

      // Act
      const result = await harness.run([job], { onExisting: 'update' });

      // Assess: the blank last name is filled; the lifecycle it holds is kept
      expect(result.stages.person).toMatchObject({ rows: 1, updated: 1 });
      const [jane] = sandbox.records('person');
      expect(lastName(jane?.attributes ?? {})).toBe('Doe');
      expect(jane?.attributes.stage).toBe('Customer');
    } finally {
      await harness.close();
      await sandbox.close();
    }
  });
});
