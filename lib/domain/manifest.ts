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
  'deal',
  'person',
] as const;

export const manifestSchema = z
  .object({
    /** The files of the job, relative to the manifest's folder; omitted: every CSV in the folder. */
    files: z
      .array(
        z
          .object({
            file: z.string().min(1),
            entity: z.enum(ENTITIES).optional(),
            /** Column header -> role, for headers the built-in synonyms do not know. */
            columns: z.record(z.string(), z.enum(ROLES)).optional(),
          })
          .strict(),
      )
      .optional(),
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
