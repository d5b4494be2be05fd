import { z } from 'zod';
import type { Problem } from '#sandbox/common/json-http.ts';
import type { ObjectType } from './ids.ts';
import type { ClarifyVariants } from './variants.ts';

/**
 * What a workspace accepts in `attributes`, per object, as one model that both validates requests and
 * renders `GET /schemas` (json-schema.ts), so the schemas describe exactly what is accepted.
 *
 * Documented: person `name` object or flat names (F1/F2, a variant), `email_addresses` and
 * `phone_numbers` as `{items}` (F3, F4), `job_title` (F5), `company_id` (F6), a lifecycle select (F7, a
 * variant); company `name`, `domains` as bare domains (F8); deal `name`, `amount`, `stage`,
 * `close_date`, `company_id`, `description`, `lead_source` (F9); dates `YYYY-MM-DD` and numbers within
 * DECIMAL(16,4) else 400 (F11); case-sensitive selects (F12); `_` system fields refused (F13).
 *
 * Strict choices where the sources are silent: unknown attributes are refused (422) rather than dropped;
 * `null` is refused (omit the attribute instead); phones must be E.164 (`+` then digits); `name.full_name`
 * is computed and read-only; an amount with more than 4 decimals is rounded as DECIMAL(16,4) would.
 */

export type Attributes = Record<string, unknown>;

export interface ClarifyEnums {
  /** Values of the person's lifecycle select (`stage` or `status`, per the `lifecycle` variant). */
  personLifecycle: string[];
  dealStage: string[];
}

/** V-SCH's illustrative lifecycle, and a stage set covering the recorded "Prospecting"/"Closed Disqualified". */
export const DEFAULT_ENUMS: ClarifyEnums = {
  personLifecycle: ['Lead', 'Qualified', 'Customer'],
  dealStage: [
    'Prospecting',
    'Qualification',
    'Proposal',
    'Negotiation',
    'Closed Won',
    'Closed Lost',
    'Closed Disqualified',
  ],
};

export type CollectionItem = 'email' | 'phone' | 'domain';

export type Field =
  | { kind: 'text'; label?: string }
  | { kind: 'select'; values: readonly string[] }
  | { kind: 'collection'; item: CollectionItem }
  | { kind: 'decimal' }
  | { kind: 'date' }
  | { kind: 'reference'; entity: 'company' }
  /** The nested person name `{first_name, last_name}`; `full_name` is computed (F1). */
  | { kind: 'name' };

export interface ObjectModel {
  object: ObjectType;
  label: string;
  fields: Record<string, Field>;
  /** Needed on create (and, for text, non-blank). */
  required: string[];
  /** B11: the unique field, and the only value `match_on` takes (B8). */
  unique: string;
  /** To-many relationships, refused as attributes (B18). */
  toMany: string[];
  /** Person only: the name form of this workspace (`names` variant). */
  names?: ClarifyVariants['names'];
  /** Attribute names a client might send by mistake, and what to say about them. */
  hints: Record<string, string>;
}

export type Models = Record<ObjectType, ObjectModel>;

export function workspaceModels(variants: ClarifyVariants, enums: ClarifyEnums): Models {
  const lifecycle = variants.lifecycle;
  const other = lifecycle === 'stage' ? 'status' : 'stage';
  const jobField = variants.jobTitle;
  const otherJobField = jobField === 'job_title' ? 'title' : 'job_title';
  const names: Record<string, Field> =
    variants.names === 'nested'
      ? { name: { kind: 'name' } }
      : { first_name: { kind: 'text' }, last_name: { kind: 'text' } };
  const nameHints: Record<string, string> =
    variants.names === 'nested'
      ? {
          first_name: 'this workspace takes the person name as name: {first_name, last_name} (F1)',
          last_name: 'this workspace takes the person name as name: {first_name, last_name} (F1)',
          full_name: 'this workspace takes the person name as name: {first_name, last_name} (F1)',
        }
      : { name: 'this workspace takes first_name and last_name as top-level attributes (F2)' };
  return {
    company: {
      object: 'company',
      label: 'Company',
      fields: { name: { kind: 'text' }, domains: { kind: 'collection', item: 'domain' } },
      required: ['name'],
      unique: 'domains',
      toMany: ['people'],
      hints: {
        domain: "domains go in 'domains' as {items: [...]} (F8)",
        website: "domains go in 'domains' as {items: [...]} (F8)",
      },
    },
    person: {
      object: 'person',
      label: 'Person',
      fields: {
        ...names,
        email_addresses: { kind: 'collection', item: 'email' },
        phone_numbers: { kind: 'collection', item: 'phone' },
        [jobField]: { kind: 'text' },
        company_id: { kind: 'reference', entity: 'company' },
        [lifecycle]: { kind: 'select', values: enums.personLifecycle },
      },
      required: variants.names === 'nested' ? ['name'] : [],
      unique: 'email_addresses',
      toMany: ['deals'],
      names: variants.names,
      hints: {
        ...nameHints,
        [other]: `the lifecycle field of this workspace is '${lifecycle}' (F7)`,
        [otherJobField]: `the job field of this workspace is '${jobField}' (F5)`,
        email: "emails go in 'email_addresses' as {items: [...]} (F3)",
        emails: "emails go in 'email_addresses' as {items: [...]} (F3)",
        phone: "phones go in 'phone_numbers' as {items: [...]} (F4)",
        phones: "phones go in 'phone_numbers' as {items: [...]} (F4)",
      },
    },
    deal: {
      object: 'deal',
      label: 'Deal',
      fields: {
        name: { kind: 'text' },
        amount: { kind: 'decimal' },
        stage: { kind: 'select', values: enums.dealStage },
        close_date: { kind: 'date' },
        company_id: { kind: 'reference', entity: 'company' },
        description: { kind: 'text' },
        lead_source: { kind: 'text' },
      },
      required: ['name'],
      unique: 'name',
      toMany: ['people', 'tasks'],
      hints: { status: "a deal's pipeline field is 'stage' (F9)" },
    },
  };
}

