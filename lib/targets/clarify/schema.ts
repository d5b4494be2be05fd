import type { ProbeResult, TargetWorkspace } from '../target.ts';

/**
 * What a Clarify workspace declares of itself in `GET /schemas` (clarify.md SC1–SC4), read into the
 * few facts the import needs. The sources give two shapes (SC2), both accepted: `data` as an array of
 * `{id: ".../schemas/entities/person", attributes: <JSON Schema>}` (the OpenAPI spec and its CLI), or
 * an object keyed by `"core/person"` (the docs site). An enum is in `properties.<field>.enum`, or for a
 * multi-select in `properties.<field>.properties.items.items.enum` (SC3).
 */

type JsonSchema = { properties?: Record<string, PropertySchema>; [key: string]: unknown };
type PropertySchema = {
  type?: unknown;
  enum?: unknown;
  properties?: Record<string, PropertySchema>;
  items?: PropertySchema;
  [key: string]: unknown;
};

/** The person, company and deal schemas of a `/schemas` answer, whichever shape it came in. */
export function schemasByObject(body: unknown): Partial<Record<'person' | 'company' | 'deal', JsonSchema>> {
  const data = (body as { data?: unknown } | undefined)?.data ?? body;
  const out: Partial<Record<'person' | 'company' | 'deal', JsonSchema>> = {};
  const take = (name: string, schema: unknown) => {
    const object = /(?:^|[/:])(person|company|deal)$/.exec(name.trim())?.[1] as keyof typeof out | undefined;
    if (!object || out[object] || typeof schema !== 'object' || schema === null) return;
    const s = schema as JsonSchema;
    // A resource object carries the JSON Schema in its attributes; a keyed map carries it as the value.
    out[object] = (s.attributes && typeof s.attributes === 'object' ? s.attributes : s) as JsonSchema;
  };
  if (Array.isArray(data)) {
    for (const item of data) {
      const id = (item as { id?: unknown })?.id;
      if (typeof id === 'string') take(id, item);
    }
  } else if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data)) take(key, value);
  }
  return out;
}

/** The case-sensitive values a select or multi-select declares (SC3). */
export function enumOf(property: PropertySchema | undefined): string[] | undefined {
  const candidates = [property?.enum, property?.items?.enum, property?.properties?.items?.items?.enum];
  const found = candidates.find((c) => Array.isArray(c) && c.length > 0) as unknown[] | undefined;
  return found?.filter((v): v is string => typeof v === 'string');
}

/** Where a person's lifecycle goes: the live field names the sources show (F7), in this order. */
export const LIFECYCLE_FIELDS = ['stage', 'status', 'lifecycle_stage'] as const;

/**
 * The person's job field, when the workspace shows one (F5: `job_title` in live data, `title` in the docs'
 * example); without either the live `job_title` is sent.
 */
const jobTitleFieldOf = (person: Record<string, unknown>): { jobTitleField?: string } =>
  person.job_title !== undefined
    ? { jobTitleField: 'job_title' }
    : person.title !== undefined
      ? { jobTitleField: 'title' }
      : {};

/** The workspace as `/schemas` declares it; undefined when the answer holds no person schema. */
export function workspaceFromSchemas(body: unknown): TargetWorkspace | undefined {
  const schemas = schemasByObject(body);
  const person = schemas.person?.properties;
  if (!person) return undefined;
  const warnings: string[] = [];
  const name = person.name;
  const nested = name !== undefined && (name.type === 'object' || name.properties !== undefined);
  const flat = person.first_name !== undefined || person.last_name !== undefined;
  if (!nested && !flat)
    warnings.push('the person schema declares no name fields: names are sent as an object');
  const lifecycleField = LIFECYCLE_FIELDS.find((field) => person[field] !== undefined);
  const status = lifecycleField ? enumOf(person[lifecycleField]) : undefined;
  const stage = enumOf(schemas.deal?.properties?.stage);
  if (!lifecycleField)
    warnings.push('the person schema has no lifecycle field (stage or status): person statuses are left out');
  return {
    source: 'schemas',
    personName: nested || !flat ? 'nested' : 'flat',
    ...(lifecycleField ? { lifecycleField } : {}),
    ...(person.phone_numbers !== undefined ? { phoneField: 'phone_numbers' } : {}),
    ...jobTitleFieldOf(person),
    enums: { ...(status ? { status } : {}), ...(stage ? { stage } : {}) },
    warnings,
  };
}

/**
 * The workspace learned from the preflight's answers: `/schemas` when it answered; else the attribute
 * names of records it holds; else the recorded live shapes (F1: a name object; F4: `phone_numbers`)
 * with no lifecycle field, since none is documented (F7). Each fallback says so in the report.
 */
export function learnWorkspace(results: ProbeResult[]): TargetWorkspace {
  const schema = results.find((r) => r.check === SCHEMA_CHECK);
  const fromSchema = schema?.ok ? workspaceFromSchemas(schema.learned?.body) : undefined;
  if (fromSchema) return fromSchema;
  const why = schema?.ok
    ? 'GET /schemas held no person schema'
    : `GET /schemas could not be read (${schema?.message ?? 'not asked'})`;
  const sample = results.find((r) => r.check === 'read person' && r.learned?.attributes)?.learned
    ?.attributes as Record<string, unknown> | undefined;
  if (sample) {
    const lifecycleField = LIFECYCLE_FIELDS.find((field) => field in sample);
    return {
      source: 'records',
      personName: 'first_name' in sample && !('name' in sample) ? 'flat' : 'nested',
      ...(lifecycleField ? { lifecycleField } : {}),
      phoneField: 'phone_numbers',
      ...jobTitleFieldOf(sample),
      enums: {},
      warnings: [
        `${why}: person fields follow a record the workspace holds; values of ${lifecycleField ?? 'the lifecycle field'} and deal stages are not checked before sending`,
      ],
    };
  }
  return {
    source: 'assumed',
    personName: 'nested',
    phoneField: 'phone_numbers',
    enums: {},
    warnings: [
      `${why}: person names are sent as an object (as live data shows), person statuses are left out, and deal stages are not checked before sending`,
    ],
  };
}

export const SCHEMA_CHECK = 'workspace schema';
