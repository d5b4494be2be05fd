import { describe, expect, it } from 'vitest';
import type { ColumnMapping } from '#domain/column-mapping.ts';
import type { FileSample } from '#intake/file-sample.ts';
import { mapJob, type SampledFile } from '#intake/job-mapping.ts';
import { PROFILES } from '#targets/profiles.ts';

/** A file of the job: its name and its rows, the first being the headers. */
const file = (name: string, table: string[][]): SampledFile => {
  const [headers = [], ...rows] = table;
  const sample: FileSample = {
    headers,
    rows: rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? '']))),
  };
  return { file: { key: `imports/job/${name}`, file: name }, sample };
};

/** A CRM none of the vendor recognisers knows, with columns HubSpot exports also have. */
const COMPANIES = file('orbit_companies.csv', [
  ['Record ID', 'Company', 'Web Address', 'Industry', 'Created On'],
  ['C1', 'Acme Corp', 'https://acme.com', 'Retail', '2024-01-02'],
  ['C2', 'Globex', 'globex.io', 'Logistics', '2024-02-02'],
]);
const CONTACTS = file('orbit_contacts.csv', [
  ['Record ID', 'Full Name', 'E-mail', 'Job Title', 'Company', 'Mobile', 'Lifecycle Stage', 'Contact owner'],
  ['P1', 'Jane Doe', 'jane@acme.com', 'CTO', 'Acme Corp', '+1 206 555 0199', 'Lead', 'Jane Doe'],
  ['P2', 'John Roe', 'john@globex.io', 'CEO', 'Globex', '', 'Customer', 'Jane Doe'],
]);
const DEALS = file('export-2.csv', [
  ['Record ID', 'Deal', 'Company', 'Primary Person', 'Deal Stage', 'Deal Value', 'Next Step', 'Notes 2'],
  ['D1', 'Acme renewal', 'Acme Corp', 'Jane Doe', 'Proposal', '5000', 'call her', ''],
  ['D2', 'Globex pilot', 'Globex', 'John Roe', 'Qualification', '1,200', '', ''],
]);

const byColumn = (mapping: ColumnMapping[] | undefined) =>
  Object.fromEntries((mapping ?? []).map((m) => [m.column, m]));

