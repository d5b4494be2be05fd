import { z } from 'zod';
import { COLUMN_ROLES } from './columns.ts';
import { ENTITIES } from './entities.ts';
import { describePosition, JobError } from './errors.ts';
import { isPhoneRegion } from './phones.ts';
import { VOCABULARY_FIELDS } from './value-maps.ts';
import { VENDORS } from './vendors/recognize.ts';

const RECORD_ENTITIES = ENTITIES.filter((e) => e !== 'link') as Exclude<(typeof ENTITIES)[number], 'link'>[];

/** How a mixed export says which entity a row is: its column, and value -> entity. */
const rowTypeSchema = {
  /** The column naming each row's entity (default: Type, Record Type, Category, Status, ...). */
  typeColumn: z.string().min(1).optional(),
  /** Values of that column (any case) -> entity, on top of the built-in ones ("past client" -> client). */
  typeValues: z.record(z.string(), z.enum(RECORD_ENTITIES as [string, ...string[]])).optional(),
};

/** Source value -> target value per field ({"status": {"Hot": "Active"}}), over the built-in maps. */
const valueMapsSchema = z
  .object(
    Object.fromEntries(
      VOCABULARY_FIELDS.map((field) => [field, z.record(z.string(), z.string().min(1)).optional()]),
    ) as Record<(typeof VOCABULARY_FIELDS)[number], z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>>,
  )
  .strict();

/** The target's allowed values per field, when the workspace's differ from the target's defaults. */
const enumsSchema = z
  .object(
    Object.fromEntries(
      VOCABULARY_FIELDS.map((field) => [field, z.array(z.string().min(1)).min(1).optional()]),
    ) as Record<(typeof VOCABULARY_FIELDS)[number], z.ZodOptional<z.ZodArray<z.ZodString>>>,
  )
  .strict();

const fileSchema = z
  .object({
    file: z.string().min(1),
    /** One entity, or 'mixed': each row's entity comes from its type column. */
    entity: z.enum([...ENTITIES, 'mixed']).optional(),
    /** Whose export the file is, when its name and headers do not say (or to read it as a plain CSV). */
    vendor: z.enum(VENDORS).optional(),
    /** Column header -> role, for headers the built-in synonyms do not know. */
    columns: z.record(z.string(), z.enum(COLUMN_ROLES)).optional(),
    /** Values for roles the file has no column for, e.g. { "contact_type": "vendor" }. */
    defaults: z.record(z.enum(COLUMN_ROLES), z.string()).optional(),
    /** This file's value maps, over the job's. */
    valueMaps: valueMapsSchema.optional(),
    ...rowTypeSchema,
  })
  .strict();

export const manifestSchema = z
  .object({
    /** The files of the job, relative to the manifest's folder; omitted: every CSV in the folder. */
    files: z.array(fileSchema).optional(),
    /** Import only the first N data rows of the job (a dry run to check in the app first). */
    limit: z.number().int().positive().optional(),
    /** Stamped on every created record of targets with a tag field (default import-YYYY-MM). */
    marker: z.string().min(1).max(64).optional(),
    /**
     * Where the marker goes on targets without a tag field: ActuallyCare's `source`, on rows that map no
     * source of their own (default), or nowhere.
     */
    markerField: z.enum(['source', 'none']).optional(),
    /** A row whose record already exists: skip it (default), or update the record. */
    onExisting: z.enum(['skip', 'update']).optional(),
    /** With onExisting update: overwrite values the record has (default: fill its blanks only). */
    overwrite: z.boolean().optional(),
    /** Write the plan (what each row would do) and nothing to the target. */
    dryRun: z.boolean().optional(),
    /** The job's value maps, for every file. */
    valueMaps: valueMapsSchema.optional(),
    /** Replaces the target's allowed values (its enums), e.g. a workspace with its own stages. */
    enums: enumsSchema.optional(),
    /** Account names that are not companies (default "Website Leads", "Unknown Company"); [] for none. */
    catchAllAccounts: z.array(z.string().min(1)).optional(),
    /**
     * The longest value the target takes per field, in characters, by role or `*` for any other
     * (default 255, notes 10,000: neither reference states a length). A longer value fails its row.
     */
    fieldLimits: z.partialRecord(z.enum([...COLUMN_ROLES, '*']), z.number().int().positive()).optional(),
    /** ISO 3166 region phones without a country code are read in (default US). */
    phoneRegion: z
      .string()
      .refine(isPhoneRegion, { message: 'not a region code libphonenumber knows (e.g. US, GB, DE)' })
      .optional(),
    ...rowTypeSchema,
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof fileSchema>;

/**
 * Parses a manifest, turning every problem into one message that names the file and the field, or the
 * line and column where the text stops being JSON. A byte-order mark (Notepad writes one) is not an error.
 */
export function parseManifest(text: string, name: string): Manifest {
  let json: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch (error) {
    // No `cause`: a Task's failure would show V8's message (its cause) instead of this one.
    throw new JobError('BAD_MANIFEST', notJson(body, name, (error as Error).message));
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${path.replace(/^\./, '') || '(root)'}: ${issue.message}`;
    });
    throw new JobError('BAD_MANIFEST', `${name}: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * `manifest.json line 3, column 24: not valid JSON (Expected double-quoted property name)`: where V8's
 * message puts the problem (its position, or the end of the text), as a person counts lines and columns.
 */
function notJson(text: string, name: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  const position = at ? Number(at[1]) : text.length;
  const before = text.slice(0, position).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = (before.at(-1) ?? '').length + 1;
  const reason = /Unexpected end of JSON input/.test(message)
    ? 'unexpected end of the text'
    : message.replace(/,? ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  return `${describePosition({ file: name, line, column: String(column) })}: not valid JSON (${reason})`;
}
