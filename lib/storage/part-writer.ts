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
 * Each item becomes its JSON line, in UTF-8 outside the JS heap, as it is added: what waits for its part
 * to fill is bytes, not objects or strings, so split's rows die young instead of being promoted to the
 * old generation. An item must not change once added (what is written is the item as it was then).
 */
export class PartWriter<T> {
  private readonly buffers = new Map<string, PartBytes>();
  /**
   * Buffers of parts already written, to fill again: a fresh one a part would be promoted while its write
   * goes on, and its memory given back only at the next full collection.
   */
  private readonly spare: Buffer<ArrayBuffer>[] = [];
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

  /**
   * Adds an item and, once its part is full, starts writing it, without waiting: the part holds the same
   * items as with `add`. A caller that adds rows one at a time need not await each one; it awaits
   * `settle` when `mustSettle` says a write is to be waited for.
   */
  put(item: T): void {
    this.rethrow();
    if (this.push(item) >= this.size) this.start(this.groupOf(item));
  }

  /**
   * Whether there is something to wait for (too many writes going on, or a part `push` filled and
   * `flushFull` is to write) or a failure to throw.
   */
  get mustSettle(): boolean {
    if (this.failed !== undefined || this.writing.size >= this.inFlight) return true;
    for (const buffer of this.buffers.values()) if (buffer.count >= this.size) return true;
    return false;
  }

  /** Waits while too many writes are going on; throws a write's failure. */
  async settle(): Promise<void> {
    while (this.writing.size >= this.inFlight) await Promise.race(this.writing);
    this.rethrow();
  }

  /** Adds an item without writing (callers that cannot wait); `flushFull` writes it later. */
  push(item: T): number {
    const group = this.groupOf(item);
    let buffer = this.buffers.get(group);
    if (!buffer) {
      buffer = new PartBytes(this.spare.pop());
      this.buffers.set(group, buffer);
    }
    return buffer.add(JSON.stringify(item));
  }

  async flushFull(): Promise<void> {
    for (const [group, buffer] of this.buffers) if (buffer.count >= this.size) await this.flush(group);
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
    this.start(group);
    while (this.writing.size >= this.inFlight) await Promise.race(this.writing);
    this.rethrow();
  }

  /** Starts the group's part on its way (when it holds anything). */
  private start(group: string): void {
    const buffer = this.buffers.get(group);
    if (!buffer?.count) return;
    const part = this.parts[group] ?? 0;
    this.parts[group] = part + 1;
    this.buffers.delete(group);
    // The same object as ObjectStore.putNdjson writes: one JSON line an item, each ending in a newline.
    const write: Promise<void> = this.store
      .putBytes(this.keyOf(group, part), buffer.bytes(), NDJSON)
      // Once S3 has answered, nothing reads the body any more (a failed write's is left alone).
      .then(() => {
        if (this.spare.length < this.inFlight) this.spare.push(buffer.buffer);
      })
      .catch((error: unknown) => {
        // Kept for the next call to throw: nothing may go on as if the part had been written.
        this.failed ??= { error };
      })
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  private rethrow(): void {
    if (this.failed) throw this.failed.error;
  }
}

const NDJSON = 'application/x-ndjson';
const NEWLINE = 0x0a;

/** A part's lines as UTF-8, outside the JS heap: the collector neither scans nor promotes them. */
class PartBytes {
  buffer: Buffer<ArrayBuffer>;
  private used = 0;
  count = 0;

  constructor(buffer = Buffer.allocUnsafe(64 * 1024)) {
    this.buffer = buffer;
  }

  /** Adds one JSON text and its newline (written apart: the two joined were a copy of the line). */
  add(json: string): number {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8, and the newline one.
    const most = json.length * 3 + 1;
    if (this.used + most > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + most));
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    this.used += this.buffer.write(json, this.used, 'utf8');
    this.buffer[this.used] = NEWLINE;
    this.used += 1;
    this.count += 1;
    return this.count;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
}

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
