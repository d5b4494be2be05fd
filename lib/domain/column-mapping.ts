import { z } from 'zod';

/**
 * What became of one input column, as the mapping preview and the plan show it: its values go into a
 * target field, or name rows (a reference, or the row's own id), or are not imported, with the reason.
 */
export const COLUMN_USES = ['field', 'reference', 'not imported'] as const;
export type ColumnUse = (typeof COLUMN_USES)[number];

/**
 * Why a column is not imported: the target has no field for what it holds; it could be one of several
 * things (two columns for one field, a file whose entity is unknown); every value read was blank.
 */
export const NOT_IMPORTED_REASONS = ['no field', 'ambiguous', 'empty'] as const;
export type NotImportedReason = (typeof NOT_IMPORTED_REASONS)[number];

/** How a column's role was found: named by the manifest, the vendor's own column, a synonym, its values. */
export const RECOGNIZED_BY = ['manifest', 'vendor', 'name', 'content', 'values'] as const;
export type RecognizedBy = (typeof RECOGNIZED_BY)[number];

export const columnMappingSchema = z.object({
  column: z.string(),
  use: z.enum(COLUMN_USES),
  /** The role it plays (email, company, people...), when it plays one. */
  role: z.string().optional(),
  /** The target's field it goes into, or for a reference what it names. */
  target: z.string().optional(),
  by: z.enum(RECOGNIZED_BY).optional(),
  reason: z.enum(NOT_IMPORTED_REASONS).optional(),
  /** For a person: why it is not imported, or which file's rows a reference's values name. */
  detail: z.string().optional(),
  /** Up to two of its values, as the file has them. */
  samples: z.array(z.string()),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** Up to `count` distinct non-blank values, in file order. */
export function samplesOf(values: Iterable<string | undefined>, count = 2): string[] {
  const out: string[] = [];
  for (const value of values) {
    const text = (value ?? '').trim();
    if (text && !out.includes(text)) out.push(text);
    if (out.length >= count) break;
  }
  return out;
}
