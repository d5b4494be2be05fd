import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '#runtime/s3-server.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';

describe('ObjectStore on the local S3 server', () => {
  let dir: string;
  let s3: LocalS3;
  let store: ObjectStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-import-store-'));
    s3 = await startLocalS3({ directory: dir, bucket: 'store' });
    store = new ObjectStore(createS3Client({ endpoint: s3.endpoint }), 'store');
  });

  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every key of a prefix past one page of 1,000, in order, and from after a key', async () => {
    // A stage of ActuallyCare rows writes one ledger object per row: a listing is often longer than a page.
    const keys = Array.from({ length: 2_345 }, (_, i) => `ledger/person/${String(i).padStart(6, '0')}.json`);
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(keys.slice(i, i + 50).map((key) => store.putText(key, '{}')));
    await store.putText('ledger/personal.json', '{}');
    await store.putText('other/000001.json', '{}');

    expect(await store.list('ledger/person/')).toEqual(keys);
    expect(await store.list('ledger/person/', keys[1_499])).toEqual(keys.slice(1_500));
    expect(await store.list('ledger/person/', keys.at(-1))).toEqual([]);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('writes text made a line at a time, in several parts when it is large', async () => {
    // Prepare: about 12 MB, more than one 8 MiB part.
    const lines = function* () {
      for (let i = 0; i < 120_000; i++) yield `${String(i).padStart(8, '0')},${'x'.repeat(90)}\r\n`;
    };

    // Act
    await store.putLines('reports/big/failures.csv', lines(), 'text/csv; charset=utf-8');
    await store.putLines('reports/small/failures.csv', ['a,b\r\n'], 'text/csv; charset=utf-8');

    // Assess
    expect(await store.getText('reports/big/failures.csv')).toBe([...lines()].join(''));
    expect(await store.getText('reports/small/failures.csv')).toBe('a,b\r\n');
  });

  it('writes an empty object when there are no lines', async () => {
    await store.putText('jobs/a/retry-rows.ndjson', '{"stale":true}\n');

    await store.putLines('jobs/a/retry-rows.ndjson', [], 'application/x-ndjson');

    expect(await store.getText('jobs/a/retry-rows.ndjson')).toBe('');
  });

  it('reads NDJSON an item at a time, across chunks and past blank and CRLF-ended lines', async () => {
    // Prepare: about 12 MB, read as many chunks of the response body.
    const items = Array.from({ length: 100_000 }, (_, i) => ({ n: i, text: `row ${i} ${'x'.repeat(100)}` }));
    const lines = function* () {
      for (const [i, item] of items.entries())
        yield `${JSON.stringify(item)}${i % 1000 === 0 ? '\r\n\n' : '\n'}`;
    };
    await store.putLines('jobs/b/rows.ndjson', lines(), 'application/x-ndjson');

    // Act
    const read: unknown[] = [];
    for await (const item of store.ndjsonItems('jobs/b/rows.ndjson')) read.push(item);

    // Assess
    expect(read).toEqual(items);
  });
});
