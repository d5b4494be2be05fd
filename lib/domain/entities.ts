/**
 * The records an import moves. A target declares which entities it accepts and in which dependency
 * order its stages run; the pipeline never hard-codes Clarify's order.
 */
export const ENTITIES = ['company', 'person', 'deal', 'link', 'lead', 'client', 'contact', 'escrow'] as const;
export type Entity = (typeof ENTITIES)[number];

/** The entities that are created as records (links are made between them, not created). */
export type RecordEntity = Exclude<Entity, 'link'>;

export const STAGE_LABEL: Record<Entity, string> = {
  company: 'companies',
  person: 'people',
  deal: 'deals',
  link: 'links',
  lead: 'leads',
  client: 'clients',
  contact: 'contacts',
  escrow: 'escrows',
};

export type FieldValue = string | number | string[];

/** One data row of an input file after mapping and validation, as split writes it to S3 (NDJSON). */
export interface SourceRow {
  entity: Entity;
  /** Input file the row came from, as the user named it. */
  file: string;
  /** 1-based line where the record starts in that file (the header is line 1). */
  line: number;
  /** The row's own id in the source CRM, when the export has one. */
  ref?: string;
  /** Match key against the target and the rest of the file (lower-cased email, domain, deal name). */
  key?: string;
  /** Canonical fields, target-neutral (name, domains, first_name, last_name, email, status, amount, stage). */
  fields: Record<string, FieldValue>;
  /** References to other rows of the job, by their source ref, name, email or domain. */
  refs: { company?: string; client?: string; deal?: string; person?: string };
  /** The original columns, carried to failures.csv so a user can fix and re-drop the row. */
  raw: Record<string, string>;
}

/** A duplicate row merged into an earlier one with the same key. */
export interface MergedRow {
  entity: Entity;
  file: string;
  line: number;
  intoLine: number;
  intoFile: string;
  key: string;
  /** Fields the later row fills in where the earlier one was blank. */
  fill: Record<string, FieldValue>;
  raw: Record<string, string>;
}
