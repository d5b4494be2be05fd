import type { RoleSynonyms } from './columns.ts';
import type { Entity } from './entities.ts';

/**
 * The header names each role answers to in plain CSV exports (the guides' mapping table and what CRMs
 * commonly write), after normalizeHeader. Recognised vendor exports name their columns in vendors/.
 */
const PERSON_NAME = {
  first_name: ['first name', 'firstname', 'given name', 'first'],
  last_name: ['last name', 'lastname', 'surname', 'family name', 'last'],
  full_name: ['name', 'full name', 'contact name', 'person name'],
  email: ['email', 'email address', 'primary email', 'e mail', 'emails', 'e mail address', 'work email'],
  phone: [
    'phone',
    'phone number',
    'primary phone',
    'mobile',
    'mobile phone',
    'mobile phone number',
    'cell',
    'cell phone',
    'telephone',
    'work phone',
    'business phone',
    'direct phone',
    'home phone',
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

/** A person's or deal's company: by source id first, then by domain or name. */
const COMPANY_REFERENCE = [
  'company id',
  'company ref',
  'associated company ids',
  'associated company id',
  'account id',
  'company',
  'company name',
  'company domain',
  'company domain name',
  'organization',
  'organization name',
  'organisation',
  'account',
  'account name',
];

export const SYNONYMS: Record<Entity, RoleSynonyms> = {
  company: {
    ref: ['id', 'company id', 'record id', 'source id', 'account id', 'organization id'],
    name: [
      'name',
      'company name',
      'company',
      'organization',
      'organization name',
      'organisation',
      'account name',
      'account',
    ],
    domain: [
      'domain',
      'domains',
      'company domain',
      'company domain name',
      'website',
      'website url',
      'web site',
      'url',
      'company website',
      'homepage',
      'web',
    ],
  },
  person: {
    ref: ['id', 'person id', 'contact id', 'record id', 'source id', 'lead id'],
    first_name: PERSON_NAME.first_name,
    last_name: PERSON_NAME.last_name,
    full_name: PERSON_NAME.full_name,
    email: [...PERSON_NAME.email, 'person email', 'contact email'],
    phone: PERSON_NAME.phone,
    status: ['status', 'person status', 'lifecycle stage', 'contact status', 'lead status'],
    company: COMPANY_REFERENCE,
    deals: ['associated deal ids', 'associated deal id', 'deal ids', 'associated deals'],
  },
  deal: {
    ref: ['id', 'deal id', 'record id', 'source id', 'opportunity id'],
    name: ['name', 'deal name', 'deal', 'title', 'deal title', 'opportunity name', 'opportunity'],
    amount: ['amount', 'value', 'deal value', 'deal amount', 'opportunity amount'],
    stage: ['stage', 'deal stage', 'pipeline stage', 'stage name', 'opportunity stage'],
    // Won / lost, when the export keeps it apart from the stage (Pipedrive's "Status").
    status: ['status', 'deal status'],
    company: COMPANY_REFERENCE,
    people: ['associated contact ids', 'associated contact id', 'contact ids', 'contact person', 'contacts'],
  },
  link: {
    deal: ['deal id', 'deal ref', 'deal', 'deal name', 'opportunity id', 'opportunity'],
    person: [
      'person id',
      'person ref',
      'contact id',
      'person',
      'contact',
      'person email',
      'contact email',
      'email',
    ],
  },
  lead: { ref: ['id', 'lead id', 'record id', 'source id'], ...PERSON_NAME },
  client: {
    ref: ['id', 'client id', 'record id', 'source id'],
    ...PERSON_NAME,
    client_type: [
      'client type',
      'side',
      'buyer or seller',
      'buyer seller',
      'buyer/seller',
      'client side',
      'transaction side',
      // Last: in a mixed export this is the row's type ("Buyer", "Seller" say both what and which side).
      'type',
    ],
  },
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
    representation_type: ['representation', 'representation type', 'represents', 'side', 'agent side'],
    price: ['price', 'sale price', 'purchase price', 'amount'],
    client: ['client id', 'client email', 'client', 'client name', 'buyer email'],
    notes: ['notes', 'note', 'comments', 'description'],
  },
};
