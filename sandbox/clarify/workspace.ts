import { HttpError, type Problem, statusOf } from '#sandbox/common/json-http.ts';
import {
  type Attributes,
  blankRequiredProblems,
  type CheckContext,
  checkAttributes,
  escapePointer,
  invalid,
  type Models,
  type ObjectModel,
  personNameProblems,
  uniqueKeys,
} from './attributes.ts';
import type { ObjectType } from './ids.ts';
import type { ClarifyStore, StoredRecord } from './store.ts';

/**
 * Clarify's write operations with all their rules, shared by the HTTP routes and seeding, so seeded
 * records pass exactly the checks an import would. Every problem carries a pointer into the request body
 * (`/data/3/attributes/email_addresses`), because clients use it to drop the bad rows of an atomic batch.
 */

/** Where a collision is reported: the value named after the unique field (B11). */
const UNIQUE_LABEL: Record<ObjectType, string> = { person: 'email', company: 'domain', deal: 'name' };

interface ValidItem {
  pointer: string;
  attributes: Attributes;
}

type Plan =
  | { kind: 'insert'; attributes: Attributes }
  | { kind: 'update'; id: string; attributes: Attributes };

export class ClarifyWorkspace {
  private readonly ctx: CheckContext;

  constructor(
    readonly store: ClarifyStore,
    readonly models: Models,
    /** B12 (the `duplicate` variant): the status of a collision with an existing record. */
    private readonly duplicateStatus: 400 | 422,
  ) {
    this.ctx = { companyExists: (id) => store.has('company', id) };
  }

  /**
   * Creates every item or nothing (B5, B13). `pointers` says where each item sits in the body (`/data/3`
   * in a bulk body, `/data` in a single create). Without `matchOn` a create is a plain insert and a
   * collision on the unique field is a duplicate (B7, SK3); with it, an item matching exactly one record
   * updates that record with the given attributes (B8–B10). The same unique value twice in one request
   * is 400 either way (B14 is unknown; strict). Answers the records in request order.
   */
  create(object: ObjectType, items: unknown[], pointers: string[], matchOn?: string): StoredRecord[] {
    const model = this.models[object];
    if (matchOn !== undefined && matchOn !== model.unique) {
      throw HttpError.of(
        400,
        'Bad request',
        `match_on must be the ${object}'s unique field '${model.unique}'; got '${matchOn}' (B8, B11)`,
        { pointer: '/match_on' },
      );
    }
    const problems: Problem[] = [];
    const valid: ValidItem[] = [];
    items.forEach((raw, index) => {
      const pointer = pointers[index]!;
      const checked = this.checkItem(model, raw, pointer);
      if (checked.problems.length > 0) problems.push(...checked.problems);
      else valid.push({ pointer, attributes: checked.attributes });
    });
    const { plans, problems: collisions } = this.plan(model, valid, matchOn !== undefined);
    rejectIfAny([...problems, ...collisions]);
    return plans.map((plan) => {
      if (plan.kind === 'insert') return this.store.insert(object, plan.attributes);
      const existing = this.store.get(object, plan.id)!;
      return this.store.replace(object, plan.id, { ...existing.attributes, ...plan.attributes });
    });
  }

  /** U1: only the given attributes change, under the same rules as create. */
  update(object: ObjectType, id: string, raw: unknown): StoredRecord {
    const existing = this.find(object, id);
    const model = this.models[object];
    const envelope = checkEnvelope(raw, object, '/data', existing.id);
    if (!envelope.attributes) return reject(envelope.problems);
    const checked = checkAttributes(model, envelope.attributes, '/data/attributes', 'update', this.ctx);
    rejectIfAny([...envelope.problems, ...checked.problems]);
    const merged = { ...existing.attributes, ...checked.attributes };
    rejectIfAny([
      ...personNameProblems(model, merged, '/data/attributes'),
      ...blankRequiredProblems(model, merged, '/data/attributes'),
    ]);
    if (model.unique in checked.attributes) {
      const at = `/data/attributes/${model.unique}`;
      const taken = uniqueKeys(model, merged).flatMap((key) => {
        const owner = this.store.ownerOf(object, key);
        return owner !== undefined && owner !== id ? [this.duplicate(model, key, owner, at)] : [];
      });
      rejectIfAny(taken);
    }
    return this.store.replace(object, id, merged);
  }

