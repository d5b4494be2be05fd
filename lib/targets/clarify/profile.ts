import { DEFAULT_FIELD_LIMITS } from '#domain/field-limits.ts';
import type { TargetProfile } from '../profiles.ts';

/**
 * Where Clarify's references conflict, the candidates a client must pass against, the first of each the
 * default (what the pipeline assumes): each is a sandbox `--variant` (sandbox/clarify/variants.ts says
 * what each one simulates).
 */
export const CLARIFY_VARIANTS = {
  names: ['nested', 'flat'],
  lifecycle: ['stage', 'status'],
  jobTitle: ['job_title', 'title'],
  schemas: ['array', 'keyed', 'unavailable'],
  errors: ['string', 'number', 'nest'],
  duplicate: ['400', '422'],
  relationships: ['identifiers', 'resources'],
  rateHeaders: ['X-RateLimit', 'none'],
} as const;

/** Clarify as its published references describe it (`shared/contracts/clarify.md`, fact ids in comments). */
export const CLARIFY_PROFILE: TargetProfile = {
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
  // Counted per workspace per endpoint (RL1), a bulk request as one (RL3): a budget each for bulk creates,
  // record updates and relationship updates; every read shares one (stricter than the API, which counts
  // each read endpoint apart). Object types share each: whether /objects/person/… and /objects/company/…
  // are one endpoint is not documented, and counting them together is the safe reading.
  endpointClasses: {
    read: 'reads',
    create: 'bulk-creates',
    update: 'record-updates',
    relate: 'relationship-updates',
  },
  variants: CLARIFY_VARIANTS,
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
      chosen:
        '3,000 per 60 s per workspace and endpoint: one budget each for bulk creates, record updates, ' +
        'relationship updates and all reads together; X-RateLimit-* headers adopted',
      facts: 'RL1, RL2, RL3',
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
};
