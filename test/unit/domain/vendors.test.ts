import { describe, expect, it } from 'vitest';
import { resolveColumns } from '#domain/columns.ts';
import type { Entity } from '#domain/entities.ts';
import { ExportFacts, recognizeVendor, type Vendor } from '#domain/vendors/recognize.ts';

const HUBSPOT_CONTACTS = [
  'Record ID',
  'First Name',
  'Last Name',
  'Email',
  'Phone Number',
  'Lifecycle Stage',
  'Company Name',
  'Associated Company IDs',
  'Associated Deal IDs',
];
const HUBSPOT_DEALS = [
  'Record ID',
  'Deal Name',
  'Amount',
  'Deal Stage',
  'Associated Company IDs',
  'Associated Contact IDs',
];
const HUBSPOT_COMPANIES = [
  'Record ID',
  'Company name',
  'Company Domain Name',
  'Website URL',
  'Lifecycle Stage',
];
const SF_ACCOUNT = ['Id', 'IsDeleted', 'Name', 'Website', 'OwnerId'];
const SF_CONTACT = ['Id', 'IsDeleted', 'AccountId', 'FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone'];
const SF_LEAD = ['Id', 'IsDeleted', 'FirstName', 'LastName', 'Company', 'Email', 'Status', 'IsConverted'];
const SF_OPPORTUNITY = ['Id', 'IsDeleted', 'AccountId', 'Name', 'StageName', 'Amount'];
const SF_OCR = ['Id', 'OpportunityId', 'ContactId', 'Role', 'IsPrimary'];
const PD_ORGS = ['Organization - ID', 'Organization - Name', 'Organization - Website'];
const PD_PEOPLE = [
  'Person - ID',
  'Person - Name',
  'Person - Email',
  'Person - Phone',
  'Person - Organization',
];
const PD_DEALS = ['ID', 'Title', 'Value', 'Stage', 'Status', 'Organization', 'Contact person', 'Add time'];
const PD_DEALS_PREFIXED = [
  'Deal - ID',
  'Deal - Title',
  'Deal - Value',
  'Deal - Organization',
  'Person - Name',
];

const recognize = (file: string, headers: string[], options = {}) =>
  recognizeVendor(new ExportFacts(file, headers), options);