  find(object: ObjectType, id: string): StoredRecord {
    const record = this.store.get(object, id);
    if (!record) throw HttpError.of(404, 'Not found', `No ${object} record with id '${id}'`);
    return record;
  }

  dealPeople(dealId: string): string[] {
    this.find('deal', dealId);
    return this.store.peopleOf(dealId);
  }

  /** R2, R3: the given people become the deal's whole set (many-to-many: replace under every source). */
  replaceDealPeople(dealId: string, data: unknown): string[] {
    this.find('deal', dealId);
    const people = this.personIdentifiers(data);
    this.store.setPeople(dealId, [...new Set(people)]);
    return this.store.peopleOf(dealId);
  }

  /** R5: removes only the listed people; listing one that is not linked changes nothing. */
  unlinkDealPeople(dealId: string, data: unknown): void {
    this.find('deal', dealId);
    const gone = new Set(this.personIdentifiers(data));
    this.store.setPeople(
      dealId,
      this.store.peopleOf(dealId).filter((id) => !gone.has(id)),
    );
  }

  private checkItem(
    model: ObjectModel,
    raw: unknown,
    pointer: string,
  ): { attributes: Attributes; problems: Problem[] } {
    const envelope = checkEnvelope(raw, model.object, pointer);
    if (!envelope.attributes) return { attributes: {}, problems: envelope.problems };
    const at = `${pointer}/attributes`;
    const checked = checkAttributes(model, envelope.attributes, at, 'create', this.ctx);
    const problems = [...envelope.problems, ...checked.problems];
    if (problems.length === 0) {
      problems.push(
        ...personNameProblems(model, checked.attributes, at),
        ...blankRequiredProblems(model, checked.attributes, at),
      );
    }
    return { attributes: checked.attributes, problems };
  }

  /** Inserts and match_on updates for valid items, or the collisions that forbid them. */
  private plan(
    model: ObjectModel,
    items: ValidItem[],
    matching: boolean,
  ): { plans: Plan[]; problems: Problem[] } {
    const object = model.object;
    const label = UNIQUE_LABEL[object];
    const claimed = new Map<string, string>();
    const targeted = new Map<string, string>();
    const plans: Plan[] = [];
    const problems: Problem[] = [];
    for (const item of items) {
      const at = `${item.pointer}/attributes/${model.unique}`;
      const keys = uniqueKeys(model, item.attributes);
      const repeated = keys.find((key) => claimed.has(key));
      if (repeated !== undefined) {
        problems.push({
          status: 400,
          title: 'Duplicate record',
          detail: `Duplicate record: ${label} '${repeated}' appears twice in this request (also at ${claimed.get(repeated)})`,
          pointer: at,
        });
        continue;
      }
      for (const key of keys) claimed.set(key, item.pointer);
      const owners = [...new Set(keys.flatMap((key) => this.store.ownerOf(object, key) ?? []))];
      if (owners.length === 0) {
        plans.push({ kind: 'insert', attributes: item.attributes });
      } else if (!matching) {
        problems.push(
          this.duplicate(model, keys.find((key) => this.store.ownerOf(object, key))!, owners[0]!, at),
        );
      } else if (owners.length > 1) {
        problems.push({
          status: this.duplicateStatus,
          title: 'Duplicate record',
          detail: `Duplicate record: the ${label}s of this ${object} already exist on ${owners.length} records (${owners.join(', ')}); match_on updates only when exactly one matches (B10)`,
          pointer: at,
        });
      } else if (targeted.has(owners[0]!)) {
        problems.push({
          status: 400,
          title: 'Duplicate record',
          detail: `Duplicate record: matches the same ${object} ${owners[0]} as ${targeted.get(owners[0]!)} in this request`,
          pointer: at,
        });
      } else {
        targeted.set(owners[0]!, item.pointer);
        plans.push({ kind: 'update', id: owners[0]!, attributes: item.attributes });
      }
    }
    return { plans, problems };
  }

