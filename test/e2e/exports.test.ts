import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { workspaceOf } from './exports-workspace.ts';
import { type Harness, startHarness } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 3 };
/** The examples' people are Lead, Active, Customer or Inactive: the workspace's lifecycle holds those. */
const ENUMS = { personLifecycle: ['Lead', 'Active', 'Customer', 'Inactive'] };

describe('Vendor exports end to end on the local runtime (examples/)', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;

  const run = async (folder: string) => {
    sandbox = await startClarifySandbox({ rate: RATE, enums: ENUMS });
    harness = await startHarness(sandbox, RATE);
    return harness.run([folder]);
  };

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  it('imports the HubSpot export: lifecycle stages, deal stages, `;` id lists, a duplicate contact', async () => {
    // Act
    const result = await run('examples/hubspot');

    // Assess: the records, with their companies and the deal <-> people links from both sides
    const w = workspaceOf(sandbox as ClarifySandbox);
    expect(w.companies).toEqual([
      { name: 'Bluebird Analytics', domains: ['bluebird-analytics.io'] },
      { name: 'Copperleaf Foods', domains: ['copperleaf-foods.com'] },
      // no website: the domain its people's work emails share
      { name: 'Harbor & Pine Legal', domains: ['harborpine.law'] },
      { name: 'Northwind Traders', domains: ['northwind-traders.com'] },
      { name: 'Quarry Lane Studios', domains: ['quarrylane.studio'] },
    ]);
    expect(w.people).toEqual([
      {
        name: 'Arjun Mehta',
        email: 'arjun.mehta@quarrylane.studio',
        status: 'Customer',
        company: 'Quarry Lane Studios',
      },
      {
        name: 'Ava Okafor',
        email: 'ava.okafor@northwind-traders.com',
        status: 'Customer',
        company: 'Northwind Traders',
      },
      {
        name: 'Chloe Dubois',
        email: 'chloe@quarrylane.studio',
        status: 'Customer',
        company: 'Quarry Lane Studios',
      },
      { name: 'Grace Lindholm', email: 'grace.lindholm@gmail.com', status: 'Lead' },
      {
        name: 'Kwame Asante',
        email: 'kwame.asante@northwind-traders.com',
        status: 'Lead',
        company: 'Northwind Traders',
      },
      {
        name: 'Liam Lindqvist',
        email: 'liam.lindqvist@bluebird-analytics.io',
        status: 'Active',
        company: 'Bluebird Analytics',
      },
      { name: 'Maya Patel', email: 'maya@harborpine.law', status: 'Lead', company: 'Harbor & Pine Legal' },
      {
        name: 'Noah Moreau',
        email: 'noah.moreau@copperleaf-foods.com',
        status: 'Lead',
        company: 'Copperleaf Foods',
      },
      {
        name: 'Omar Haddad',
        email: 'omar@harborpine.law',
        status: 'Inactive',
        company: 'Harbor & Pine Legal',
      },
    ]);
    expect(w.deals).toEqual([
      {
        name: 'Bluebird - Data platform',
        amount: 30000,
        stage: 'Qualification',
        company: 'Bluebird Analytics',
        people: ['Liam Lindqvist'],
      },
      {
        name: 'Copperleaf - Pilot',
        amount: 5000,
        stage: 'Negotiation',
        company: 'Copperleaf Foods',
        people: ['Noah Moreau'],
      },
      {
        name: 'Harbor & Pine - Case management',
        amount: 9500,
        stage: 'Prospecting',
        company: 'Harbor & Pine Legal',
        people: ['Maya Patel', 'Omar Haddad'],
      },
      {
        name: 'Northwind - Annual renewal',
        amount: 48000,
        stage: 'Negotiation',
        company: 'Northwind Traders',
        people: ['Ava Okafor'],
      },
      // linked from the duplicate contact 7109, merged into Ava (7101)
      {
        name: 'Northwind - Support add-on',
        amount: 3000,
        stage: 'Closed Lost',
        company: 'Northwind Traders',
        people: ['Ava Okafor'],
      },
      {
        name: 'Northwind - Warehouse pilot',
        amount: 12500.5,
        stage: 'Proposal',
        company: 'Northwind Traders',
        people: ['Ava Okafor', 'Kwame Asante'],
      },
      {
        name: 'Quarry Lane - Studio expansion',
        amount: 22000,
        stage: 'Closed Won',
        company: 'Quarry Lane Studios',
        people: ['Arjun Mehta', 'Chloe Dubois'],
      },
    ]);

    // the report: what was recognised, the merge, the pairs seen from both sides (counted once), the cleaning
    const contacts = 'hubspot-crm-exports-all-contacts-2026-05-04.csv';
    expect(result.status).toBe('succeeded');
    expect(result.summary.accounted).toBe(true);
    expect(result.summary.recognized?.map((r) => [r.vendor, r.entity])).toEqual([
      ['hubspot', 'company'],
      ['hubspot', 'person'],
      ['hubspot', 'deal'],
    ]);
    expect(result.summary.recognized?.[1]?.columns).toMatchObject({
      'Lifecycle Stage': 'status',
      'Associated Company IDs': 'company',
      'Associated Deal IDs': 'deals',
    });
    expect(result.summary.merged).toContainEqual({ file: contacts, line: 11, into: `${contacts} line 2` });
    // 9 links from contacts + 8 from deals, 7 of them the same pair seen from the other side: 10 links
    expect(result.stages.link).toMatchObject({ rows: 10, created: 10, merged: 0, failed: 0 });
    expect(result.summary.cleaning).toMatchObject({
      junkRows: 1,
      phonesDropped: 1,
      domainsFromEmails: 1,
      associationLinks: 10,
      emailsLowercased: 2,
    });
    expect(result.summary.warnings).toContainEqual({
      file: contacts,
      line: 7,
      column: 'Phone Number',
      message: "'call reception' is not a phone number (read in region US): left out",
      kind: 'phone left out',
    });
    expect(readFileSync(result.report.summary.replace('summary.json', 'summary.txt'), 'utf8')).toMatch(
      /Recognised hubspot-crm-exports-all-deals-2026-05-04\.csv: hubspot deal \(utf-8, comma\)/,
    );
  });

  it('imports the Salesforce export: catch-all accounts left out, leads as people, OpportunityContactRole links', async () => {
    // Act
    const result = await run('examples/salesforce');

    // Assess
    const w = workspaceOf(sandbox as ClarifySandbox);
    expect(w.companies).toEqual([
      { name: 'Acme Robotics', domains: ['acmerobotics.com'] },
      { name: 'Globex Logistics', domains: ['globexlogistics.com'] },
      { name: 'Initrode Health', domains: ['initrode-health.org'] },
    ]);
    expect(w.people).toEqual([
      { name: 'Ben Carter', email: 'ben.carter@yahoo.com', status: 'Lead' },
      { name: 'Dev Rao', email: 'dev@raodesign.co' },
      { name: 'Hannah Lee', email: 'hannah.lee@leeandco.com', status: 'Lead' },
      { name: 'Ines Alves', email: 'ines@alvesconsulting.pt', status: 'Inactive' },
      { name: 'Jill Park', email: 'jill.park@outlook.com' },
      { name: 'Lena Fischer', email: 'lena.fischer@fischer-bau.de' },
      { name: 'Marco Rossi', email: 'marco@rossi-imports.it', status: 'Lead' },
      // the converted lead merged into the contact and filled its blank status
      {
        name: 'Priya Shah',
        email: 'priya.shah@acmerobotics.com',
        status: 'Active',
        company: 'Acme Robotics',
      },
      { name: 'Rosa Diaz', email: 'rosa.diaz@globexlogistics.com', company: 'Globex Logistics' },
      { name: 'Sam Okoye', email: 'sam.okoye@initrode-health.org', company: 'Initrode Health' },
      { name: 'Tom Becker', email: 'tom.becker@acmerobotics.com', company: 'Acme Robotics' },
    ]);
    expect(w.deals).toEqual([
      {
        name: 'Acme - Assembly line retrofit',
        amount: 120000,
        stage: 'Negotiation',
        company: 'Acme Robotics',
        people: ['Priya Shah', 'Tom Becker'],
      },
      {
        name: 'Acme - Spare parts contract',
        amount: 18000,
        stage: 'Closed Won',
        company: 'Acme Robotics',
        people: ['Priya Shah'],
      },
      {
        name: 'Globex - Fleet telemetry',
        amount: 45000,
        stage: 'Qualification',
        company: 'Globex Logistics',
        people: ['Rosa Diaz'],
      },
      {
        name: 'Globex - Route planning',
        amount: 9000,
        stage: 'Closed Lost',
        company: 'Globex Logistics',
        people: ['Rosa Diaz'],
      },
      {
        name: 'Initrode - Patient portal',
        amount: 60000,
        stage: 'Proposal',
        company: 'Initrode Health',
        people: ['Sam Okoye'],
      },
      { name: 'Web inquiry - Rao Design', amount: 2500, stage: 'Prospecting', people: ['Dev Rao'] },
    ]);
    expect(result.status).toBe('succeeded');
    expect(result.summary.accounted).toBe(true);
    expect(result.summary.recognized?.map((r) => [r.file, r.vendor, r.entity])).toEqual([
      ['Account.csv', 'salesforce', 'company'],
      ['Contact.csv', 'salesforce', 'person'],
      ['Lead.csv', 'salesforce', 'person'],
      ['Opportunity.csv', 'salesforce', 'deal'],
      ['OpportunityContactRole.csv', 'salesforce', 'link'],
    ]);
    // the two catch-all accounts are not rows of any stage: counted apart, with a warning each
    expect(result.stages.company).toMatchObject({ rows: 3, created: 3 });
    expect(result.summary.cleaning).toMatchObject({ catchAllAccounts: 2, catchAllLinksDropped: 4 });
    expect(result.summary.warnings).toContainEqual({
      file: 'Account.csv',
      line: 5,
      message:
        "'Website Leads' is a catch-all account: not created, and its people and deals go in without a company",
      kind: 'catch-all account',
    });
    expect(result.summary.merged).toContainEqual({ file: 'Lead.csv', line: 4, into: 'Contact.csv line 2' });
    expect(result.stages.link).toMatchObject({ rows: 7, created: 7 });
  });

  it('imports the Pipedrive export: prefixed headers, email and phone lists, URLs, links by name, a value map', async () => {
    // Act
    const result = await run('examples/pipedrive');

    // Assess
    const w = workspaceOf(sandbox as ClarifySandbox);
    expect(w.companies).toEqual([
      { name: 'Fernhill Bakery Co', domains: ['fernhillbakery.com'] },
      { name: 'Kestrel Aerial Imaging', domains: ['kestrel-aerial.com'] },
      { name: 'Lumen Dental Group', domains: ['lumendental.net'] },
      { name: 'Tidewater Outfitters', domains: ['tidewater-outfitters.com'] },
    ]);
    expect(w.people).toEqual([
      {
        name: 'Aisha Khan',
        email: 'aisha@fernhillbakery.com',
        status: 'Lead',
        company: 'Fernhill Bakery Co',
      },
      {
        name: 'Jonas Berg',
        email: 'jonas.berg@kestrel-aerial.com',
        status: 'Active',
        company: 'Kestrel Aerial Imaging',
      },
      { name: 'Leo Grant', email: 'leo.grant@hotmail.com', status: 'Inactive' },
      { name: 'Mia Costa', email: 'mia.costa@tidewater-outfitters.com', company: 'Tidewater Outfitters' },
      {
        name: 'Peter Novak',
        email: 'peter.novak@lumendental.net',
        status: 'Customer',
        company: 'Lumen Dental Group',
      },
      // the first of her two addresses
      {
        name: 'Sofia Marin',
        email: 'sofia@tidewater-outfitters.com',
        status: 'Customer',
        company: 'Tidewater Outfitters',
      },
    ]);
    expect(w.deals).toEqual([
      {
        name: 'Fernhill - POS upgrade',
        amount: 4800,
        stage: 'Qualification',
        company: 'Fernhill Bakery Co',
        people: ['Aisha Khan'],
      },
      {
        name: 'Kestrel - Pilot training',
        amount: 2500,
        stage: 'Qualification',
        company: 'Kestrel Aerial Imaging',
        people: ['Jonas Berg'],
      },
      {
        name: 'Kestrel - Survey drones',
        amount: 32000,
        stage: 'Negotiation',
        company: 'Kestrel Aerial Imaging',
        people: ['Jonas Berg'],
      },
      // won and lost say more than the stage the deal stopped at
      {
        name: 'Lumen - Patient reminders',
        amount: 15000,
        stage: 'Closed Won',
        company: 'Lumen Dental Group',
        people: ['Peter Novak'],
      },
      {
        name: 'Tidewater - Loyalty app',
        amount: 9000,
        stage: 'Closed Lost',
        company: 'Tidewater Outfitters',
        people: ['Mia Costa'],
      },
      {
        name: 'Tidewater - Spring catalog',
        amount: 14500,
        stage: 'Proposal',
        company: 'Tidewater Outfitters',
        people: ['Sofia Marin'],
      },
    ]);
    expect(result.status).toBe('succeeded');
    expect(result.summary.accounted).toBe(true);
    expect(result.summary.recognized?.map((r) => [r.file, r.vendor, r.entity])).toEqual([
      ['organizations.csv', 'pipedrive', 'company'],
      ['people.csv', 'pipedrive', 'person'],
      ['deals.csv', 'pipedrive', 'deal'],
    ]);
    expect(result.summary.recognized?.[1]?.columns).toMatchObject({
      'Person - Email': 'email',
      'Person - Organization': 'company',
      'Person - Label': 'status',
    });
    expect(result.summary.merged).toContainEqual({ file: 'people.csv', line: 7, into: 'people.csv line 2' });
    expect(result.summary.cleaning).toMatchObject({
      domainsFromWebsites: 4,
      phonesDropped: 1,
      associationLinks: 6,
    });
    expect(result.summary.cleaning?.firstOfList).toBeGreaterThanOrEqual(2);
    expect(result.summary.warnings).toContainEqual(
      expect.objectContaining({ file: 'people.csv', line: 8, column: 'Person - Phone' }),
    );
  });
});
