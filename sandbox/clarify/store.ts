import { IdFactory, type ObjectType } from './ids.ts';

/**
 * The workspace's records in creation order, with the uniqueness indexes Clarify enforces (person
 * emails, company domains, compared lower-case) and each deal's set of people. It trusts its caller:
 * validation happens before anything reaches it, so a batch is written whole or not at all.
 */

export type Attributes = Record<string, unknown>;

export interface StoredRecord {
  id: string;
  type: ObjectType;
  attributes: Attributes;
}

type KeyedObject = 'company' | 'person';

/** The match keys a record claims: lower-cased emails for people, domains for companies. */
export function uniqueKeys(object: ObjectType, attributes: Attributes): string[] {
  const member = object === 'person' ? 'email_addresses' : object === 'company' ? 'domains' : undefined;
  if (!member) return [];
  const list = (attributes[member] as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(list)) return [];
  return [
    ...new Set(list.filter((item): item is string => typeof item === 'string').map((v) => v.toLowerCase())),
  ];
}

const copy = (record: StoredRecord): StoredRecord => structuredClone(record);

export class ClarifyStore {
  private readonly records: Record<ObjectType, Map<string, StoredRecord>> = {
    company: new Map(),
    person: new Map(),
    deal: new Map(),
  };
  private readonly owners: Record<KeyedObject, Map<string, string>> = {
    company: new Map(),
    person: new Map(),
  };
  private readonly people = new Map<string, string[]>();

  constructor(private readonly ids: IdFactory = new IdFactory()) {}

  list(object: ObjectType): StoredRecord[] {
    return [...this.records[object].values()].map(copy);
  }

  get(object: ObjectType, id: string): StoredRecord | undefined {
    const record = this.records[object].get(id);
    return record && copy(record);
  }

  has(object: ObjectType, id: string): boolean {
    return this.records[object].has(id);
  }

  /** Id of the record that holds this email/domain, if any. */
  ownerOf(object: ObjectType, key: string): string | undefined {
    return object === 'deal' ? undefined : this.owners[object].get(key);
  }

  insert(object: ObjectType, batch: Attributes[]): StoredRecord[] {
    return batch.map((attributes) => {
      const record: StoredRecord = {
        id: this.ids.next(object),
        type: object,
        attributes: structuredClone(attributes),
      };
      this.records[object].set(record.id, record);
      this.index(record);
      if (object === 'deal') this.people.set(record.id, []);
      return copy(record);
    });
  }

  /** Replaces a record's attributes (already merged by the caller). */
  replace(object: ObjectType, id: string, attributes: Attributes): StoredRecord {
    const record = this.records[object].get(id);
    if (!record) throw new Error(`replace: no ${object} ${id}`);
    this.unindex(record);
    record.attributes = structuredClone(attributes);
    this.index(record);
    return copy(record);
  }

  peopleOf(dealId: string): string[] {
    return [...(this.people.get(dealId) ?? [])];
  }

  setPeople(dealId: string, personIds: string[]): void {
    this.people.set(dealId, [...personIds]);
  }

  private index(record: StoredRecord): void {
    if (record.type === 'deal') return;
    for (const key of uniqueKeys(record.type, record.attributes))
      this.owners[record.type].set(key, record.id);
  }

  private unindex(record: StoredRecord): void {
    if (record.type === 'deal') return;
    for (const key of uniqueKeys(record.type, record.attributes)) this.owners[record.type].delete(key);
  }
}
