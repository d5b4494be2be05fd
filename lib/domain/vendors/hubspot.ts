import type { RoleSynonyms } from '../columns.ts';
import type { Entity } from '../entities.ts';
import type { ExportFacts, Recognizer } from './export-facts.ts';

/** Headers only HubSpot's CRM exports write, beside their "Record ID". */
const SIGNS = [
  'associated company ids',
  'associated contact ids',
  'associated deal ids',
  'associated company id',
  'associated contact id',
  'associated deal id',
  'lifecycle stage',
  'company domain name',
  'deal stage',
  'contact owner',
  'company owner',
  'deal owner',
];

const COMPANY = [
  'associated company ids (primary)',
  'associated company id (primary)',
  'associated company ids',
  'associated company id',
];

/** HubSpot's property labels per object (exports use labels, not internal names). */
const COLUMNS: Partial<Record<Entity, RoleSynonyms>> = {
  company: {
    ref: ['record id'],
    name: ['company name', 'name'],
    domain: ['company domain name', 'website url', 'website'],
  },
  person: {
    ref: ['record id'],
    first_name: ['first name'],
    last_name: ['last name'],
    email: ['email'],
    phone: ['phone number', 'mobile phone number'],
    status: ['lifecycle stage'],
    company: COMPANY,
    deals: ['associated deal ids', 'associated deal id'],
  },
  deal: {
    ref: ['record id'],
    name: ['deal name'],
    amount: ['amount'],
    stage: ['deal stage'],
    company: COMPANY,
    people: ['associated contact ids', 'associated contact id'],
  },
};

function entityOf(facts: ExportFacts): Entity | undefined {
  // File names look like hubspot-crm-exports-all-contacts-2024-05-01.csv.
  if (/compan/.test(facts.base)) return 'company';
  if (/contact/.test(facts.base)) return 'person';
  if (/deal/.test(facts.base)) return 'deal';
  if (facts.has('deal name', 'deal stage')) return 'deal';
  if (facts.has('email', 'first name', 'last name')) return 'person';
  if (facts.has('company name', 'company domain name')) return 'company';
  return undefined;
}

/** `hubspot-crm-exports-…-companies|contacts|deals-….csv`, or a "Record ID" with HubSpot's own columns. */
export const hubspot: Recognizer = (facts, forced, hint) => {
  const named = /hubspot/.test(facts.base);
  const signed = facts.has('record id') && facts.has(...SIGNS);
  if (!forced && !named && !signed) return undefined;
  const entity = hint ?? entityOf(facts);
  return { vendor: 'hubspot', entity, synonyms: (entity && COLUMNS[entity]) || {} };
};
