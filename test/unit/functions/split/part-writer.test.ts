import { describe, expect, it } from 'vitest';
import { type ObjectStore, parseNdjson } from '#storage/object-store.ts';
import { PartWriter } from '#storage/part-writer.ts';

/**
 * A store whose puts finish only when the test says, so writes can be caught in flight. Like S3, it reads
 * a body while its request is going on: what it keeps is the body as it is when the write finishes.
 */
class SlowStore {
  readonly started: string[] = [];
  readonly written = new Map<string, unknown[]>();
  private readonly pending: { key: string; body: Uint8Array; settle: (error?: Error) => void }[] = [];

  putBytes(key: string, body: Uint8Array, contentType: string): Promise<void> {
    this.started.push(key);
    expect(contentType).toBe('application/x-ndjson');
    return new Promise((resolve, reject) => {
      this.pending.push({
        key,
        body,
        settle: (error) => (error ? reject(error) : resolve()),
      });
    });
  }

  /** Finishes the oldest write still going (failing it with `error`). */
  finishOne(error?: Error): void {
    const write = this.pending.shift();
    if (!write) throw new Error('no write in flight');
    if (!error) this.written.set(write.key, parseNdjson(Buffer.from(write.body).toString('utf8')));
    write.settle(error);
  }

  get inFlight(): number {
    return this.pending.length;
  }
}

const writerOn = (store: SlowStore, parts: Record<string, number> = {}) =>
  new PartWriter<number>(
    store as unknown as ObjectStore,
    (group, part) => `${group}/${part}`,
    (n) => (n % 2 ? 'odd' : 'even'),
    2,
    parts,
    2,
  );

/** Lets every promise that can move do so. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Class: PartWriter', () => {
  it('keeps adding while a full part is still being written, up to its limit of writes in flight', async () => {
    // Prepare
    const store = new SlowStore();
    const writer = writerOn(store);

    // Act
    for (const n of [0, 2]) await writer.add(n);
    const third = writer.add(4).then(() => writer.add(6));
    let blocked = true;
    void third.then(() => {
      blocked = false;
    });
    await settled();

    // Assess
    expect(store.started).toEqual(['even/0', 'even/1']);
    expect(blocked).toBe(true);
    store.finishOne();
    await third;
    expect(store.inFlight).toBe(1);
  });

  it('waits in close for every write, and numbers parts from where an earlier invocation stopped', async () => {
    // Prepare
    const store = new SlowStore();
    const writer = writerOn(store, { odd: 3 });
    for (const n of [1, 3, 5]) await writer.add(n);

    // Act
    let closed = false;
    const closing = writer.close().then(() => {
      closed = true;
    });
    await settled();
    const beforeLast = closed;
    while (store.inFlight) {
      store.finishOne();
      await settled();
    }
    await closing;

    // Assess
    expect(beforeLast).toBe(false);
    expect(closed).toBe(true);
    expect(writer.parts).toEqual({ odd: 5 });
    expect(Object.fromEntries(store.written)).toEqual({ 'odd/3': [1, 3], 'odd/4': [5] });
  });

  it('fails the next call, and close, when a write in flight failed', async () => {
    // Prepare
    const store = new SlowStore();
    const writer = writerOn(store);
    for (const n of [0, 2]) await writer.add(n);

    // Act
    store.finishOne(new Error('S3 is down'));
    await settled();

    // Assess
    await expect(writer.add(4)).rejects.toThrow('S3 is down');
    await expect(writer.close()).rejects.toThrow('S3 is down');
  });

  it('writes each part as the NDJSON ObjectStore.putNdjson writes: a line an item, each ending in a newline', async () => {
    // Prepare
    const bodies = new Map<string, string>();
    const store = {
      putBytes: async (key: string, body: Uint8Array, contentType: string) => {
        bodies.set(key, `${contentType} ${Buffer.from(body).toString('utf8')}`);
      },
    } as unknown as ObjectStore;
    const writer = new PartWriter<{ n: number; name: string }>(
      store,
      (g, p) => `${g}/${p}`,
      () => 'all',
      2,
    );

    // Act
    for (const n of [1, 2, 3]) await writer.add({ n, name: `Zoë "${n}"` });
    await writer.close();

    // Assess
    expect(Object.fromEntries(bodies)).toEqual({
      'all/0': 'application/x-ndjson {"n":1,"name":"Zoë \\"1\\""}\n{"n":2,"name":"Zoë \\"2\\""}\n',
      'all/1': 'application/x-ndjson {"n":3,"name":"Zoë \\"3\\""}\n',
    });
  });

  it('fills a buffer again only once the write that sent it has finished', async () => {
    // Prepare
    const store = new SlowStore();
    const writer = writerOn(store);

    // Act: parts of two, each write finished only when the writer waits for one (two in flight at most)
    for (let n = 0; n < 16; n += 2) {
      let added = false;
      const adding = writer.add(n).then(() => {
        added = true;
      });
      await settled();
      if (!added) store.finishOne();
      await adding;
    }
    const closing = writer.close();
    while (store.inFlight) {
      store.finishOne();
      await settled();
    }
    await closing;

    // Assess
    expect(Object.fromEntries(store.written)).toEqual({
      'even/0': [0, 2],
      'even/1': [4, 6],
      'even/2': [8, 10],
      'even/3': [12, 14],
    });
  });
});
