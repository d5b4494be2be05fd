import type { Entity, SourceRow } from '#domain/entities.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';

/**
 * Buffers items per group and writes them as numbered NDJSON parts, none holding more than `size`.
 * Numbering carries on from `parts` (what earlier invocations wrote), so an invocation that is run again
 * from the same place writes the same keys again instead of adding to them.
 */
export class PartWriter<T> {
  private readonly buffers = new Map<string, T[]>();
  readonly parts: Record<string, number>;

  constructor(
    private readonly store: ObjectStore,
    private readonly keyOf: (group: string, part: number) => string,
    private readonly groupOf: (item: T) => string,
    private readonly size: number,
    parts: Record<string, number> = {},
  ) {
    this.parts = { ...parts };
  }

  /** Adds an item, writing its group's part once full. */
  async add(item: T): Promise<void> {
    if (this.push(item) >= this.size) await this.flush(this.groupOf(item));
  }

  /** Adds an item without writing (callers that cannot wait); `flushFull` writes it later. */
  push(item: T): number {
    const group = this.groupOf(item);
    const buffer = this.buffers.get(group) ?? [];
    buffer.push(item);
    this.buffers.set(group, buffer);
    return buffer.length;
  }

  async flushFull(): Promise<void> {
    for (const [group, buffer] of this.buffers) if (buffer.length >= this.size) await this.flush(group);
  }

  /** Writes every part still buffered, full or not. */
  async close(): Promise<void> {
    for (const group of this.buffers.keys()) await this.flush(group);
  }

  private async flush(group: string): Promise<void> {
    const buffer = this.buffers.get(group);
    if (!buffer?.length) return;
    const part = this.parts[group] ?? 0;
    await this.store.putNdjson(this.keyOf(group, part), buffer);
    this.parts[group] = part + 1;
    this.buffers.set(group, []);
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
