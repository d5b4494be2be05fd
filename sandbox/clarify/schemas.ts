import { z } from 'zod';
import type { Problem } from '#sandbox/common/json-http.ts';
import type { ObjectType } from './ids.ts';

/**
 * The request shapes Clarify accepts, strict: an attribute the API does not know is an error, not
 * something to drop silently, so a client mapping a field wrongly finds out here rather than in prod.
 */

export interface ClarifyEnums {
  personStatus: string[];
  dealStage: string[];
}

export const DEFAULT_ENUMS: ClarifyEnums = {
  personStatus: ['Lead', 'Active', 'Customer', 'Inactive'],
  dealStage: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
};

export const OBJECT_TYPES: readonly ObjectType[] = ['company', 'person', 'deal'];
export const MAX_BULK_ITEMS = 25;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const nonBlank = (label: string) =>
  z
    .string({
      error: (issue) => `${label} ${issue.input === undefined ? 'is required' : 'must be a string'}`,
    })
    .refine((value) => value.trim() !== '', `${label} must not be empty`);

const domain = z.string({ error: 'domain must be a string' }).superRefine((value, ctx) => {
  if (value.includes('://') || value.includes('/')) {
    ctx.addIssue({ code: 'custom', message: `'${value}' must be a bare domain like 'acme.com', not a URL` });
  } else if (!DOMAIN.test(value)) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a valid domain` });
  }
});

const email = z.email({ error: (issue) => `'${String(issue.input)}' is not a valid email address` });

const items = <T extends z.ZodType>(item: T, label: string) =>
  z.strictObject(
    { items: z.array(item, { error: `${label}.items must be an array` }) },
    {
      error: `${label} must be an object like {"items": [...]}`,
    },
  );

const oneOf = (label: string, values: string[]) =>
  z.enum(values as [string, ...string[]], {
    error: (issue) =>
      `${label} must be one of ${values.map((value) => `'${value}'`).join(', ')} (case-sensitive); got ${JSON.stringify(issue.input)}`,
  });

const reference = (label: string) => z.string({ error: `${label} must be a string id` });

export type AttributeSchemas = Record<ObjectType, z.ZodObject>;

/** Attribute schemas per object; cross-field rules (a person needs a name) are checked on the result. */
export function attributeSchemas(enums: ClarifyEnums): AttributeSchemas {
  return {
    company: z.strictObject({ name: nonBlank('name'), domains: items(domain, 'domains').optional() }),
    person: z.strictObject({
      first_name: z.string({ error: 'first_name must be a string' }).optional(),
      last_name: z.string({ error: 'last_name must be a string' }).optional(),
      email_addresses: items(email, 'email_addresses').optional(),
      company_id: reference('company_id').optional(),
      status: oneOf('status', enums.personStatus).optional(),
    }),
    deal: z.strictObject({
      name: nonBlank('name'),
      amount: z.number({ error: 'amount must be a number' }).min(0, 'amount must be ≥ 0').optional(),
      stage: oneOf('stage', enums.dealStage).optional(),
      company_id: reference('company_id').optional(),
    }),
  };
}

/** One resource object of a request body (a bulk item or a PATCH's `data`). */
export const resourceObject = z.strictObject(
  {
    type: z.string({ error: 'type must be a string' }),
    id: z.string().optional(),
    attributes: z.record(z.string(), z.unknown(), { error: 'attributes must be an object' }),
  },
  { error: 'must be a resource object like {"type": "...", "attributes": {...}}' },
);

export const bulkDocument = z.strictObject({
  data: z.array(z.unknown(), { error: 'data must be an array' }),
});
export const singleDocument = z.strictObject({ data: z.unknown() });
export const relationshipDocument = z.strictObject({
  data: z.array(z.strictObject({ type: z.string(), id: z.string() }), {
    error: 'data must be an array of {"type", "id"} resource identifiers',
  }),
});

/** Zod issues as API problems, each pointing into the request body under `base`. */
export function problemsFrom(
  issues: z.core.$ZodIssue[],
  base: string,
  status: number,
  subject: string,
): Problem[] {
  return issues.flatMap((issue) => {
    const at = `${base}${issue.path.map((part) => `/${String(part)}`).join('')}`;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        status,
        title: 'Unknown attribute',
        detail: `'${key}' is not a known member of ${subject}`,
        pointer: `${at}/${key}`,
      }));
    }
    return [{ status, title: 'Invalid attribute', detail: issue.message, pointer: at }];
  });
}
