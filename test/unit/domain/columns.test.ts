import { describe, expect, it } from 'vitest';
import { entityFromFileName, normalizeHeader, resolveColumns } from '#domain/columns.ts';
import type { Entity } from '#domain/entities.ts';
import { PROFILES } from '#targets/profiles.ts';

describe('Function: normalizeHeader', () => {
  it.each([
    ['First Name', 'first name'],
    ['FirstName', 'first name'],
    ['first_name', 'first name'],
    ['first-name', 'first name'],
    ['  E-mail  ', 'e mail'],
    ['CompanyID', 'company id'],
    ['Company.Domain', 'company domain'],
    ['\uFEFFEmail', 'email'],
    ['ID', 'id'],
  ])('normalises %j to %j', (header, expected) => {
    // Act
    const normal = normalizeHeader(header);

    // Assess
    expect(normal).toBe(expected);
  });
});

describe('Function: resolveColumns', () => {
  it.each(['First Name', 'FirstName', 'first_name', 'Given Name', 'first'])(
    'recognises %j as the first name of a person',
    (header) => {
      // Act
      const roles = resolveColumns('person', ['Email', header, 'Surname']);

      // Assess
      expect(roles).toMatchObject({ first_name: header, last_name: 'Surname', email: 'Email' });
    },
  );

  it.each<[Entity, string[], Record<string, string>]>([
    [
      'company',
      ['Record ID', 'Company name', 'Website'],
      { ref: 'Record ID', name: 'Company name', domain: 'Website' },
    ],
    ['company', ['Account Name', 'URL'], { name: 'Account Name', domain: 'URL' }],
    [
      'person',
      ['Contact ID', 'Full Name', 'Email Address', 'Lifecycle Stage', 'Company Name'],
      {
        ref: 'Contact ID',
        full_name: 'Full Name',
        email: 'Email Address',
        status: 'Lifecycle Stage',
        company: 'Company Name',
      },
    ],
    [
      'deal',
      ['Deal ID', 'Opportunity Name', 'Deal Value', 'Pipeline Stage', 'Account ID'],
      {
        ref: 'Deal ID',
        name: 'Opportunity Name',
        amount: 'Deal Value',
        stage: 'Pipeline Stage',
        company: 'Account ID',
      },
    ],
    ['link', ['Deal ID', 'Contact Email'], { deal: 'Deal ID', person: 'Contact Email' }],
  ])('maps the %s headers %j', (entity, headers, expected) => {
    // Act
    const roles = resolveColumns(entity, headers);

    // Assess
    expect(roles).toEqual(expected);
  });

  it('prefers the earlier synonym when two headers could play one role', () => {
    // Act
    const roles = resolveColumns('company', ['Website', 'Domain']);

    // Assess
    expect(roles.domain).toBe('Domain');
  });

  it('lets an explicit manifest mapping win over the synonyms', () => {
    // Prepare
    const headers = ['Email', 'Work Mail', 'Vorname'];

    // Act
    const roles = resolveColumns('person', headers, { 'Work Mail': 'email', Vorname: 'first_name' });

    // Assess
    expect(roles.email).toBe('Work Mail');
    expect(roles.first_name).toBe('Vorname');
  });

  it('never uses one column for two roles', () => {
    // Prepare: in this export "Name" holds the person's company, mapped explicitly
    const headers = ['Name', 'Contact Name', 'Email'];

    // Act
    const roles = resolveColumns('person', headers, { Name: 'company' });

    // Assess
    expect(roles.company).toBe('Name');
    expect(roles.full_name).toBe('Contact Name');
    const columns = Object.values(roles);
    expect(new Set(columns).size).toBe(columns.length);
  });

  it('leaves a role out when no header matches it', () => {
    // Act
    const roles = resolveColumns('deal', ['Title', 'Weather']);

    // Assess
    expect(roles).toEqual({ name: 'Title' });
  });
});

