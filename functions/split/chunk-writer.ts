import type { Entity, SourceRow } from '#domain/entities.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';

/** Buffers rows per entity and writes them as numbered NDJSON chunks, so no chunk holds more than `size`. */
export class ChunkWriter {
  private readonly buffers = new Map<Entity, SourceRow[]>();
  readonly parts: Partial<Record<Entity, number>> = {};
  private readonly keys;

  constructor(
    private readonly store: ObjectStore,
    jobId: string,
    private readonly size: number,
  ) {
    this.keys = jobKeys(jobId);
  }

  async add(row: SourceRow): Promise<void> {
    const buffer = this.buffers.get(row.entity) ?? [];
    buffer.push(row);
    this.buffers.set(row.entity, buffer);
    if (buffer.length >= this.size) await this.flush(row.entity);
  }

  private async flush(entity: Entity): Promise<void> {
    const buffer = this.buffers.get(entity);
    if (!buffer?.length) return;
    const part = this.parts[entity] ?? 0;
    await this.store.putNdjson(this.keys.chunk(entity, part), buffer);
    this.parts[entity] = part + 1;
    this.buffers.set(entity, []);
  }

  async close(): Promise<void> {
    for (const entity of this.buffers.keys()) await this.flush(entity);
  }
}
