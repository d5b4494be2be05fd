import type { ColumnRole } from '#domain/columns.ts';
import type { Entity, RecordEntity } from '#domain/entities.ts';
import { DEFAULT_FIELD_LIMITS, type FieldLimits } from '#domain/field-limits.ts';
import type { Enums } from '#domain/value-maps.ts';
import type { TargetName } from './target.ts';

/**
 * What the pipeline needs to know about a target without talking to it: its record entities in
 * dependency order, which entity each one points at, whether it links people to deals, how many records
 * one create carries, its default rate limit, and what its users' file names mean.
 */
export interface TargetProfile {
  name: TargetName;
  /** The target as a person writes it: Clarify, ActuallyCare. */
  label: string;
  entities: readonly RecordEntity[];
  /** The record another entity references (people and deals point at a company; escrows at a client). */
  parents: Partial<Record<RecordEntity, RecordEntity>>;
  links: boolean;
  maxBatch: number;
  defaultRate: string;
  /** Entity of a file from its name (without folder and extension, lower-cased, separators as spaces). */
  fileNames: Record<string, Entity>;
  /** Entities a mixed file's type column can name (ActuallyCare exports mix leads, clients and contacts). */
  rowTypes: readonly RecordEntity[];
  /** Whether created records carry the import marker (in a field the adapter chooses: ActuallyCare's `source`). */
  marker: boolean;
  /**
   * Case-sensitive vocabularies known before the job starts: matched at split. Clarify declares its own
   * per workspace (`GET /schemas`), so it has none here: they are learned before the first write.
   */
  enums?: Enums;
  /** What the API's rate limit counts by: the budget is shared by everything that counts the same. */
  rateScope: 'ip' | 'workspace';
  /** Learns the workspace (shapes, enums) from the API before the first write. */
  learnsWorkspace: boolean;
  /**
   * What the references do not settle, each with the value chosen, why, and its fact id in
   * `shared/contracts/`. The README lists them; `crm-import check` settles what a request can.
   */
  assumptions: readonly { what: string; chosen: string; facts: string }[];
  /** Account names that stand for "no company" in exports: not created, their people left unlinked. */
  catchAllAccounts?: readonly string[];
  /** The longest value each field takes, by role (`*`: any other); the manifest's `fieldLimits` win. */
  fieldLimits: FieldLimits;
  /**
   * The target's field each role's values go into, per entity, as the mapping preview names it. A role
   * not listed here is not imported: the target has no such field (per `shared/contracts/`).
   */
  fields: Partial<Record<Entity, Partial<Record<ColumnRole, string>>>>;
  /** Roles whose values name another row of the job (or of the target), and the entity they name. */
  references: Partial<Record<Entity, Partial<Record<ColumnRole, RecordEntity>>>>;
}

/** A lead's or client's name parts: ActuallyCare leads take one `name`, clients `first_name`/`last_name`. */
const ONE_NAME = { first_name: 'name', last_name: 'name', full_name: 'name' } as const;
const TWO_NAMES = {
  first_name: 'first_name',
  last_name: 'last_name',
  full_name: 'first_name, last_name',
} as const;
/** ActuallyCare takes one phone: a second one goes in when the first is blank. */
const ONE_PHONE = { phone: 'phone', mobile: 'phone (when the first is blank)' } as const;

export const PROFILES: Record<TargetName, TargetProfile> = {
  clarify: {
    name: 'clarify',
    label: 'Clarify',
    entities: ['company', 'person', 'deal'],
    parents: { person: 'company', deal: 'company' },
    links: true,
    maxBatch: 25,
    // 3,000 a minute per workspace per endpoint (clarify.md RL1, the newest source); headers correct it.
    defaultRate: '3000/60',
    fileNames: {
      companies: 'company',
      company: 'company',
      accounts: 'company',
      account: 'company',
      organizations: 'company',
      organisations: 'company',
      people: 'person',
      persons: 'person',
      person: 'person',
      contacts: 'person',
      contact: 'person',
      orgs: 'company',
      organization: 'company',
      organisation: 'company',
      leads: 'person',
      lead: 'person',
      deals: 'deal',
      deal: 'deal',
      opportunities: 'deal',
      opportunity: 'deal',
      'deal people': 'link',
      'deal contacts': 'link',
      'deal persons': 'link',
      'opportunity contacts': 'link',
      'opportunity contact roles': 'link',
      'opportunity contact role': 'link',
      associations: 'link',
      links: 'link',
    },
    rowTypes: [],
    marker: false,
    rateScope: 'workspace',
    learnsWorkspace: true,
    assumptions: [
      {
        what: 'person name shape',
        chosen:
          "what GET /schemas declares; else a record's shape; else name{first_name,last_name} (live data)",
        facts: 'F1, F2, SC2',
      },
      {
        what: 'person lifecycle field and values',
        chosen: 'what GET /schemas declares (stage or status); without a schema, left out',
        facts: 'F7, F12, SC3',
      },
      {
        what: 'deal stages',
        chosen: 'what GET /schemas declares; manifest "enums" override',
        facts: 'F10, SC3',
      },
      { what: 'records per bulk create', chosen: '25 (safe under every source)', facts: 'B4' },
      {
        what: 'a create that collides with an existing record',
        chosen: 'plain insert, 400 or 422 read as a duplicate; match_on only to re-send an in-doubt window',
        facts: 'B7, B8, B12',
      },
      {
        what: 'list page size',
        chosen: '500 (the live maximum); next page from page[offset]',
        facts: 'Q4, Q8',
      },
      {
        what: 'rate limit',
        chosen: '3,000 per 60 s per workspace, one budget for all endpoints; X-RateLimit-* headers adopted',
        facts: 'RL1, RL2',
      },
      {
        what: 'the longest value an attribute takes',
        chosen: '255 characters, notes 10,000: a longer value fails its row (manifest fieldLimits)',
        facts: 'none: no length in the references',
      },
    ],
    fieldLimits: DEFAULT_FIELD_LIMITS,
    // The seeds' examples of Salesforce catch-all accounts.
    catchAllAccounts: ['Website Leads', 'Unknown Company'],
    // clarify.md F1-F9: the attributes each object is known to take.
    fields: {
      company: { name: 'name', domain: 'domains' },
      person: {
        first_name: 'name.first_name',
        last_name: 'name.last_name',
        full_name: 'name (first and last)',
        email: 'email_addresses',
        phone: 'phone_numbers',
        mobile: 'phone_numbers',
        job_title: 'job_title',
        status: 'the lifecycle field (stage or status)',
      },
      deal: {
        name: 'name',
        amount: 'amount',
        stage: 'stage',
        status: 'stage (won or lost)',
        close_date: 'close_date',
        source: 'lead_source',
        notes: 'description',
      },
    },
    references: {
      person: { company: 'company', deals: 'deal' },
      deal: { company: 'company', people: 'person' },
      link: { deal: 'deal', person: 'person' },
    },
  },
  actuallycare: {
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
    learnsWorkspace: false,
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
  },
};

export const profileOf = (target: TargetName): TargetProfile => PROFILES[target];
