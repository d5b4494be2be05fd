import { normalizeHeader, type RoleSynonyms } from '../columns.ts';
import type { Entity } from '../entities.ts';
import type { ExportFacts, Recognizer } from './export-facts.ts';

/** Pipedrive prefixes every header with its object when an export spans several: "Deal - Title". */
const PREFIX = /^\s*(organi[sz]ation|person|deal)\s+-\s+/i;
const PREFIX_ENTITY: Record<string, Entity> = {
  organization: 'company',
  organisation: 'company',
  person: 'person',
  deal: 'deal',
};

/**
 * Headers only Pipedrive writes, for exports without prefixes. "Contact person" is not among them:
 * other exports use the words too.
 */
const SIGNS = [
  'add time',
  'update time',
  'visible to',
  'open deals',
  'won deals',
  'lost deals',
  'closed deals',
  'next activity date',
  'won time',
  'lost time',
];

const COMPANY_REFERENCE = ['organization id', 'organization', 'organization name', 'organisation'];

const COLUMNS: Partial<Record<Entity, RoleSynonyms>> = {
  company: { ref: ['id'], name: ['name'], domain: ['website', 'web', 'url', 'domain'] },
  person: {
    ref: ['id'],
    first_name: ['first name'],
    last_name: ['last name'],
    full_name: ['name'],
    email: ['email', 'email work', 'email home', 'email other'],
    phone: ['phone', 'phone work', 'phone mobile', 'phone home', 'phone other'],
    mobile: ['phone mobile', 'phone home', 'phone other'],
    company: COMPANY_REFERENCE,
  },
  deal: {
    ref: ['id'],
    name: ['title'],
    amount: ['value'],
    stage: ['stage'],
    status: ['status'],
    close_date: ['expected close date', 'close date'],
    company: COMPANY_REFERENCE,
    people: ['contact person', 'person name'],
  },
};

const prefixOf = (header: string): Entity | undefined => {
  const word = PREFIX.exec(header)?.[1]?.toLowerCase();
  return word ? PREFIX_ENTITY[word] : undefined;
};

function entityOf(facts: ExportFacts): Entity | undefined {
  if (/organi[sz]ation/.test(facts.base)) return 'company';
  if (/people|person/.test(facts.base)) return 'person';
  if (/deal/.test(facts.base)) return 'deal';
  // The object most headers are prefixed with is the file's own (a deals export also has "Person - Name").
  const counts = new Map<Entity, number>();
  for (const h of facts.headers) {
    const entity = prefixOf(h);
    if (entity) counts.set(entity, (counts.get(entity) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (top) return top[0];
  if (facts.has('title', 'contact person')) return 'deal';
  if (facts.has('email', 'first name', 'last name')) return 'person';
  if (facts.has('name')) return 'company';
  return undefined;
}

/** Organizations, people and deals exports, with or without the "Organization - " style prefixes. */
export const pipedrive: Recognizer = (facts, forced, hint) => {
  const prefixed = facts.headers.some((h) => prefixOf(h) !== undefined);
  if (!forced && !prefixed && !/pipedrive/.test(facts.base) && !facts.has(...SIGNS)) return undefined;
  const entity = hint ?? entityOf(facts);
  // Only the file's own prefix goes: in a deals export "Organization - Name" stays "organization name".
  const normalize = (header: string) =>
    normalizeHeader(entity && prefixOf(header) === entity ? header.replace(PREFIX, '') : header);
  return { vendor: 'pipedrive', entity, synonyms: (entity && COLUMNS[entity]) || {}, normalize };
};
