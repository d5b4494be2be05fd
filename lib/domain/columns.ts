import type { Entity } from './entities.ts';

/**
 * Header synonyms for plain CSV exports (the guides' mapping table). A header is compared after
 * normalising case, spaces, dashes and underscores, so "First Name", "first_name" and "FirstName" all match.
 */
export type ColumnRole =
  | 'ref'
  | 'name'
  | 'domain'
  | 'first_name'
  | 'last_name'
  | 'full_name'
  | 'email'
  | 'status'
  | 'amount'
  | 'stage'
  | 'company'
  | 'client'
  | 'deal'
  | 'person'
  | 'phone'
  | 'source'
  | 'notes'
  | 'contact_type'
  | 'type'
  | 'property_address'
  | 'close_date'
  | 'price';

const PERSON_NAME = {
  first_name: ['first name', 'firstname', 'given name', 'first'],
  last_name: ['last name', 'lastname', 'surname', 'family name', 'last'],
  full_name: ['name', 'full name', 'contact name', 'person name'],
  email: ['email', 'email address', 'primary email', 'e mail', 'emails'],
  phone: [
    'phone',
    'phone number',
    'mobile',
    'mobile phone',
    'cell',
    'cell phone',
    'primary phone',
    'telephone',
  ],
  source: ['lead source', 'source', 'origin'],
  notes: ['notes', 'note', 'comments', 'comment', 'description'],
};

/** The column that says which entity a row of a mixed export is (ActuallyCare: lead, client, contact). */
export const TYPE_COLUMN_SYNONYMS = [
  'type',
  'record type',
  'contact type',
  'category',
  'relationship',
  'status',
];

const SYNONYMS: Record<Entity, Partial<Record<ColumnRole, string[]>>> = {
  company: {
    ref: ['id', 'company id', 'record id', 'source id'],
    name: ['name', 'company name', 'company', 'organization', 'organization name', 'account name'],
    domain: ['domain', 'domains', 'company domain', 'website', 'web site', 'url', 'company website'],
  },
  person: {
    ref: ['id', 'person id', 'contact id', 'record id', 'source id'],
    first_name: ['first name', 'firstname', 'given name', 'first'],
    last_name: ['last name', 'lastname', 'surname', 'family name', 'last'],
    full_name: ['name', 'full name', 'contact name', 'person name'],
    email: ['email', 'email address', 'primary email', 'e mail', 'emails'],
    status: ['status', 'person status', 'lifecycle stage'],
    company: [
      'company id',
      'company ref',
      'company',
      'company name',
      'company domain',
      'organization',
      'account id',
    ],
  },
  deal: {
    ref: ['id', 'deal id', 'record id', 'source id'],
    name: ['name', 'deal name', 'deal', 'title', 'opportunity name'],
    amount: ['amount', 'value', 'deal value', 'deal amount'],
    stage: ['stage', 'deal stage', 'pipeline stage'],
    company: [
      'company id',
      'company ref',
      'company',
      'company name',
      'company domain',
      'organization',
      'account id',
    ],
  },
  link: {
    deal: ['deal id', 'deal ref', 'deal', 'deal name'],
    person: ['person id', 'person ref', 'contact id', 'person', 'person email', 'contact email', 'email'],
  },
  lead: { ref: ['id', 'lead id', 'record id', 'source id'], ...PERSON_NAME },
  client: { ref: ['id', 'client id', 'record id', 'source id'], ...PERSON_NAME },
  contact: {
    ref: ['id', 'contact id', 'record id', 'source id'],
    ...PERSON_NAME,
    contact_type: ['contact type', 'vendor type', 'role', 'type'],
    company: ['company', 'company name', 'organization', 'business'],
  },
  escrow: {
    ref: ['id', 'escrow id', 'transaction id', 'record id'],
    property_address: ['property address', 'address', 'property', 'street address'],
    status: ['status', 'escrow status', 'stage'],
    close_date: ['close date', 'closing date', 'expected close date', 'close'],
    price: ['price', 'sale price', 'purchase price', 'amount'],
    client: ['client id', 'client email', 'client', 'client name', 'buyer email'],
    notes: ['notes', 'note', 'comments', 'description'],
  },
};

export const normalizeHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();

/**
 * Which column plays which role, for one file. An explicit mapping (from a manifest) wins; otherwise the
 * first header matching a role's synonyms, in synonym order, takes it.
 */
export function resolveColumns(
  entity: Entity,
  headers: readonly string[],
  explicit: Record<string, string> = {},
): Partial<Record<ColumnRole, string>> {
  const roles: Partial<Record<ColumnRole, string>> = {};
  for (const [column, role] of Object.entries(explicit)) roles[role as ColumnRole] = column;
  const taken = new Set(Object.values(roles));
  const byNormal = new Map<string, string>();
  for (const header of headers)
    if (!byNormal.has(normalizeHeader(header))) byNormal.set(normalizeHeader(header), header);
  for (const [role, synonyms] of Object.entries(SYNONYMS[entity]) as [ColumnRole, string[]][]) {
    if (roles[role]) continue;
    const header = synonyms.map((s) => byNormal.get(s)).find((h) => h !== undefined && !taken.has(h));
    if (header !== undefined) {
      roles[role] = header;
      taken.add(header);
    }
  }
  return roles;
}

/** A file name reduced to what the target's profile names: `Deal_People.csv` -> `deal people`. */
export const fileBaseName = (fileName: string): string =>
  normalizeHeader(fileName.replace(/^.*\//, '').replace(/\.(csv|tsv|txt)$/i, ''));

/** Which entity a plain file name holds (`companies.csv`, `people.csv`, `deal_people.csv`, ...). */
export function entityFromFileName(fileName: string, names: Record<string, Entity>): Entity | undefined {
  return names[fileBaseName(fileName)];
}
