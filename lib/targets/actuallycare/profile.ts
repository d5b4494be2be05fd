import { DEFAULT_FIELD_LIMITS } from '#domain/field-limits.ts';
import type { TargetProfile } from '../profiles.ts';

/**
 * Where ActuallyCare's references are silent, the candidates a client must pass against, the first of each
 * the default (what the pipeline assumes): each is a sandbox `--variant` (sandbox/actuallycare/server.ts
 * says what each one simulates).
 */
export const ACTUALLYCARE_VARIANTS = {
  created: ['flat', 'wrapped'],
  validation: ['400', '422'],
  rateHeaders: ['RateLimit', 'none'],
} as const;

/** A lead's or client's name parts: ActuallyCare leads take one `name`, clients `first_name`/`last_name`. */
const ONE_NAME = { first_name: 'name', last_name: 'name', full_name: 'name' } as const;
const TWO_NAMES = {
  first_name: 'first_name',
  last_name: 'last_name',
  full_name: 'first_name, last_name',
} as const;
/** ActuallyCare takes one phone: a second one goes in when the first is blank. */
const ONE_PHONE = { phone: 'phone', mobile: 'phone (when the first is blank)' } as const;

/** ActuallyCare as its published references describe it (`shared/contracts/actuallycare.md`). */
export const ACTUALLYCARE_PROFILE: TargetProfile = {
  name: 'actuallycare',
  label: 'ActuallyCare',
  entities: ['lead', 'client', 'contact', 'escrow'],
  // An escrow's link to its client is not in the REST reference (X3, X5): escrows go in on their own.
  parents: {},
  links: false,
  maxBatch: 1,
  // 500 per IP per 15 minutes (actuallycare.md RL1, RL2): the budget is shared per IP, not per key.
  defaultRate: '500/900',
  fileNames: {
    leads: 'lead',
    lead: 'lead',
    clients: 'client',
    client: 'client',
    'past clients': 'client',
    customers: 'client',
    prospects: 'lead',
    inquiries: 'lead',
    contacts: 'contact',
    contact: 'contact',
    vendors: 'contact',
    escrows: 'escrow',
    escrow: 'escrow',
    transactions: 'escrow',
  },
  rowTypes: ['lead', 'client', 'contact'],
  marker: true,
  rateScope: 'ip',
  variants: ACTUALLYCARE_VARIANTS,
  assumptions: [
    {
      what: 'create answer',
      chosen: 'the record in data, or under data.<singular>: both read',
      facts: 'E4, E5',
    },
    {
      what: 'validation status and details',
      chosen: '400 or 422, details read as {field, message} (or path/param, msg)',
      facts: 'ER3, ER6',
    },
    {
      what: 'where the import marker goes',
      chosen:
        'source, on leads and clients whose row maps no source of its own; never tags (manifest markerField: none turns it off)',
      facts: 'C5, C6, I5',
    },
    {
      what: 'escrow fields',
      chosen:
        'property_address, purchase_price, representation_type (buyer, seller, dual) required; closing_date; no client link',
      facts: 'X3, X4, X5',
    },
    {
      what: 'scope check',
      chosen: 'GET /v1/<resource>?limit=1 per resource read; the first 403 on a write stops that entity',
      facts: 'S5, S8',
    },
    {
      what: 'contacts',
      chosen: 'only with a session token (JWT); without one, contact rows fail before anything is sent',
      facts: 'A6, K1, K6',
    },
    {
      what: 'rate limit',
      chosen: '500 per 15 minutes per IP: one budget per API host',
      facts: 'RL1, RL2, RL4',
    },
    {
      what: 'the longest value a field takes',
      chosen: '255 characters, notes 10,000: a longer value fails its row (manifest fieldLimits)',
      facts: 'none: no length in the stored reference',
    },
  ],
  fieldLimits: DEFAULT_FIELD_LIMITS,
  // actuallycare.md C3, C5, L3, L4, K4, K5, X4, X5: what each resource takes on create.
  fields: {
    lead: {
      ...ONE_NAME,
      email: 'email',
      ...ONE_PHONE,
      source: 'source',
      lead_type: 'lead_type',
      budget: 'budget',
    },
    client: {
      ...TWO_NAMES,
      email: 'email',
      ...ONE_PHONE,
      client_type: 'client_type',
      source: 'source',
      budget_min: 'budget_min',
      budget_max: 'budget_max',
    },
    contact: {
      ...TWO_NAMES,
      email: 'email',
      ...ONE_PHONE,
      contact_type: 'contact_type',
      company: 'company',
    },
    escrow: {
      property_address: 'property_address',
      price: 'purchase_price',
      representation_type: 'representation_type',
      status: 'status',
      close_date: 'closing_date',
    },
  },
  // An escrow's client is not linked (X5): nothing of a row names another row.
  references: {},
};
