import { randomUUID } from 'node:crypto';

/** Objects the sandbox simulates; anything else under `/objects/` is 404 (ER7). */
export type ObjectType = 'company' | 'person' | 'deal';

export const OBJECT_TYPES: readonly ObjectType[] = ['company', 'person', 'deal'];

export const isObjectType = (value: string): value is ObjectType =>
  (OBJECT_TYPES as readonly string[]).includes(value);

/**
 * Record ids are UUIDs, as in the recorded live data (F14; the vercel docs' `per_…`/`com_…` style is
 * older). Uniqueness is checked across all objects, so an id never names two records.
 */
export class IdFactory {
  private readonly issued = new Set<string>();

  /** An id issued before (a record kept on disk): never issued again. */
  reserve(id: string): void {
    this.issued.add(id);
  }

  next(): string {
    for (;;) {
      const id = randomUUID();
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}
