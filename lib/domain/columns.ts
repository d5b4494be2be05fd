import { SYNONYMS } from './column-synonyms.ts';
import type { Entity } from './entities.ts';

export { TYPE_COLUMN_SYNONYMS } from './column-synonyms.ts';

/**
 * The roles a column can play. Headers are matched to roles after normalising case, spaces, dashes and
 * underscores, so "First Name", "first_name" and "FirstName" all match (synonyms in column-synonyms.ts).
 */
export const COLUMN_ROLES = [
  'ref',
  'name',
  'domain',
  'first_name',
  'last_name',
  'full_name',
  'email',
  'status',
  'amount',
  'stage',
  'company',
  'client',
  'deal',
  'person',
  /** On a person row: the deals it belongs to (HubSpot "Associated Deal IDs"), `;`-separated. */
  'deals',
  /** On a deal row: its people (HubSpot "Associated Contact IDs", Pipedrive "Contact person"), `;`-separated. */
  'people',
  'phone',
  'source',
  'notes',
  'contact_type',
  /** ActuallyCare client: buyer, seller or both. */
  'client_type',
  /** ActuallyCare escrow: whom the agent represents (buyer, seller or dual). */
  'representation_type',
  'type',
  'property_address',
  'close_date',
  'price',
  /** A person's job title (Clarify `job_title`). */
  'job_title',
  /** A second phone (a mobile beside the work phone): Clarify keeps both in `phone_numbers`. */
  'mobile',
  /** ActuallyCare lead: what the lead wants (buyer, seller, renter, investor...). */
  'lead_type',
  /** ActuallyCare lead: one budget figure. */
  'budget',
  /** ActuallyCare client: the budget's range. */
  'budget_min',
  'budget_max',
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** Header names a role answers to, after normalizeHeader. */
export type RoleSynonyms = Partial<Record<ColumnRole, readonly string[]>>;

export const normalizeHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();

/**
 * Which column plays which role, for one file. An explicit mapping (from a manifest) wins; then the
 * vendor's own column names (a recognised HubSpot, Salesforce or Pipedrive export); then the first
 * header matching a role's generic synonyms, in synonym order.
 */
export function resolveColumns(
  entity: Entity,
  headers: readonly string[],
  explicit: Record<string, string> = {},
  vendor: { synonyms: RoleSynonyms; normalize?: (header: string) => string } = { synonyms: {} },
): Partial<Record<ColumnRole, string>> {
  const roles: Partial<Record<ColumnRole, string>> = {};
  for (const [column, role] of Object.entries(explicit)) roles[role as ColumnRole] = column;
  const taken = new Set(Object.values(roles));
  const pick = (synonyms: RoleSynonyms, normalize: (header: string) => string) => {
    const byNormal = new Map<string, string>();
    for (const header of headers)
      if (!byNormal.has(normalize(header))) byNormal.set(normalize(header), header);
    for (const [role, names] of Object.entries(synonyms) as [ColumnRole, string[]][]) {
      if (roles[role]) continue;
      const header = names.map((s) => byNormal.get(s)).find((h) => h !== undefined && !taken.has(h));
      if (header !== undefined) {
        roles[role] = header;
        taken.add(header);
      }
    }
  };
  pick(vendor.synonyms, vendor.normalize ?? normalizeHeader);
  const blocked = Object.entries(vendor.synonyms).filter(
    ([role, names]) => !roles[role as ColumnRole] && !names.length,
  );
  const generic = { ...SYNONYMS[entity] };
  for (const [role] of blocked) delete generic[role as ColumnRole];
  pick(generic, normalizeHeader);
  return roles;
}

/** A file name reduced to what the target's profile names: `Deal_People.csv` -> `deal people`. */
export const fileBaseName = (fileName: string): string =>
  normalizeHeader(fileName.replace(/^.*\//, '').replace(/\.(csv|tsv|txt)$/i, ''));

/** The words of a data file's name, whatever separates them: `past_clients_2024.csv` -> past, clients, 2024. */
function fileWords(fileName: string): string[] {
  const base = fileName.replace(/^.*\//, '');
  if (!/\.(csv|tsv|txt)$/i.test(base)) return [];
  return fileBaseName(base)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Which entity a file holds, from the words of its name (`companies.csv`, `clients-a.csv`,
 * `Contacts (2).csv`, `past_clients_2024.csv`, `deal_people.csv`): the longest phrase the profile
 * knows, anywhere in the name. Undefined when no word names an entity, or two name different ones
 * (`export-2.csv`, `contacts-and-deals.csv`): the headers decide.
 */
export function entityFromFileName(fileName: string, names: Record<string, Entity>): Entity | undefined {
  const words = fileWords(fileName);
  const found = new Set<Entity>();
  const used = new Set<number>();
  const phrases = Object.keys(names).sort((a, b) => b.split(' ').length - a.split(' ').length);
  for (const phrase of phrases) {
    const parts = phrase.split(' ');
    for (let i = 0; i + parts.length <= words.length; i++) {
      const at = parts.map((_, j) => i + j);
      if (at.some((k) => used.has(k)) || parts.some((part, j) => words[i + j] !== part)) continue;
      for (const k of at) used.add(k);
      found.add(names[phrase] as Entity);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}
