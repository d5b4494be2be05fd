import type { Journal } from '#sandbox/common/journal.ts';
import { HttpError } from '#sandbox/common/json-http.ts';
import { newId, RESOURCES, type Resource, SINGULAR } from './ids.ts';
import { type Fields, fieldProblems } from './schemas.ts';

/**
 * One ActuallyCare account: its records per resource, in creation order, and the write rules shared by
 * the HTTP routes and seeding, so a seeded record passes exactly the checks an import's would. There is
 * deliberately no uniqueness on email anywhere: the API does not dedupe (I2), the client must.
 */

export type { Fields } from './schemas.ts';
export type StoredRecord = { id: string } & Fields;

/** A change as the journal keeps it: a record as it now is, or its removal. */
export type ActuallyCareChange =
  | { resource: Resource; record: StoredRecord }
  | { resource: Resource; removed: string };

export class ActuallyCareAccount {
  private readonly records = Object.fromEntries(
    RESOURCES.map((resource) => [resource, new Map<string, StoredRecord>()]),
  ) as Record<Resource, Map<string, StoredRecord>>;

  /**
   * @param validationStatus the status of a body-validation failure: 400 or 422 (variant, ER6).
   * @param journal where the records are kept across starts (the local target); in memory only without one.
   */
  constructor(
    private readonly validationStatus: 400 | 422,
    private readonly journal?: Journal<ActuallyCareChange>,
  ) {
    if (!journal) return;
    for (const change of journal.changes) {
      if ('removed' in change) this.records[change.resource].delete(change.removed);
      else this.records[change.resource].set(change.record.id, structuredClone(change.record));
    }
    journal.compact(
      RESOURCES.flatMap((resource) =>
        [...this.records[resource].values()].map((record) => ({ resource, record })),
      ),
    );
  }

  list(resource: Resource): StoredRecord[] {
    return [...this.records[resource].values()].map((record) => structuredClone(record));
  }

  find(resource: Resource, id: string): StoredRecord {
    const record = this.records[resource].get(id);
    if (!record) throw notFound(resource);
    return structuredClone(record);
  }

  create(resource: Resource, body: unknown): StoredRecord {
    const given = recordBody(body);
    this.check(resource, given, given);
    const record: StoredRecord = { id: newId(), ...given };
    this.records[resource].set(record.id, record);
    this.journal?.append({ resource, record });
    return structuredClone(record);
  }

  /** PUT (C1, AC13): the given fields replace the stored ones; the merged record must pass as a create. */
  update(resource: Resource, id: string, body: unknown): StoredRecord {
    const { id: _id, ...existing } = this.find(resource, id);
    const given = recordBody(body);
    const merged = { ...existing, ...given };
    this.check(resource, given, merged);
    const record: StoredRecord = { id, ...merged };
    this.records[resource].set(id, record);
    this.journal?.append({ resource, record });
    return structuredClone(record);
  }

  /** Removes the record (*assumed*: a hard delete; K7 leaves archive-or-delete unknown). */
  remove(resource: Resource, id: string): void {
    if (!this.records[resource].delete(id)) throw notFound(resource);
    this.journal?.append({ resource, removed: id });
  }

  private check(resource: Resource, given: Fields, merged: Fields): void {
    const problems = fieldProblems(resource, given, merged, this.validationStatus);
    if (problems.length > 0) throw new HttpError(this.validationStatus, problems);
  }
}

/** One record per request (I1): the body must be a JSON object. */
function recordBody(body: unknown): Fields {
  if (Array.isArray(body)) {
    throw HttpError.of(400, 'BAD_REQUEST', 'send one record per request as a JSON object, not an array');
  }
  if (typeof body !== 'object' || body === null) {
    throw HttpError.of(400, 'BAD_REQUEST', 'the request body must be a JSON object');
  }
  return { ...(body as Fields) };
}

/** ER4's example: `NOT_FOUND` "Client not found." */
function notFound(resource: Resource): HttpError {
  const name = SINGULAR[resource];
  return HttpError.of(404, 'NOT_FOUND', `${name[0]!.toUpperCase()}${name.slice(1)} not found.`);
}
