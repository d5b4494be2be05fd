import { E164, type Field, type Models, type ObjectModel } from './attributes.ts';
import { OBJECT_TYPES } from './ids.ts';

/**
 * `GET /schemas` (SC1–SC4): the JSON Schema of each object, rendered from the very model that validates
 * requests, so a client reading enums and field names here gets what the workspace accepts. Enums sit in
 * `properties.<field>.enum` (SC3; this workspace has no multi-selects, which would put theirs under
 * `properties.<field>.properties.items.items.enum`), relationship fields carry `xClarifyRelationship`
 * and the unique field `xClarifyUnique` (SC4).
 *
 * Shapes (SC2, the `schemas` variant):
 * - `array`: `{"data": [{"id": "https://getclarify.ai/schemas/entities/person", "type": "schema",
 *   "attributes": <schema>}, ...], "meta": {...}, "links": {"next": null, "prev": null}}`
 * - `keyed`: `{"data": {"core/person": <schema>, "core/company": <schema>, "core/deal": <schema>}}`
 * - `unavailable`: 404, so a client must fall back to its own configuration.
 */

export const SCHEMA_ID_PREFIX = 'https://getclarify.ai/schemas/entities/';

export type JsonSchema = Record<string, unknown>;

export function objectSchema(model: ObjectModel): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(model.fields).map(([name, field]) => [
      name,
      {
        ...fieldSchema(field),
        ...(field.kind === 'text' && model.required.includes(name) ? { pattern: NON_BLANK } : {}),
        ...(name === model.unique ? { xClarifyUnique: true } : {}),
      },
    ]),
  );
  const flatNames = model.object === 'person' && model.names === 'flat';
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: model.label,
    xClarifyLabel: model.label,
    type: 'object',
    properties,
    required: model.required,
    additionalProperties: false,
    // A person needs a first or a last name (flat form; the nested form says so inside `name`).
    ...(flatNames ? { anyOf: nonBlankOneOf('first_name', 'last_name') } : {}),
  };
}

const NON_BLANK = '\\S';

/** At least one of the names present and not blank. */
const nonBlankOneOf = (...names: string[]) =>
  names.map((name) => ({ required: [name], properties: { [name]: { pattern: NON_BLANK } } }));

function fieldSchema(field: Field): JsonSchema {
  switch (field.kind) {
    case 'text':
      return { type: 'string' };
    case 'select':
      return { type: 'string', enum: [...field.values] };
    case 'decimal':
      // DECIMAL(16,4) (F11): beyond this the API answers 400; more places are rounded.
      return { type: 'number', minimum: -999_999_999_999.9999, maximum: 999_999_999_999.9999 };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'reference':
      return {
        type: 'string',
        format: 'uuid',
        xClarifyRelationship: { kind: 'many-to-one', entity: field.entity, field: 'id' },
      };
    case 'collection':
      return {
        type: 'object',
        properties: { items: { type: 'array', items: collectionItemSchema(field.item) } },
        required: ['items'],
        additionalProperties: false,
      };
    case 'name':
      return {
        type: 'object',
        properties: {
          first_name: { type: 'string' },
          last_name: { type: 'string' },
          full_name: { type: 'string', readOnly: true },
        },
        anyOf: nonBlankOneOf('first_name', 'last_name'),
        additionalProperties: false,
      };
  }
}

function collectionItemSchema(item: 'email' | 'phone' | 'domain'): JsonSchema {
  switch (item) {
    case 'email':
      return { type: 'string', format: 'email' };
    case 'phone':
      return { type: 'string', pattern: E164.source };
    case 'domain':
      return { type: 'string', format: 'hostname', not: { pattern: '^www\\.' } };
  }
}

/** `data` of `GET /schemas` in the `array` shape: one schema resource per object. */
export const schemaResources = (models: Models) =>
  OBJECT_TYPES.map((type) => ({
    id: `${SCHEMA_ID_PREFIX}${type}`,
    type: 'schema',
    attributes: objectSchema(models[type]),
  }));

/** `data` of `GET /schemas` in the `keyed` shape. */
export const keyedSchemas = (models: Models) =>
  Object.fromEntries(OBJECT_TYPES.map((type) => [`core/${type}`, objectSchema(models[type])]));
