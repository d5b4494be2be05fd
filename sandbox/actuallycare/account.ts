import { HttpError, type Problem } from '#sandbox/common/json-http.ts';
import { IdFactory, RESOURCES, type Resource } from './ids.ts';
import { FIELD_SCHEMAS, MISPLACED, problemsFrom, validationProblem } from './schemas.ts';

/**
 * One ActuallyCare account: its records per resource, in creation order, and the write rules shared by
 * the HTTP routes and seeding, so a seeded record passes exactly the checks an import's would. There is
 * deliberately no uniqueness on email: the API does not dedupe, the client must.
 */

export type Fields = Record<string, unknown>;
export type StoredRecord = { id: string } & Fields;

export class ActuallyCareAccount {
  private readonly records = Object.fromEntries(
    RESOURCES.map((resource) => [resource, new Map<string, StoredRecord>()]),
  ) as Record<Resource, Map<string, StoredRecord>>;

  constructor(private readonly ids: IdFactory = new IdFactory()) {}

  list(resource: Resource): StoredRecord[] {
    return [...this.records[resource].values()].map((record) => structuredClone(record));
  }

  find(resource: Resource, id: string): StoredRecord {
    const record = this.records[resource].get(id);
    if (!record) throw HttpError.of(404, 'not_found', `No ${singular(resource)} with id '${id}'`);
    return structuredClone(record);
  }

  create(resource: Resource, body: unknown): StoredRecord {
    const fields = this.check(resource, body);
    const record: StoredRecord = { id: this.ids.next(resource), ...fields };
    this.records[resource].set(record.id, record);
    return structuredClone(record);
  }

  /** Partial update: the given fields change, under the same rules as create. */
  update(resource: Resource, id: string, body: unknown): StoredRecord {
    const { id: _id, ...existing } = this.find(resource, id);
    const record: StoredRecord = { id, ...this.check(resource, body, existing) };
    this.records[resource].set(id, record);
    return structuredClone(record);
  }

  private check(resource: Resource, body: unknown, existing?: Fields): Fields {
    const given = recordBody(body);
    const early = shapeProblems(resource, given);
    if (early.length > 0) reject(early);
    const schema = existing ? FIELD_SCHEMAS[resource].partial() : FIELD_SCHEMAS[resource];
    const parsed = schema.safeParse(given);
    if (!parsed.success) reject(problemsFrom(parsed.error.issues, resource));
    const fields = { ...existing, ...parsed.data };
    const broken = this.ruleProblems(resource, fields);
    if (broken.length > 0) reject(broken);
    return fields;
  }

  /** Rules that span fields or need other records. */
  private ruleProblems(resource: Resource, fields: Fields): Problem[] {
    if (resource === 'clients') {
      const named = [fields.first_name, fields.last_name].some(
        (value) => typeof value === 'string' && value.trim() !== '',
      );
      return named
        ? []
        : [validationProblem('first_name', 'a client needs a non-empty first_name or last_name')];
    }
    if (resource === 'escrows' && typeof fields.client_id === 'string') {
      return this.records.clients.has(fields.client_id)
        ? []
        : [validationProblem('client_id', `client_id '${fields.client_id}' is not an existing client`)];
    }
    return [];
  }
}

/** One record per request: the body must be a JSON object. */
function recordBody(body: unknown): Fields {
  if (Array.isArray(body)) {
    throw HttpError.of(400, 'bad_request', 'send one record per request as a JSON object, not an array');
  }
  if (typeof body !== 'object' || body === null) {
    throw HttpError.of(400, 'bad_request', 'the request body must be a JSON object');
  }
  return body as Fields;
}

/** Problems worth a specific message before the generic strict parse would call them unknown fields. */
function shapeProblems(resource: Resource, given: Fields): Problem[] {
  const problems: Problem[] = [];
  if ('id' in given) problems.push(validationProblem('id', 'id is assigned by the API and cannot be set'));
  for (const [field, message] of Object.entries(MISPLACED[resource] ?? {})) {
    if (field in given) problems.push(validationProblem(field, message));
  }
  return problems;
}

const singular = (resource: Resource): string => resource.replace(/s$/, '');

function reject(problems: Problem[]): never {
  throw new HttpError(problems[0]?.status ?? 422, problems);
}
