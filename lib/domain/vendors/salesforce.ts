import type { ColumnRole, RoleSynonyms } from '../columns.ts';
import type { Entity } from '../entities.ts';
import type { ExportFacts, Recognizer } from './export-facts.ts';

type SalesforceObject = 'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'OpportunityContactRole';

/** The data export names each file after its object (Account.csv); names here are normalised. */
const BY_NAME: Record<string, SalesforceObject> = {
  account: 'Account',
  contact: 'Contact',
  lead: 'Lead',
  opportunity: 'Opportunity',
  'opportunity contact role': 'OpportunityContactRole',
};

/**
 * API field names, as the data export writes them (IsDeleted, OwnerId, AccountId, ...): compared as
 * written, so a plain export's "Account ID" or "Owner Id" is not taken for Salesforce's.
 */
const SIGNS = [
  'IsDeleted',
  'OwnerId',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'SystemModstamp',
  'MasterRecordId',
  'AccountId',
  'StageName',
  'OpportunityId',
  'ContactId',
  'IsConverted',
];

const PERSON: RoleSynonyms = {
  ref: ['id'],
  first_name: ['first name'],
  last_name: ['last name'],
  email: ['email'],
  phone: ['phone', 'mobile phone'],
  mobile: ['mobile phone'],
  job_title: ['title'],
};

const OBJECTS: Record<SalesforceObject, { entity: Entity; synonyms: RoleSynonyms }> = {
  Account: { entity: 'company', synonyms: { ref: ['id'], name: ['name'], domain: ['website'] } },
  Contact: { entity: 'person', synonyms: { ...PERSON, company: ['account id'] } },
  // A lead's Company is free text, often naming no Account: it is not a reference.
  Lead: { entity: 'person', synonyms: { ...PERSON, status: ['status'], company: [] } },
  Opportunity: {
    entity: 'deal',
    synonyms: {
      ref: ['id'],
      name: ['name'],
      amount: ['amount'],
      stage: ['stage name'],
      company: ['account id'],
      status: [],
    },
  },
  OpportunityContactRole: {
    entity: 'link',
    synonyms: { deal: ['opportunity id'], person: ['contact id'] },
  },
};

function objectOf(facts: ExportFacts): SalesforceObject | undefined {
  const named = BY_NAME[facts.base];
  if (named) return named;
  if (facts.has('opportunity id') && facts.has('contact id')) return 'OpportunityContactRole';
  if (facts.has('stage name')) return 'Opportunity';
  if (facts.has('is converted')) return 'Lead';
  if (facts.has('first name', 'last name')) return 'Contact';
  if (facts.has('name')) return 'Account';
  return undefined;
}

/** Account, Contact, Lead, Opportunity, OpportunityContactRole from a data export, with API field names. */
export const salesforce: Recognizer = (facts, forced, hint) => {
  const signed = facts.has('id') && (facts.written(...SIGNS) || BY_NAME[facts.base] !== undefined);
  if (!forced && !signed) return undefined;
  const guess = objectOf(facts);
  const object =
    hint && guess && OBJECTS[guess].entity !== hint
      ? (Object.keys(OBJECTS) as SalesforceObject[]).find((o) => OBJECTS[o].entity === hint)
      : guess;
  if (!object) return { vendor: 'salesforce', synonyms: {} };
  const { entity, synonyms } = OBJECTS[object];
  // For Clarify, Salesforce leads are people; one with no status of its own is a Lead.
  const defaults: Partial<Record<ColumnRole, string>> | undefined =
    object === 'Lead' ? { status: 'Lead' } : undefined;
  return { vendor: 'salesforce', entity, synonyms, ...(defaults ? { defaults } : {}) };
};