describe('Function: mapJob', () => {
  it('reads an unknown CRM by its names and its values, and accounts for every column', () => {
    // Act
    const [companies, contacts, deals] = mapJob([COMPANIES, CONTACTS, DEALS], PROFILES.clarify, 'US');

    // Assess: generic columns shared with HubSpot's do not make the files HubSpot's
    expect([companies, contacts, deals].map((f) => [f?.vendor, f?.entity])).toEqual([
      ['generic', 'company'],
      ['generic', 'person'],
      // export-2.csv: its name says nothing, its headers say deals
      ['generic', 'deal'],
    ]);
    // the deal's contact by full name, under a header no synonym knows
    expect(deals?.roles?.deal).toMatchObject({ people: 'Primary Person', company: 'Company' });
    const dealColumns = byColumn(deals?.mapping);
    expect(dealColumns['Primary Person']).toMatchObject({
      use: 'reference',
      role: 'people',
      by: 'values',
      detail: 'its values name rows of orbit_contacts.csv',
      samples: ['Jane Doe', 'John Roe'],
    });
    // every column is listed once, in header order, and says what becomes of it
    for (const [sampled, found] of [
      [COMPANIES, companies],
      [CONTACTS, contacts],
      [DEALS, deals],
    ] as const)
      expect(found?.mapping?.map((m) => m.column)).toEqual(sampled.sample?.headers);
    expect(dealColumns['Next Step']).toMatchObject({
      use: 'not imported',
      reason: 'no field',
      detail: "Clarify's deal has no field for it",
      samples: ['call her'],
    });
    expect(dealColumns['Notes 2']).toMatchObject({ use: 'not imported', reason: 'empty' });
    expect(byColumn(companies?.mapping).Industry).toMatchObject({ use: 'not imported', reason: 'no field' });
    expect(byColumn(contacts?.mapping)).toMatchObject({
      'Job Title': { use: 'field', target: 'job_title' },
      Mobile: { use: 'field', role: 'phone', target: 'phone_numbers' },
      Company: { use: 'reference', role: 'company' },
      // the source CRM's user, even when a contact shares the name: not a reference
      'Contact owner': { use: 'not imported', reason: 'no field' },
    });
  });

  it('reads a column by what its values are when its name says nothing', () => {
    // Prepare
    const companies = file('companies.csv', [
      ['Company', 'Link'],
      ['Acme Corp', 'https://www.acme.com'],
    ]);
    const people = file('people.csv', [
      ['Full Name', 'Reach', 'Digits', 'Other digits'],
      ['Jane Doe', 'jane@acme.com', '(206) 555-0143', '+1 206 555 0199'],
    ]);
    const deals = file('deals.csv', [
      ['Deal', 'When', 'Worth'],
      ['Acme renewal', '2026-06-30', '$5,000'],
    ]);

    // Act
    const found = mapJob([companies, people, deals], PROFILES.clarify, 'US');

    // Assess
    expect(found.map((f) => f.roles)).toEqual([
      { company: { name: 'Company', domain: 'Link' } },
      { person: { full_name: 'Full Name', email: 'Reach', phone: 'Digits', mobile: 'Other digits' } },
      { deal: { name: 'Deal', close_date: 'When', amount: 'Worth' } },
    ]);
    expect(byColumn(found[2]?.mapping).When).toMatchObject({
      use: 'field',
      target: 'close_date',
      by: 'content',
      detail: 'its values are dates',
    });
  });

  it('maps neither of two columns that could fill one field, and says why', () => {
    // Prepare
    const deals = file('deals.csv', [
      ['Deal', 'Date A', 'Date B', 'Created On'],
      ['Acme renewal', '2026-06-30', '2026-05-01', '2025-01-01'],
    ]);

    // Act
    const [found] = mapJob([deals], PROFILES.clarify, 'US');

    // Assess
    const columns = byColumn(found?.mapping);
    expect(found?.roles?.deal?.close_date).toBeUndefined();
    expect(columns['Date A']).toMatchObject({
      use: 'not imported',
      reason: 'ambiguous',
      detail: "it holds dates, and so does 'Date B': which is the close date?",
    });
    expect(columns['Date B']).toMatchObject({ use: 'not imported', reason: 'ambiguous' });
    // the source CRM's own times are never taken for a close date
    expect(columns['Created On']).toMatchObject({ use: 'not imported', reason: 'no field' });
  });

  it('names the field a target lacks: a role the synonyms know but the target cannot hold', () => {
    // Prepare
    const people = file('people.csv', [
      ['First Name', 'Email', 'Lead Source'],
      ['Jane', 'jane@acme.com', 'Web'],
    ]);

    // Act
    const [found] = mapJob([people], PROFILES.clarify, 'US');

    // Assess
    expect(byColumn(found?.mapping)['Lead Source']).toMatchObject({
      use: 'not imported',
      role: 'source',
      reason: 'no field',
      detail: "Clarify's person has no field for it (source)",
    });
  });

  it('maps a column named like an earlier one where that one goes, read when it is blank', () => {
    // Prepare
    const people = file('people.csv', [
      ['Email', 'Email (2)', 'First Name', 'Notes', 'Notes (2)'],
      ['', 'ana@x.com', 'Ana', 'met at fair', ''],
    ]);
    const sample = people.sample as FileSample;
    sample.sameNames = [
      ['Email', 'Email (2)'],
      ['Notes', 'Notes (2)'],
    ];

    // Act
    const [found] = mapJob([people], PROFILES.clarify, 'US');

    // Assess
    const columns = byColumn(found?.mapping);
    expect(columns['Email (2)']).toMatchObject({
      use: 'field',
      role: 'email',
      target: 'email_addresses',
      detail: "read when 'Email' is blank: the columns share a name",
    });
    expect(columns['Notes (2)']).toMatchObject({ use: 'not imported', reason: 'no field' });
  });

  it("maps ActuallyCare's lead type, budgets and a mixed export's type column", () => {
    // Prepare
    const mixed = file('crm-export.csv', [
      ['Type', 'First Name', 'Last Name', 'Lead Type', 'Budget', 'Budget Min', 'Favourite Colour'],
      ['Lead', 'Ana', 'Ruiz', 'buyer', '500000', '', 'blue'],
      ['Client', 'Bo', 'Li', '', '', '300000', ''],
    ]);

    // Act
    const [found] = mapJob([mixed], PROFILES.actuallycare, 'US');

    // Assess
    const columns = byColumn(found?.mapping);
    expect(found?.entity).toBe('mixed');
    expect(columns.Type).toMatchObject({ use: 'field', target: "the row's type (lead, client, contact)" });
    expect(columns['Lead Type']).toMatchObject({ use: 'field', target: 'lead_type' });
    expect(columns.Budget).toMatchObject({ use: 'field', target: 'lead: budget; client: budget_max' });
    expect(columns['Budget Min']).toMatchObject({ use: 'field', target: 'budget_min' });
    expect(columns['Favourite Colour']).toMatchObject({ use: 'not imported', reason: 'no field' });
  });
});
