import type { Problem } from '#sandbox/common/json-http.ts';
import type { Resource } from './ids.ts';

/**
 * The fields each resource accepts, strictly: a field not listed here is a validation error naming it,
 * never dropped silently (unknown fields refused; there is no `tags` field on any resource, I5). `id` is
 * assigned by the API and refused in a body. `null` is refused (*assumed*: a client leaves out a field it
 * has no value for).
 *
 * - clients: C3 documents `first_name`, `last_name`, `client_type` (required), `email`, `phone`; C4 infers
 *   the `client_type` values; `source`, `status`, `budget_min`, `budget_max` come from the record example
 *   (C5) and are accepted on create as an inference (C6 is unknown).
 * - leads: L3 documents `name` (required), `email`, `phone`; the rest comes from the record example (L4,
 *   inferred) with the status and interest values of the list filters (L2).
 * - contacts: K4 documents `first_name` and `contact_type` as required; the rest is the record example
 *   (K5). `contact_type` values are not documented ("buyer" in the example), so any non-empty string.
 * - escrows: the REST body is not documented (X3); this is the MCP create tool's (X4) with the REST names
 *   inferred from the list filters (X5). No `client_id` (X5: buyers and sellers are linked as clients).
 */

/** Checks one present, non-null value; answers a problem message or undefined. */
type Check = (field: string, value: unknown) => string | undefined;

interface FieldRule {
  required?: boolean;
  check: Check;
}

const text: Check = (field, value) => (typeof value === 'string' ? undefined : `${field} must be a string`);

const nonEmpty: Check = (field, value) =>
  text(field, value) ?? ((value as string).trim() === '' ? `${field} must not be empty` : undefined);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const email: Check = (field, value) =>
  text(field, value) ??
  (EMAIL.test(value as string) ? undefined : `${field} '${value}' is not a valid email address`);

const oneOf =
  (values: readonly string[]): Check =>
  (field, value) =>
    typeof value === 'string' && values.includes(value)
      ? undefined
      : `${field} must be one of ${values.join(', ')}; got ${JSON.stringify(value)}`;

const amount: Check = (field, value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? undefined
    : `${field} must be a number ≥ 0; got ${JSON.stringify(value)}`;

const number: Check = (field, value) =>
  typeof value === 'number' && Number.isFinite(value)
    ? undefined
    : `${field} must be a number; got ${JSON.stringify(value)}`;

export const isIsoDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};

const date: Check = (field, value) =>
  typeof value === 'string' && isIsoDate(value)
    ? undefined
    : `${field} must be a date like 2026-06-30; got ${JSON.stringify(value)}`;

const stateCode: Check = (field, value) =>
  typeof value === 'string' && /^[A-Za-z]{2}$/.test(value)
    ? undefined
    : `${field} must be a 2-letter state code; got ${JSON.stringify(value)}`;

const req = (check: Check): FieldRule => ({ required: true, check });
const opt = (check: Check): FieldRule => ({ check });

export const CLIENT_TYPES = ['buyer', 'seller', 'both'] as const;
export const CLIENT_STATUSES = ['active', 'inactive', 'closed'] as const;
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost'] as const;
export const INTEREST_LEVELS = ['hot', 'warm', 'cold'] as const;
export const ESCROW_STATUSES = ['active', 'pending', 'closed', 'cancelled'] as const;
export const REPRESENTATION_TYPES = ['buyer', 'seller', 'dual'] as const;

export const FIELDS: Record<Resource, Record<string, FieldRule>> = {
  clients: {
    first_name: req(nonEmpty), // C3
    last_name: req(nonEmpty), // C3
    client_type: req(oneOf(CLIENT_TYPES)), // C3, C4
    email: opt(email), // C3
    phone: opt(text), // C3
    source: opt(text), // C5 (inferred on create, C6)
    status: opt(oneOf(CLIENT_STATUSES)), // C5, C2 values
    budget_min: opt(amount), // C5
    budget_max: opt(amount), // C5
  },
  leads: {
    name: req(nonEmpty), // L3
    email: opt(email), // L3
    phone: opt(text), // L3
    source: opt(text), // L4 (inferred)
    status: opt(oneOf(LEAD_STATUSES)), // L4, L2 values
    lead_type: opt(text), // L4
    interest_level: opt(oneOf(INTEREST_LEVELS)), // L4, L2 values
    budget: opt(number), // L4
    timeline: opt(text), // L4
  },
  contacts: {
    first_name: req(nonEmpty), // K4
    contact_type: req(nonEmpty), // K4
    last_name: opt(text), // K5
    email: opt(email),
    phone: opt(text),
    company: opt(text),
    license_number: opt(text),
    street_address: opt(text),
    city: opt(text),
    state: opt(text),
    zip_code: opt(text),
  },
  escrows: {
    property_address: req(nonEmpty), // X4, X5
    purchase_price: req(amount), // X4, X5
    representation_type: req(oneOf(REPRESENTATION_TYPES)), // X4
    status: opt(oneOf(ESCROW_STATUSES)), // X2, X5
    closing_date: opt(date), // X5
    city: opt(text), // X4
    state: opt(stateCode), // X4
    zip_code: opt(text), // X4
  },
};

/** Hints for fields a client coded to the old guesses (or another resource's shape) would send. */
const MISPLACED: Partial<Record<Resource, Record<string, string>>> = {
  leads: {
    first_name: 'leads take a single name (L3); send name instead of first_name/last_name',
    last_name: 'leads take a single name (L3); send name instead of first_name/last_name',
  },
  clients: { name: 'clients take first_name and last_name (C3), not a single name' },
  escrows: {
    price: 'escrows take purchase_price (X5), not price',
    close_date: 'escrows take closing_date (X5), not close_date',
    client_id: 'escrows have no client_id (X5)',
  },
};

export type Fields = Record<string, unknown>;

/** The problem a body-validation failure carries; its status is the `validation` variant (ER6). */
export const validationProblem = (status: number, field: string, detail: string): Problem => ({
  status,
  title: 'VALIDATION_ERROR',
  detail,
  pointer: `/${field}`,
});

/**
 * Problems with `given` (the body of a create or an update) and with `merged` (the record it would make:
 * the body itself on create, the stored record with the body's fields laid over on update).
 */
export function fieldProblems(resource: Resource, given: Fields, merged: Fields, status: number): Problem[] {
  const rules = FIELDS[resource];
  const problems: Problem[] = [];
  const problem = (field: string, detail: string) => problems.push(validationProblem(status, field, detail));
  for (const [field, value] of Object.entries(given)) {
    if (field === 'id') problem(field, 'id is assigned by the API and cannot be set');
    else if (!Object.hasOwn(rules, field))
      problem(field, MISPLACED[resource]?.[field] ?? `'${field}' is not a field of ${resource}`);
    else if (value === null) problem(field, `${field} must not be null`);
    else {
      const message = rules[field]!.check(field, value);
      if (message) problem(field, message);
    }
  }
  for (const [field, rule] of Object.entries(rules)) {
    if (rule.required && merged[field] === undefined && !Object.hasOwn(given, field))
      problem(field, `${field} is required`);
  }
  return problems;
}
