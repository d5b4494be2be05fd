import { type ColumnRole, fileBaseName, normalizeHeader, type RoleSynonyms } from '../columns.ts';
import type { Entity } from '../entities.ts';

export const VENDORS = ['hubspot', 'salesforce', 'pipedrive', 'generic'] as const;
export type Vendor = (typeof VENDORS)[number];

/** What a vendor's recogniser looks at: the file's name and its headers. */
export class ExportFacts {
  /** The file name without folder and extension, normalised like a header. */
  readonly base: string;
  private readonly normal: Set<string>;
  private readonly raw: Set<string>;

  constructor(
    fileName: string,
    readonly headers: readonly string[],
  ) {
    this.base = fileBaseName(fileName);
    this.normal = new Set(headers.map(normalizeHeader));
    this.raw = new Set(headers.map((h) => h.replace(/^\uFEFF/, '').trim()));
  }

  /** Whether any of the header names is present exactly as written (case and spacing included). */
  written(...names: string[]): boolean {
    return names.some((n) => this.raw.has(n));
  }

  /** Whether any of the (normalised) header names is present. */
  has(...names: string[]): boolean {
    return names.some((n) => this.normal.has(n));
  }
}

/** A file recognised as one vendor's export: its entity and how the vendor names each role's column. */
export interface VendorExport {
  vendor: Exclude<Vendor, 'generic'>;
  entity?: Entity;
  /**
   * The vendor's header names per role (after `normalize`). An empty list says the file has no column
   * for the role even if a generic synonym matches (a Salesforce lead's free-text "Company").
   */
  synonyms: RoleSynonyms;
  normalize?: (header: string) => string;
  /** Values for roles the file has no column for, or leaves blank (Salesforce leads are status Lead). */
  defaults?: Partial<Record<ColumnRole, string>>;
}

/**
 * A vendor's recogniser: undefined when the file is not its export (unless `forced` by the manifest).
 * `entity` is the manifest's word for the file's entity, which wins over the recogniser's own guess.
 */
export type Recognizer = (facts: ExportFacts, forced: boolean, entity?: Entity) => VendorExport | undefined;
