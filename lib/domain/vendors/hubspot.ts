import type { RoleSynonyms } from '../columns.ts';
import type { Entity } from '../entities.ts';
import type { ExportFacts, Recognizer } from './export-facts.ts';

/**
 * Headers only HubSpot's CRM exports write: its association columns and its company domain property.
 * Generic columns it shares with other CRMs ("Record ID", "Lifecycle Stage", "Deal Stage", "… owner")
 * never make a file HubSpot's on their own: the generic synonyms read them just as well.
 */
const SIGNS = [
  'associated company ids',
  'associated contact ids',
  'associated deal ids',
  'associated company id',
  'associated contact id',
  'associated deal id',
  'associated company ids (primary)',
  'associated company id (primary)',
  'company domain name',
  'hubspot owner',
  'hubspot team',
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
    mobile: ['mobile phone number'],
    job_title: ['job title'],
    status: ['lifecycle stage'],
    company: COMPANY,
    deals: ['associated deal ids', 'associated deal id'],
  },
  deal: {
    ref: ['record id'],
    name: ['deal name'],
    amount: ['amount'],
    stage: ['deal stage'],
    close_date: ['close date'],
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

/** `hubspot-crm-exports-…-companies|contacts|deals-….csv`, or HubSpot's own columns. */
export const hubspot: Recognizer = (facts, forced, hint) => {
  const named = /hubspot/.test(facts.base);
  const signed = facts.has(...SIGNS);
  if (!forced && !named && !signed) return undefined;
  const entity = hint ?? entityOf(facts);
  return { vendor: 'hubspot', entity, synonyms: (entity && COLUMNS[entity]) || {} };
};
