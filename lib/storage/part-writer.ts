import type { Entity, SourceRow } from '#domain/entities.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';

/** Part writes kept going at once: parsing carries on while S3 takes the last few parts. */
const WRITES_IN_FLIGHT = 4;

/**
 * Buffers items per group and writes them as numbered NDJSON parts, none holding more than `size`.
 * Numbering carries on from `parts` (what earlier invocations wrote), so an invocation that is run again
 * from the same place writes the same keys again instead of adding to them. A few writes go on while
 * items are still added; `close` waits for all of them, and a write that failed fails the next call.
 *
 * Each item becomes its JSON line as it is added, so what waits for its part to fill is one string, not
 * an object graph: split's rows then die young instead of being promoted to the old generation.
 * An item must not change once added (what is written is the item as it was then).
 */
export class PartWriter<T> {
  private readonly buffers = new Map<string, string[]>();
  private readonly writing = new Set<Promise<void>>();
  private failed: { error: unknown } | undefined;
  readonly parts: Record<string, number>;

  constructor(
    private readonly store: ObjectStore,
    private readonly keyOf: (group: string, part: number) => string,
    private readonly groupOf: (item: T) => string,
    private readonly size: number,
    parts: Record<string, number> = {},
    private readonly inFlight = WRITES_IN_FLIGHT,
  ) {
    this.parts = { ...parts };
  }

  /** Adds an item, writing its group's part once full. */
  async add(item: T): Promise<void> {
    this.rethrow();
    if (this.push(item) >= this.size) await this.flush(this.groupOf(item));
  }

  /** Adds an item without writing (callers that cannot wait); `flushFull` writes it later. */
  push(item: T): number {
    const group = this.groupOf(item);
    const line = `${JSON.stringify(item)}\n`;
    const buffer = this.buffers.get(group);
    if (buffer) return buffer.push(line);
    this.buffers.set(group, [line]);
    return 1;
  }

  async flushFull(): Promise<void> {
    for (const [group, buffer] of this.buffers) if (buffer.length >= this.size) await this.flush(group);
    this.rethrow();
  }

  /** Writes every part still buffered, full or not, and waits until every write has finished. */
  async close(): Promise<void> {
    for (const group of this.buffers.keys()) await this.flush(group);
    while (this.writing.size) await Promise.all(this.writing);
    this.rethrow();
  }

  /** Starts the group's part on its way; waits only while too many writes are still going. */
  private async flush(group: string): Promise<void> {
    this.rethrow();
    const buffer = this.buffers.get(group);
    if (!buffer?.length) return;
    const part = this.parts[group] ?? 0;
    this.parts[group] = part + 1;
    this.buffers.set(group, []);
    // The same bytes as ObjectStore.putNdjson: one JSON line an item, each ending in a newline.
    const write: Promise<void> = this.store
      .putText(this.keyOf(group, part), buffer.join(''), NDJSON)
      .catch((error: unknown) => {
        // Kept for the next call to throw: nothing may go on as if the part had been written.
        this.failed ??= { error };
      })
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
    while (this.writing.size >= this.inFlight) await Promise.race(this.writing);
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failed) throw this.failed.error;
  }
}

const NDJSON = 'application/x-ndjson';

/** A job's rows, per entity, in chunks of `size` that the create stages take one at a time. */
export const chunkWriter = (
  store: ObjectStore,
  jobId: string,
  size: number,
  parts: Partial<Record<Entity, number>> = {},
) =>
  new PartWriter<SourceRow>(
    store,
    (entity, part) => jobKeys(jobId).chunk(entity as Entity, part),
    (row) => row.entity,
    size,
    parts,
  );
