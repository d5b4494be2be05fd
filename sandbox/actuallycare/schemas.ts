import { z } from 'zod';
import type { Problem } from '#sandbox/common/json-http.ts';
import type { Resource } from './ids.ts';

/**
 * The fields each resource accepts, strict: a field the API does not know is a 422 naming it, never
 * dropped silently, so a client that maps a column wrongly finds out on its first request. Nulls are
 * refused too (*assumed*): a client leaves out a field it has no value for.
 */

const mustBe = (field: string, what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `${field} is required` : `${field} must be ${what}`;

const text = (field: string) => z.string({ error: mustBe(field, 'a string') });

const required = (field: string) =>
  text(field).refine((value) => value.trim() !== '', `${field} must not be empty`);

const email = z.email({
  error: (issue) =>
    typeof issue.input === 'string'
      ? `'${issue.input}' is not a valid email address`
      : 'email must be a string holding an email address',
});

const tags = z.array(z.string({ error: 'tags must hold only strings' }), {
  error: 'tags must be an array of strings',
});

/** Fields every people-shaped resource shares. */
const person = {
  email: email.optional(),
  phone: text('phone').optional(),
  notes: text('notes').optional(),
  tags: tags.optional(),
};

export const FIELD_SCHEMAS: Record<Resource, z.ZodObject> = {
  leads: z.strictObject({ name: required('name'), source: text('source').optional(), ...person }),
  clients: z.strictObject({
    first_name: text('first_name').optional(),
    last_name: text('last_name').optional(),
    source: text('source').optional(),
    ...person,
  }),
  contacts: z.strictObject({
    first_name: required('first_name'),
    last_name: text('last_name').optional(),
    contact_type: required('contact_type'),
    company: text('company').optional(),
    ...person,
  }),
  escrows: z.strictObject({
    property_address: required('property_address'),
    status: text('status').optional(),
    close_date: z.iso
      .date({
        error: (issue) => `close_date must be a date like 2026-06-30; got ${JSON.stringify(issue.input)}`,
      })
      .optional(),
    price: z
      .number({ error: mustBe('price', 'a number') })
      .min(0, 'price must be ≥ 0')
      .optional(),
    client_id: text('client_id').optional(),
    notes: text('notes').optional(),
    tags: tags.optional(),
  }),
};

/** Messages for fields that belong to another resource's shape: the mistakes the guide warns about. */
export const MISPLACED: Partial<Record<Resource, Record<string, string>>> = {
  leads: {
    first_name: 'leads take a single name; send name instead of first_name/last_name',
    last_name: 'leads take a single name; send name instead of first_name/last_name',
  },
  clients: { name: 'clients take first_name and last_name, not a single name' },
};

export const validationProblem = (field: string, detail: string): Problem => ({
  status: 422,
  title: 'validation_error',
  detail,
  pointer: `/${field}`,
});

/** Zod issues as 422 problems, each naming the top-level field at fault. */
export function problemsFrom(issues: z.core.$ZodIssue[], resource: Resource): Problem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => validationProblem(key, `'${key}' is not a field of ${resource}`));
    }
    return [validationProblem(String(issue.path[0] ?? ''), issue.message)];
  });
}
