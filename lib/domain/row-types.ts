import { normalizeHeader, TYPE_COLUMN_SYNONYMS } from './columns.ts';
import type { RecordEntity } from './entities.ts';

/** Built-in words a mixed export uses for its row types; a manifest's typeValues add to them. */
const BUILT_IN: Record<string, RecordEntity> = {
  lead: 'lead',
  leads: 'lead',
  prospect: 'lead',
  inquiry: 'lead',
  'new lead': 'lead',
  referral: 'lead',
  'open house': 'lead',
  client: 'client',
  clients: 'client',
  'past client': 'client',
  'past clients': 'client',
  'active client': 'client',
  customer: 'client',
  buyer: 'client',
  seller: 'client',
  contact: 'contact',
  contacts: 'contact',
  vendor: 'contact',
  agent: 'contact',
  lender: 'contact',
  'escrow officer': 'contact',
  'title officer': 'contact',
  inspector: 'contact',
  attorney: 'contact',
  contractor: 'contact',
};

/** Generic words that name the entity but not what kind of contact it is. */
const GENERIC = new Set(['contact', 'contacts']);

export interface RowTyping {
  column: string;
  /** The entity of a row, and for contacts the contact_type the word implies ("vendor"). */
  typeOf(value: string): { entity: RecordEntity; contactType?: string } | undefined;
  allowed: string[];
}

/**
 * How a mixed file's rows are typed: the manifest's column, or the first header that looks like one, and
 * the built-in words plus the manifest's. Returns undefined when the file has no such column.
 */
export function rowTyping(
  headers: readonly string[],
  entities: readonly RecordEntity[],
  options: { typeColumn?: string; typeValues?: Record<string, string> } = {},
): RowTyping | undefined {
  const column =
    options.typeColumn ??
    TYPE_COLUMN_SYNONYMS.map((s) => headers.find((h) => normalizeHeader(h) === s)).find(Boolean);
  if (!column || !headers.includes(column)) return undefined;
  const words = new Map<string, RecordEntity>();
  for (const [word, entity] of Object.entries(BUILT_IN))
    if (entities.includes(entity)) words.set(word, entity);
  for (const [word, entity] of Object.entries(options.typeValues ?? {}))
    words.set(normalizeHeader(word), entity as RecordEntity);
  return {
    column,
    allowed: [...new Set(words.values())],
    typeOf: (value) => {
      const word = normalizeHeader(value);
      const entity = words.get(word);
      if (!entity) return undefined;
      return entity === 'contact' && !GENERIC.has(word)
        ? { entity, contactType: word.replace(/\s+/g, '_') }
        : { entity };
    },
  };
}
