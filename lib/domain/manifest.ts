import { z } from 'zod';
import { ENTITIES } from './entities.ts';
import { JobError } from './errors.ts';

const ROLES = [
  'ref',
  'name',
  'domain',
  'first_name',
  'last_name',
  'full_name',
  'email',
  'status',
  'amount',
  'stage',
  'company',
  'client',
  'deal',
  'person',
  'phone',
  'source',
  'notes',
  'contact_type',
  'type',
  'property_address',
  'close_date',
  'price',
] as const;

const RECORD_ENTITIES = ENTITIES.filter((e) => e !== 'link') as Exclude<(typeof ENTITIES)[number], 'link'>[];

/** How a mixed export says which entity a row is: its column, and value -> entity. */
const rowTypeSchema = {
  /** The column naming each row's entity (default: Type, Record Type, Category, Status, ...). */
  typeColumn: z.string().min(1).optional(),
  /** Values of that column (any case) -> entity, on top of the built-in ones ("past client" -> client). */
  typeValues: z.record(z.string(), z.enum(RECORD_ENTITIES as [string, ...string[]])).optional(),
};

export const manifestSchema = z
  .object({
    /** The files of the job, relative to the manifest's folder; omitted: every CSV in the folder. */
    files: z
      .array(
        z
          .object({
            file: z.string().min(1),
            /** One entity, or 'mixed': each row's entity comes from its type column. */
            entity: z.enum([...ENTITIES, 'mixed']).optional(),
            /** Column header -> role, for headers the built-in synonyms do not know. */
            columns: z.record(z.string(), z.enum(ROLES)).optional(),
            /** Values for roles the file has no column for, e.g. { "contact_type": "vendor" }. */
            defaults: z.record(z.enum(ROLES), z.string()).optional(),
            ...rowTypeSchema,
          })
          .strict(),
      )
      .optional(),
    /** Import only the first N data rows of the job (a dry run to check in the app first). */
    limit: z.number().int().positive().optional(),
    /** Stamped on every created record of targets with a tag field (default import-YYYY-MM). */
    marker: z.string().min(1).max(64).optional(),
    ...rowTypeSchema,
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;

/** Parses a manifest, turning every problem into one message that names the file and the field. */
export function parseManifest(text: string, name: string): Manifest {
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new JobError('BAD_MANIFEST', `${name}: not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
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
