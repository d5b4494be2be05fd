import { z } from 'zod';

/**
 * The records an import moves. A target declares which entities it accepts and in which dependency
 * order its stages run; the pipeline never hard-codes Clarify's order.
 */
export const ENTITIES = ['company', 'person', 'deal', 'link', 'lead', 'client', 'contact', 'escrow'] as const;
export type Entity = (typeof ENTITIES)[number];

/** The entities that are created as records (links are made between them, not created). */
export type RecordEntity = Exclude<Entity, 'link'>;
export const RECORD_ENTITIES = ENTITIES.filter((e): e is RecordEntity => e !== 'link') as [
  RecordEntity,
  ...RecordEntity[],
];

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

export const fieldValueSchema = z.union([z.string(), z.number(), z.array(z.string())]);
export type FieldValue = z.infer<typeof fieldValueSchema>;

/** One data row of an input file after mapping and validation, as split writes it to S3 (NDJSON). */
export const sourceRowSchema = z.object({
  entity: z.enum(ENTITIES),
  /** Input file the row came from, as the user named it. */
  file: z.string(),
  /** 1-based line where the record starts in that file (the header is line 1). */
  line: z.number().int(),
  /** The row's own id in the source CRM, when the export has one. */
  ref: z.string().optional(),
  /** Match key against the target and the rest of the file (lower-cased email, domain, deal name). */
  key: z.string().optional(),
  /** Canonical fields, target-neutral (name, domains, first_name, last_name, email, status, amount, stage). */
  fields: z.record(z.string(), fieldValueSchema),
  /** References to other rows of the job, by their source ref, name, email or domain. */
  refs: z.object({
    company: z.string().optional(),
    client: z.string().optional(),
    deal: z.string().optional(),
    person: z.string().optional(),
  }),
  /**
   * References split rewrote to the row a duplicate merged into: the id as the file gave it, and where
   * the duplicate was. Another row with that id makes the reference ambiguous (references.ts).
   */
  aliased: z
    .partialRecord(
      z.enum(['company', 'client', 'deal', 'person']),
      z.object({ id: z.string(), file: z.string(), line: z.number().int() }),
    )
    .optional(),
  /** The original columns, carried to failures.csv so a user can fix and re-drop the row. */
  raw: z.record(z.string(), z.string()),
});
export type SourceRow = z.infer<typeof sourceRowSchema>;

/** A duplicate row merged into an earlier one with the same key. */
export const mergedRowSchema = z.object({
  entity: z.enum(ENTITIES),
  file: z.string(),
  line: z.number().int(),
  intoLine: z.number().int(),
  intoFile: z.string(),
  key: z.string(),
  /** Fields the later row fills in where the earlier one was blank. */
  fill: z.record(z.string(), fieldValueSchema),
  raw: z.record(z.string(), z.string()),
});
export type MergedRow = z.infer<typeof mergedRowSchema>;

/**
 * The merges into the rows at hand, by the row they merged into (`file|line`): of `into` only, when given.
 */
export function mergesByRow(
  merges: Iterable<MergedRow>,
  into?: ReadonlySet<string>,
): Map<string, MergedRow[]> {
  const byRow = new Map<string, MergedRow[]>();
  for (const merge of merges) {
    const at = `${merge.intoFile}|${merge.intoLine}`;
    if (into && !into.has(at)) continue;
    byRow.set(at, [...(byRow.get(at) ?? []), merge]);
  }
  return byRow;
}
