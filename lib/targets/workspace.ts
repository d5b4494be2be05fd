import { z } from 'zod';
import { VOCABULARY_FIELDS } from '#domain/value-maps.ts';

/**
 * What the pipeline learned of the target at run time, before its first write, and keeps for the job
 * (`jobs/<job>/workspace.json`). Clarify declares its shapes and enums per workspace in `GET /schemas`
 * (clarify.md SC1–SC4): the person's name may be an object or flat fields (F1, F2), the lifecycle field
 * may be `status` or `stage` with the workspace's own values (F7, F12), deal stages are per workspace
 * (F10). ActuallyCare declares nothing of the kind: its workspace is the profile's.
 */
export const targetWorkspaceSchema = z.object({
  /** Where it was learned: the API's schema, the shape of records it holds, or assumed (nothing answered). */
  source: z.enum(['schemas', 'records', 'assumed']),
  /** Clarify person name: `name: {first_name, last_name}` (nested) or top-level fields (flat). */
  personName: z.enum(['nested', 'flat']).optional(),
  /** The attribute a person's lifecycle (our canonical `status`) goes in; absent: not sent. */
  lifecycleField: z.string().optional(),
  /** The attribute a person's job title goes in (`job_title` live, `title` in the docs, F5); absent: job_title. */
  jobTitleField: z.string().optional(),
  /** The attribute phones go in (`phone_numbers`); absent: phones are left out. */
  phoneField: z.string().optional(),
  /** Allowed values per canonical vocabulary field, case-sensitive, as the target declares them. */
  enums: z.partialRecord(z.enum(VOCABULARY_FIELDS), z.array(z.string())),
  /** What could not be confirmed, in words for the report. */
  warnings: z.array(z.string()),
});
export type TargetWorkspace = z.infer<typeof targetWorkspaceSchema>;

/** One line for a person: what the workspace declares. */
export function describeWorkspace(workspace: TargetWorkspace): string {
  const parts = [
    `person name ${workspace.personName === 'flat' ? 'first_name/last_name' : 'name{first_name,last_name}'}`,
    workspace.lifecycleField
      ? `lifecycle ${workspace.lifecycleField}${workspace.enums.status ? ` (${workspace.enums.status.join(', ')})` : ''}`
      : 'no lifecycle field',
    `deal stages ${workspace.enums.stage ? workspace.enums.stage.join(', ') : 'not declared'}`,
    workspace.phoneField ? `phones in ${workspace.phoneField}` : 'no phone field',
  ];
  return [...parts, ...workspace.warnings].join('; ');
}