describe('Function: recognizeVendor', () => {
  it.each<[string, string[], Vendor, Entity]>([
    ['hubspot-crm-exports-all-contacts-2026-05-04.csv', HUBSPOT_CONTACTS, 'hubspot', 'person'],
    ['hubspot-crm-exports-all-companies-2026-05-04.csv', HUBSPOT_COMPANIES, 'hubspot', 'company'],
    ['hubspot-crm-exports-open-deals-2026-05-04.csv', HUBSPOT_DEALS, 'hubspot', 'deal'],
    ['contacts-export.csv', HUBSPOT_CONTACTS, 'hubspot', 'person'],
    ['my-deals.csv', HUBSPOT_DEALS, 'hubspot', 'deal'],
    ['Account.csv', SF_ACCOUNT, 'salesforce', 'company'],
    ['Contact.csv', SF_CONTACT, 'salesforce', 'person'],
    ['Lead.csv', SF_LEAD, 'salesforce', 'person'],
    ['Opportunity.csv', SF_OPPORTUNITY, 'salesforce', 'deal'],
    ['OpportunityContactRole.csv', SF_OCR, 'salesforce', 'link'],
    ['export-1.csv', SF_OPPORTUNITY, 'salesforce', 'deal'],
    ['export-2.csv', SF_OCR, 'salesforce', 'link'],
    ['organizations.csv', PD_ORGS, 'pipedrive', 'company'],
    ['people.csv', PD_PEOPLE, 'pipedrive', 'person'],
    ['deals.csv', PD_DEALS, 'pipedrive', 'deal'],
    ['pipedrive-export.csv', PD_DEALS_PREFIXED, 'pipedrive', 'deal'],
    ['organisations-2026.csv', ['Name', 'Website', 'Visible to'], 'pipedrive', 'company'],
  ])('reads %s as a %s %s export', (file, headers, vendor, entity) => {
    // Act
    const found = recognize(file, headers);

    // Assess
    expect(found).toMatchObject({ vendor, entity });
  });

  it.each<[string, string[]]>([
    ['people.csv', ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID', 'Status']],
    ['companies.csv', ['Company ID', 'Company Name', 'Website']],
    ['deals.csv', ['Deal ID', 'Deal Name', 'Amount', 'Stage', 'Company ID']],
    ['Account.csv', ['Account Name', 'Website']],
    // columns other CRMs share with HubSpot, Salesforce and Pipedrive never make a file theirs
    ['contacts.csv', ['Record ID', 'First Name', 'Email', 'Lifecycle Stage', 'Contact owner']],
    ['deals.csv', ['Record ID', 'Deal Name', 'Deal Stage', 'Deal owner', 'Create Date']],
    ['people.csv', ['Id', 'Name', 'Email', 'Account ID', 'Owner Id']],
    ['deals.csv', ['ID', 'Title', 'Value', 'Contact person']],
  ])('leaves %s with %j to the generic synonyms', (file, headers) => {
    // Act, Assess
    expect(recognize(file, headers)).toBeUndefined();
  });

  it("takes the manifest's vendor and entity over its own guesses", () => {
    // Act
    const forced = recognize('export.csv', ['Id', 'FirstName', 'LastName', 'Email', 'AccountId'], {
      vendor: 'salesforce',
    });
    const generic = recognize('Contact.csv', SF_CONTACT, { vendor: 'generic' });
    const entity = recognize('hubspot-crm-exports-all-contacts.csv', HUBSPOT_CONTACTS, { entity: 'deal' });

    // Assess
    expect(forced).toMatchObject({ vendor: 'salesforce', entity: 'person' });
    expect(generic).toBeUndefined();
    expect(entity).toMatchObject({ vendor: 'hubspot', entity: 'deal' });
  });
});

describe('Function: resolveColumns with a vendor export', () => {
  const roles = (file: string, headers: string[]) => {
    const found = recognize(file, headers);
    if (!found?.entity) throw new Error('expected a recognised export');
    return resolveColumns(found.entity, headers, {}, found);
  };

  it.each<[string, string[], Record<string, string>]>([
    [
      'hubspot-crm-exports-all-contacts.csv',
      HUBSPOT_CONTACTS,
      {
        ref: 'Record ID',
        first_name: 'First Name',
        last_name: 'Last Name',
        email: 'Email',
        phone: 'Phone Number',
        status: 'Lifecycle Stage',
        company: 'Associated Company IDs',
        deals: 'Associated Deal IDs',
      },
    ],
    [
      'hubspot-crm-exports-all-deals.csv',
      HUBSPOT_DEALS,
      {
        ref: 'Record ID',
        name: 'Deal Name',
        amount: 'Amount',
        stage: 'Deal Stage',
        company: 'Associated Company IDs',
        people: 'Associated Contact IDs',
      },
    ],
    [
      'hubspot-crm-exports-all-companies.csv',
      HUBSPOT_COMPANIES,
      { ref: 'Record ID', name: 'Company name', domain: 'Company Domain Name' },
    ],
    ['Account.csv', SF_ACCOUNT, { ref: 'Id', name: 'Name', domain: 'Website' }],
    [
      'Contact.csv',
      SF_CONTACT,
      {
        ref: 'Id',
        first_name: 'FirstName',
        last_name: 'LastName',
        email: 'Email',
        phone: 'Phone',
        // the second phone: Clarify keeps both
        mobile: 'MobilePhone',
        company: 'AccountId',
      },
    ],
    // a lead's Company is free text: no company reference, even though "Company" is a generic synonym
    [
      'Lead.csv',
      SF_LEAD,
      { ref: 'Id', first_name: 'FirstName', last_name: 'LastName', email: 'Email', status: 'Status' },
    ],
    [
      'Opportunity.csv',
      SF_OPPORTUNITY,
      { ref: 'Id', name: 'Name', amount: 'Amount', stage: 'StageName', company: 'AccountId' },
    ],
    ['OpportunityContactRole.csv', SF_OCR, { deal: 'OpportunityId', person: 'ContactId' }],
    [
      'organizations.csv',
      PD_ORGS,
      { ref: 'Organization - ID', name: 'Organization - Name', domain: 'Organization - Website' },
    ],
    [
      'people.csv',
      PD_PEOPLE,
      {
        ref: 'Person - ID',
        full_name: 'Person - Name',
        email: 'Person - Email',
        phone: 'Person - Phone',
        company: 'Person - Organization',
      },
    ],
    [
      'deals.csv',
      PD_DEALS,
      {
        ref: 'ID',
        name: 'Title',
        amount: 'Value',
        stage: 'Stage',
        status: 'Status',
        company: 'Organization',
        people: 'Contact person',
      },
    ],
    // another object's prefix keeps it: the deal's organization, the deal's person
    [
      'pipedrive-export.csv',
      PD_DEALS_PREFIXED,
      {
        ref: 'Deal - ID',
        name: 'Deal - Title',
        amount: 'Deal - Value',
        company: 'Deal - Organization',
        people: 'Person - Name',
      },
    ],
  ])('maps %s', (file, headers, expected) => {
    // Act, Assess
    expect(roles(file, headers)).toEqual(expected);
  });

  it('gives Salesforce leads the status Lead when they have none', () => {
    // Act, Assess
    expect(recognize('Lead.csv', SF_LEAD)?.defaults).toEqual({ status: 'Lead' });
    expect(recognize('Contact.csv', SF_CONTACT)?.defaults).toBeUndefined();
  });
});
