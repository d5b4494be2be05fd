import type { Entity, RecordEntity } from '#domain/entities.ts';
import type { Enums } from '#domain/value-maps.ts';
import type { TargetName } from './target.ts';

/**
 * What the pipeline needs to know about a target without talking to it: its record entities in
 * dependency order, which entity each one points at, whether it links people to deals, how many records
 * one create carries, its default rate limit, and what its users' file names mean.
 */
export interface TargetProfile {
  name: TargetName;
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
  /** Whether created records carry the import marker (the target has a tag field for it). */
  marker: boolean;
  /** Case-sensitive vocabularies (person status, deal stage): values are matched to these at split. */
  enums?: Enums;
  /** Account names that stand for "no company" in exports: not created, their people left unlinked. */
  catchAllAccounts?: readonly string[];
}

export const PROFILES: Record<TargetName, TargetProfile> = {
  clarify: {
    name: 'clarify',
    entities: ['company', 'person', 'deal'],
    parents: { person: 'company', deal: 'company' },
    links: true,
    maxBatch: 25,
    defaultRate: '100/10',
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
      deals: 'deal',
      deal: 'deal',
      opportunities: 'deal',
      'deal people': 'link',
      'deal contacts': 'link',
      'deal persons': 'link',
      'opportunity contacts': 'link',
      associations: 'link',
      links: 'link',
    },
    rowTypes: [],
    marker: false,
    // DESIGN.md's assumed Clarify enums; a workspace with others says so in manifest.json "enums".
    enums: {
      status: ['Lead', 'Active', 'Customer', 'Inactive'],
      stage: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
    },
    // The seeds' examples of Salesforce catch-all accounts.
    catchAllAccounts: ['Website Leads', 'Unknown Company'],
  },
  actuallycare: {
    name: 'actuallycare',
    entities: ['lead', 'client', 'contact', 'escrow'],
    parents: { escrow: 'client' },
    links: false,
    maxBatch: 1,
    defaultRate: '500/900',
    fileNames: {
      leads: 'lead',
      lead: 'lead',
      clients: 'client',
      client: 'client',
      'past clients': 'client',
      contacts: 'contact',
      contact: 'contact',
      vendors: 'contact',
      escrows: 'escrow',
      escrow: 'escrow',
      transactions: 'escrow',
    },
    rowTypes: ['lead', 'client', 'contact'],
    marker: true,
  },
};

export const profileOf = (target: TargetName): TargetProfile => PROFILES[target];
