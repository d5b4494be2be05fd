import { HttpError, type Problem, statusOf } from '#sandbox/common/json-http.ts';
import type { ObjectType } from './ids.ts';
import {
  type AttributeSchemas,
  attributeSchemas,
  bulkDocument,
  type ClarifyEnums,
  MAX_BULK_ITEMS,
  problemsFrom,
  relationshipDocument,
  singleDocument,
} from './schemas.ts';
import type { ClarifyStore, StoredRecord } from './store.ts';
import { checkResource, duplicateProblems, type KeyedItem, typeMismatch } from './validate.ts';

/**
 * Clarify's write operations with all their rules, shared by the HTTP routes and seeding, so seeded
 * records pass exactly the checks an import would.
 */
export class ClarifyWorkspace {
  private readonly schemas: AttributeSchemas;

  constructor(
    readonly store: ClarifyStore,
    enums: ClarifyEnums,
  ) {
    this.schemas = attributeSchemas(enums);
  }

  /** Creates every item of a bulk body, or nothing: any bad item rejects the batch. */
  createBatch(object: ObjectType, body: unknown): StoredRecord[] {
    const items = parseDocument(bulkDocument, body).data;
    if (items.length === 0) throw badDocument('data must hold at least one item');
    if (items.length > MAX_BULK_ITEMS) {
      throw badDocument(
        `data holds ${items.length} items; at most ${MAX_BULK_ITEMS} are allowed per request`,
      );
    }
    const problems: Problem[] = [];
    const valid: KeyedItem[] = [];
    items.forEach((item, index) => {
      const pointer = `/data/${index}`;
      const checked = checkResource(item, { object, pointer }, this.schemas, this.store);
      if (checked.ok) valid.push({ pointer, attributes: checked.attributes });
      else problems.push(...checked.problems);
    });
    if (object !== 'deal') problems.push(...duplicateProblems(object, valid, this.store));
    rejectIfAny(problems);
    return this.store.insert(
      object,
      valid.map((item) => item.attributes),
    );
  }

  /** Partial update: only the given attributes change, under the same rules as create. */
  update(object: ObjectType, id: string, body: unknown): StoredRecord {
    const existing = this.find(object, id);
    const { data } = parseDocument(singleDocument, body);
    const checked = checkResource(data, { object, pointer: '/data', existing }, this.schemas, this.store);
    if (!checked.ok) return reject(checked.problems);
    if (object !== 'deal') {
      const keyed = [{ pointer: '/data', attributes: checked.attributes, selfId: id }];
      rejectIfAny(duplicateProblems(object, keyed, this.store));
    }
    return this.store.replace(object, id, checked.attributes);
  }

  find(object: ObjectType, id: string): StoredRecord {
    const record = this.store.get(object, id);
    if (!record) throw HttpError.of(404, 'Not found', `No ${object} with id '${id}'`);
    return record;
  }

  dealPeople(dealId: string): string[] {
    this.find('deal', dealId);
    return this.store.peopleOf(dealId);
  }

  /** JSON:API relationship PATCH: the given people become the deal's whole set. */
  replaceDealPeople(dealId: string, body: unknown): string[] {
    this.find('deal', dealId);
    const { data } = parseDocument(relationshipDocument, body);
    const problems = data.flatMap((identifier, index): Problem[] => {
      const pointer = `/data/${index}`;
      if (identifier.type !== 'person') return [typeMismatch(identifier.type, 'person', `${pointer}/type`)];
      if (this.store.has('person', identifier.id)) return [];
      const detail = `person '${identifier.id}' does not exist`;
      return [{ status: 422, title: 'Unknown person', detail, pointer: `${pointer}/id` }];
    });
    rejectIfAny(problems);
    this.store.setPeople(dealId, [...new Set(data.map((identifier) => identifier.id))]);
    return this.store.peopleOf(dealId);
  }
}

function parseDocument<T>(schema: { safeParse(body: unknown): ParseResult<T> }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new HttpError(400, problemsFrom(parsed.error.issues, '', 400, 'the document'));
}

type ParseResult<T> =
  | { success: true; data: T }
  | { success: false; error: { issues: Parameters<typeof problemsFrom>[0] } };

const badDocument = (detail: string): HttpError =>
  HttpError.of(400, 'Bad request', detail, { pointer: '/data' });

function reject(problems: Problem[]): never {
  throw new HttpError(statusOf(problems), problems);
}

function rejectIfAny(problems: Problem[]): void {
  if (problems.length > 0) reject(problems);
}