describe('Function: entityFromFileName', () => {
  it.each<[string, Entity | undefined]>([
    ['companies.csv', 'company'],
    ['imports/acme/companies.csv', 'company'],
    ['accounts.csv', 'company'],
    ['Organizations.CSV', 'company'],
    ['People.csv', 'person'],
    ['contacts.tsv', 'person'],
    ['deals.csv', 'deal'],
    ['opportunities.csv', 'deal'],
    ['deal_people.csv', 'link'],
    ['DealContacts.csv', 'link'],
    ['associations.csv', 'link'],
    ['notes.csv', undefined],
    ['companies.xlsx', undefined],
    // the words of the name, anywhere in it, whatever separates them
    ['people-2024.csv', 'person'],
    ['Contacts (2).csv', 'person'],
    ['hubspot-crm-exports-all-contacts-2026-05-04.csv', 'person'],
    ['acme_deals_export.csv', 'deal'],
    ['Opportunity.csv', 'deal'],
    // a longer phrase wins over the words in it
    ['deal-people-2024.csv', 'link'],
    // no word names an entity, or two name different ones: the headers decide
    ['export-2.csv', undefined],
    ['contacts-and-deals.csv', undefined],
    // a word inside another word is not that word
    ['dealers.csv', undefined],
  ])('reads %j as %j for Clarify', (fileName, expected) => {
    // Act
    const entity = entityFromFileName(fileName, PROFILES.clarify.fileNames);

    // Assess
    expect(entity).toBe(expected);
  });

  it.each<[string, Entity | undefined]>([
    ['leads.csv', 'lead'],
    ['Past_Clients.csv', 'client'],
    ['contacts.csv', 'contact'],
    ['vendors.csv', 'contact'],
    ['escrows.csv', 'escrow'],
    ['clients-a.csv', 'client'],
    ['past_clients_2024.csv', 'client'],
    ['Contacts (2).csv', 'contact'],
    ['export-2.csv', undefined],
    ['people.csv', undefined],
  ])('reads %j as %j for ActuallyCare', (fileName, expected) => {
    // Act
    const entity = entityFromFileName(fileName, PROFILES.actuallycare.fileNames);

    // Assess
    expect(entity).toBe(expected);
  });
});

describe("Function: resolveColumns, the guides' header synonyms", () => {
  it.each<[string, string, string]>([
    ['first_name', 'First Name', 'lead'],
    ['first_name', 'FirstName', 'lead'],
    ['first_name', 'Given Name', 'lead'],
    ['last_name', 'Last Name', 'client'],
    ['last_name', 'LastName', 'client'],
    ['last_name', 'Surname', 'client'],
    ['email', 'Email', 'lead'],
    ['email', 'Email Address', 'lead'],
    ['email', 'Primary Email', 'lead'],
    ['phone', 'Phone', 'lead'],
    ['phone', 'Mobile', 'lead'],
    ['phone', 'Cell', 'lead'],
    ['phone', 'Primary Phone', 'lead'],
    ['phone', 'Mobile Phone Number', 'person'],
    ['source', 'Lead Source', 'lead'],
    ['source', 'Source', 'client'],
    ['source', 'Origin', 'lead'],
    ['notes', 'Notes', 'lead'],
    ['notes', 'Comments', 'client'],
    ['notes', 'Description', 'lead'],
    ['domain', 'Company Domain Name', 'company'],
    ['domain', 'Website URL', 'company'],
    ['company', 'Associated Company IDs', 'person'],
    ['company', 'Organization', 'deal'],
    ['deals', 'Associated Deal IDs', 'person'],
    ['people', 'Associated Contact IDs', 'deal'],
    ['people', 'Contact person', 'deal'],
    ['stage', 'StageName', 'deal'],
    ['deal', 'OpportunityId', 'link'],
  ])('reads the %s of a %s row from %j', (role, header, entity) => {
    // Act
    const roles = resolveColumns(entity as Entity, ['Unrelated', header]);

    // Assess
    expect(roles).toMatchObject({ [role]: header });
  });

  it('lets a vendor say a file has no column for a role, so no generic synonym takes it', () => {
    // Act
    const roles = resolveColumns('person', ['FirstName', 'Company'], {}, { synonyms: { company: [] } });

    // Assess
    expect(roles).toEqual({ first_name: 'FirstName' });
  });

  it('puts the manifest over the vendor and the vendor over the synonyms', () => {
    // Prepare
    const headers = ['Website', 'Web', 'Homepage'];

    // Act
    const vendor = resolveColumns('company', headers, {}, { synonyms: { domain: ['web'] } });
    const manifest = resolveColumns(
      'company',
      headers,
      { Homepage: 'domain' },
      { synonyms: { domain: ['web'] } },
    );

    // Assess
    expect(vendor.domain).toBe('Web');
    expect(manifest.domain).toBe('Homepage');
  });
});