export interface CheckContext {
  companyExists(id: string): boolean;
}

export interface CheckedAttributes {
  /** The given attributes, normalized (name with full_name, amounts rounded to 4 places). */
  attributes: Attributes;
  problems: Problem[];
}

/** `pointer` is where the attributes object sits, e.g. `/data/3/attributes`. */
export function checkAttributes(
  model: ObjectModel,
  given: Attributes,
  pointer: string,
  mode: 'create' | 'update',
  ctx: CheckContext,
): CheckedAttributes {
  const problems: Problem[] = [];
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(given)) {
    const at = `${pointer}/${escapePointer(name)}`;
    const refused = refusedName(model, name);
    if (refused) {
      problems.push(invalid(at, refused.detail, refused.title));
      continue;
    }
    const field = model.fields[name]!;
    if (value === null) {
      problems.push(invalid(at, `${name} must not be null; omit the attribute to leave it unset`));
      continue;
    }
    const checked = checkValue(name, field, value, at, ctx);
    if ('problems' in checked) problems.push(...checked.problems);
    else attributes[name] = checked.value;
  }
  if (mode === 'create') {
    for (const name of model.required) {
      if (!(name in given)) problems.push(invalid(`${pointer}/${name}`, `${name} is required`));
    }
  }
  return { attributes, problems };
}

/** Why an attribute name is refused outright, if it is. */
function refusedName(model: ObjectModel, name: string): { title: string; detail: string } | undefined {
  if (name === 'id') {
    // B2: ids are the API's to assign (and read-only on update).
    return { title: 'Id not allowed', detail: 'id is assigned by the API and cannot be sent in attributes' };
  }
  if (name.startsWith('_')) {
    return { title: 'System field', detail: `'${name}' is a system field and cannot be written (F13)` };
  }
  if (model.toMany.includes(name)) {
    return {
      title: 'Invalid attribute',
      detail: `'${name}' is a to-many relationship and cannot be set as an attribute; use PATCH .../relationships/${name} (B18)`,
    };
  }
  if (!(name in model.fields)) {
    const hint = model.hints[name];
    return {
      title: 'Unknown attribute',
      detail: `'${name}' is not a ${model.object} attribute in this workspace${hint ? `: ${hint}` : ''}`,
    };
  }
  return undefined;
}

type ValueResult = { value: unknown } | { problems: Problem[] };

function checkValue(name: string, field: Field, value: unknown, at: string, ctx: CheckContext): ValueResult {
  const fail = (detail: string, status = 422, title = 'Invalid attribute'): ValueResult => ({
    problems: [{ status, title, detail, pointer: at }],
  });
  switch (field.kind) {
    case 'text':
      if (typeof value !== 'string') return fail(`${name} must be a string`);
      return { value };
    case 'select':
      if (typeof value === 'string' && field.values.includes(value)) return { value };
      // F12: case-sensitive, per-workspace values.
      return fail(
        `${name} must be one of ${field.values.map((v) => `'${v}'`).join(', ')} (case-sensitive); got ${JSON.stringify(value)}`,
      );
    case 'collection':
      return checkCollection(name, field.item, value, at);
    case 'decimal': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`${name} must be a number`);
      const rounded = Number(value.toFixed(4));
      if (Math.abs(rounded) >= 1e12) {
        return fail(
          `${name}: numeric value out of range (must fit DECIMAL(16, 4)); got ${value}`,
          400,
          'Bad request',
        );
      }
      return { value: rounded };
    }
    case 'date':
      if (typeof value === 'string' && isDate(value)) return { value };
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]/.test(value)) {
        return fail(`${name} must be a date (YYYY-MM-DD), not a date-time; got '${value}'`);
      }
      return fail(`${name} must be a date (YYYY-MM-DD); got ${JSON.stringify(value)}`);
    case 'reference':
      if (typeof value !== 'string') return fail(`${name} must be a string id`);
      // B19 is unknown; the strict choice is to refuse a link to nothing.
      if (!ctx.companyExists(value)) return fail(`${name} '${value}' is not an existing company`);
      return { value };
    case 'name':
      return checkName(value, at);
  }
}