  private duplicate(model: ObjectModel, key: string, owner: string, pointer: string): Problem {
    const label = UNIQUE_LABEL[model.object];
    const hint = model.object === 'deal' ? '' : `; send "match_on": "${model.unique}" to update it instead`;
    return {
      status: this.duplicateStatus,
      title: 'Duplicate record',
      detail: `Duplicate record found for ${label} '${key}': a ${model.object} with it already exists (${owner})${hint}`,
      pointer,
    };
  }

  /** R2: `[{"id", "type": "person"}, ...]`, every person existing. */
  private personIdentifiers(data: unknown): string[] {
    if (!Array.isArray(data)) {
      throw HttpError.of(400, 'Bad request', 'data must be an array of {"id", "type"} resource identifiers', {
        pointer: '/data',
      });
    }
    const problems: Problem[] = [];
    const ids = data.flatMap((entry, index): string[] => {
      const pointer = `/data/${index}`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        problems.push(invalid(pointer, 'must be a resource identifier like {"id": "...", "type": "person"}'));
        return [];
      }
      const { id, type, ...rest } = entry as Record<string, unknown>;
      for (const key of Object.keys(rest)) {
        problems.push(
          invalid(`${pointer}/${escapePointer(key)}`, `'${key}' is not a member of a resource identifier`),
        );
      }
      if (type !== 'person') {
        problems.push(typeMismatch(type, 'person', `${pointer}/type`));
      }
      if (typeof id !== 'string') {
        problems.push(invalid(`${pointer}/id`, 'id must be a person id'));
      } else if (!this.store.has('person', id)) {
        problems.push({
          status: 422,
          title: 'Unknown person',
          detail: `person '${id}' does not exist`,
          pointer: `${pointer}/id`,
        });
      } else {
        return [id];
      }
      return [];
    });
    rejectIfAny(problems);
    return ids;
  }
}

/**
 * One resource object `{"type", "attributes"}` (B1, B3) or, on update, `{"type", "id"?, "attributes"}`
 * (U1). An `id` in a create is 422 (B2); a type other than the endpoint's, or another record's id, is 409
 * (JSON:API).
 */
function checkEnvelope(
  raw: unknown,
  object: ObjectType,
  pointer: string,
  updating?: string,
): { attributes?: Attributes; problems: Problem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      problems: [invalid(pointer, 'must be a resource object like {"type": "...", "attributes": {...}}')],
    };
  }
  const problems: Problem[] = [];
  const { type, id, attributes, ...rest } = raw as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    problems.push(
      invalid(`${pointer}/${escapePointer(key)}`, `'${key}' is not a member of a resource object`),
    );
  }
  if (type === undefined) problems.push(invalid(`${pointer}/type`, 'type is required'));
  else if (type !== object) problems.push(typeMismatch(type, object, `${pointer}/type`));
  if (id !== undefined) {
    if (updating === undefined) {
      problems.push(
        invalid(
          `${pointer}/id`,
          'id is assigned by the API; remove it from create requests (B2)',
          'Id not allowed',
        ),
      );
    } else if (id !== updating) {
      problems.push({
        status: 409,
        title: 'Id mismatch',
        detail: `id must be '${updating}' (the record in the path) or absent`,
        pointer: `${pointer}/id`,
      });
    }
  }
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    problems.push(invalid(`${pointer}/attributes`, 'attributes must be an object'));
    return { problems };
  }
  return { attributes: attributes as Attributes, problems };
}

const typeMismatch = (type: unknown, expected: string, pointer: string): Problem => ({
  status: 409,
  title: 'Type mismatch',
  detail: `type ${JSON.stringify(type)} does not match the endpoint's type '${expected}'`,
  pointer,
});

function reject(problems: Problem[]): never {
  throw new HttpError(statusOf(problems), problems);
}

function rejectIfAny(problems: Problem[]): void {
  if (problems.length > 0) reject(problems);
}
