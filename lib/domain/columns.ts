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
  | 'deal'
  | 'person';

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

/** Which entity a plain file name holds (`companies.csv`, `people.csv`, `deal_people.csv`, ...). */
export function entityFromFileName(fileName: string): Entity | undefined {
  const base = normalizeHeader(fileName.replace(/^.*\//, '').replace(/\.(csv|tsv|txt)$/i, ''));
  if (
    /^(deal|deals|opportunity) (people|persons|contacts|person|contact)$|^associations?$|^links?$/.test(base)
  ) {
    return 'link';
  }
  if (/^(companies|company|accounts?|organizations?|organisations?)$/.test(base)) return 'company';
  if (/^(people|persons?|contacts?)$/.test(base)) return 'person';
  if (/^(deals?|opportunities|opportunity)$/.test(base)) return 'deal';
  return undefined;
}