function checkName(value: unknown, at: string): ValueResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problems: [
        invalid(
          at,
          `name must be an object like {"first_name": "...", "last_name": "..."}; got ${describe(value)}`,
        ),
      ],
    };
  }
  const problems: Problem[] = [];
  const out: Record<string, string | null> = { first_name: null, last_name: null };
  for (const [key, part] of Object.entries(value)) {
    const where = `${at}/${escapePointer(key)}`;
    if (key === 'full_name') {
      problems.push(
        invalid(where, 'name.full_name is computed from first_name and last_name; it is read-only'),
      );
    } else if (key !== 'first_name' && key !== 'last_name') {
      problems.push(
        invalid(where, `'name.${key}' is not a member of name (first_name, last_name)`, 'Unknown attribute'),
      );
    } else if (typeof part !== 'string') {
      problems.push(invalid(where, `name.${key} must be a string`));
    } else {
      out[key] = part;
    }
  }
  if (problems.length > 0) return { problems };
  const fullName = [out.first_name, out.last_name].filter((part) => part?.trim()).join(' ');
  return { value: { ...out, full_name: fullName } };
}

const email = z.email();
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** E.164: `+`, a non-zero digit, at most 15 digits in all. Our stricter assumption (F4 gives no format). */
export const E164 = /^\+[1-9]\d{1,14}$/;

function itemProblem(item: CollectionItem, value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string; got ${describe(value)}`;
  switch (item) {
    case 'email':
      return email.safeParse(value).success ? undefined : `'${value}' is not a valid email address`;
    case 'phone':
      return E164.test(value)
        ? undefined
        : `'${value}' is not an E.164 phone number like '+14155550123' (the sandbox's stricter assumption)`;
    case 'domain':
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/')) {
        return `'${value}' must be a bare domain like 'acme.com', not a URL (F8)`;
      }
      if (/^www\./i.test(value)) return `'${value}' must be a bare domain without 'www.' (F8)`;
      return HOSTNAME.test(value) ? undefined : `'${value}' is not a valid domain`;
  }
}

function checkCollection(name: string, item: CollectionItem, value: unknown, at: string): ValueResult {
  if (Array.isArray(value)) {
    // F3: a bare array is refused.
    return {
      problems: [invalid(at, `${name} must be an object like {"items": [...]}, not a bare array (F3)`)],
    };
  }
  if (typeof value !== 'object' || value === null) {
    return {
      problems: [invalid(at, `${name} must be an object like {"items": [...]}; got ${describe(value)}`)],
    };
  }
  const problems: Problem[] = [];
  for (const key of Object.keys(value)) {
    if (key !== 'items') {
      problems.push(
        invalid(`${at}/${escapePointer(key)}`, `'${name}.${key}' is not a member of ${name} (items)`),
      );
    }
  }
  const items = (value as { items?: unknown }).items;
  if (!Array.isArray(items)) {
    problems.push(invalid(`${at}/items`, `${name}.items must be an array`));
    return { problems };
  }
  items.forEach((entry, index) => {
    const problem = itemProblem(item, entry);
    if (problem) problems.push(invalid(`${at}/items/${index}`, problem));
  });
  return problems.length > 0 ? { problems } : { value: { items: [...items] } };
}

function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const nonBlank = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/** A person needs a non-empty first or last name, in whichever form the workspace takes. */
export function personNameProblems(model: ObjectModel, attributes: Attributes, pointer: string): Problem[] {
  if (model.object !== 'person') return [];
  const nested = model.names === 'nested';
  const parts = nested ? ((attributes.name ?? {}) as Attributes) : attributes;
  if (nonBlank(parts.first_name) || nonBlank(parts.last_name)) return [];
  const at = nested ? `${pointer}/name` : `${pointer}/first_name`;
  return [invalid(at, 'a person needs a non-empty first_name or last_name')];
}

/** Text attributes that are required must not be blank either (company and deal `name`). */
export function blankRequiredProblems(
  model: ObjectModel,
  attributes: Attributes,
  pointer: string,
): Problem[] {
  return model.required
    .filter(
      (name) => model.fields[name]?.kind === 'text' && name in attributes && !nonBlank(attributes[name]),
    )
    .map((name) => invalid(`${pointer}/${name}`, `${name} must not be empty`));
}

/**
 * The values a record claims in its object's unique field (B11): emails and domains lower-cased, a deal
 * name trimmed and lower-cased (how the API compares them is not documented; case-insensitive is strict).
 */
export function uniqueKeys(model: ObjectModel, attributes: Attributes): string[] {
  const value = attributes[model.unique];
  if (typeof value === 'string') return value.trim() ? [value.trim().toLowerCase()] : [];
  const items = (value as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  return [...new Set(items.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()))];
}

export const invalid = (pointer: string, detail: string, title = 'Invalid attribute'): Problem => ({
  status: 422,
  title,
  detail,
  pointer,
});

export const escapePointer = (segment: string): string => segment.replaceAll('~', '~0').replaceAll('/', '~1');

const describe = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
