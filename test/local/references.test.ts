import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome, WindowLedger } from '#domain/outcomes.ts';
import { type Reference, type ReferenceManifest, referenceOf } from '#domain/references.ts';
import { type LocalS3, startLocalS3 } from '#runtime/s3-server.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { JobStore } from '#storage/job-store.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';

const JOB = 'refs-job';
const keys = jobKeys(JOB);

/** One company per window, as ActuallyCare sends them: a stage of 1,500 rows is 1,500 ledger objects. */
const company = (n: number): Outcome => ({
  entity: 'company',
  file: 'companies.csv',
  line: n + 2,
  status: n % 100 === 7 ? 'failed' : 'created',
  ...(n % 100 === 7
    ? { code: 'REJECTED', message: 'name is required', retryable: false }
    : { id: `com_${n}`, message: 'created' }),
  keys: [`ref:C-${n}`, `name:company ${n}`],
  raw: { 'Company ID': `C-${n}`, Name: `Company ${n}`, Notes: 'x'.repeat(100) },
});

/** The window of company `n`, one company a window, in parts of `perPart` windows. */
const windowOf = (n: number, perPart: number): WindowLedger => ({
  entity: 'company',
  part: Math.floor(n / perPart),
  start: n % perPart,
  end: (n % perPart) + 1,
  outcomes: [company(n)],
  attempts: 0,
});

const loadOutcomes = async (store: ObjectStore, job: string, entity: 'company') => {
  const outcomes: Outcome[] = [];
  await new JobStore(store, job).forEachOutcome(entity, (o) => outcomes.push(o));
  return outcomes;
};

const loadIndex = async (store: ObjectStore, job: string, entity: 'person') => {
  const records: unknown[] = [];
  await new JobStore(store, job).forEachExisting(entity, (record) => records.push(record));
  return records;
};

describe('A finished stage compacted into references', () => {
  let dir: string;
  let s3: LocalS3;
  let store: ObjectStore;
  let reads = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-import-refs-'));
    s3 = await startLocalS3({ directory: dir, bucket: 'refs' });
    const client = createS3Client({ endpoint: s3.endpoint });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand' || context.commandName === 'ListObjectsCommand')
          reads += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    store = new ObjectStore(client, 'refs');
    const ledgers: Promise<void>[] = [];
    for (let n = 0; n < 1_500; n++) {
      const ledger = windowOf(n, 1_000);
      ledgers.push(store.putJson(keys.ledger('company', ledger.part, ledger.start), ledger));
      if (ledgers.length === 50) await Promise.all(ledgers.splice(0));
    }
    // A window whose request is still out holds no settled row yet.
    ledgers.push(
      store.putJson(keys.ledger('company', 1, 500), {
        entity: 'company',
        part: 1,
        start: 500,
        end: 501,
        outcomes: [null],
        attempts: 0,
        sending: [0],
      } satisfies WindowLedger),
    );
    await Promise.all(ledgers);
  });

  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the ledger in order, many objects at once, and keeps only settled rows', async () => {
    const outcomes = await loadOutcomes(store, JOB, 'company');

    expect(outcomes.map((o) => o.line)).toEqual(Array.from({ length: 1_500 }, (_, n) => n + 2));
  });

  it('stops for time after a part and resumes after the last ledger it holds', async () => {
    // Act: the first Task is out of time once it has written a part; the second finishes.
    const first = await new JobStore(store, JOB).compactReferences('company', () => true, 600);
    const stopped = await store.findJson<ReferenceManifest>(keys.references('company'));
    const second = await new JobStore(store, JOB).compactReferences('company', () => false, 600);
    const manifest = await store.findJson<ReferenceManifest>(keys.references('company'));

    // Assess
    expect(first).toBe(false);
    expect(stopped).toEqual({
      parts: 1,
      count: 600,
      after: keys.ledger('company', 0, 599),
      complete: false,
    });
    expect(second).toBe(true);
    expect(manifest).toEqual({
      parts: 3,
      count: 1_500,
      after: keys.ledger('company', 1, 500),
      complete: true,
    });
    const compacted: Reference[] = [];
    await new JobStore(store, JOB).forEachReference('company', (r) => compacted.push(r));
    const expected = (await loadOutcomes(store, JOB, 'company')).map(referenceOf);
    expect(compacted).toEqual(expected);
    // No columns and no success messages: only what resolving a reference needs.
    expect(compacted[0]).toEqual({
      entity: 'company',
      file: 'companies.csv',
      line: 2,
      status: 'created',
      id: 'com_0',
      keys: ['ref:C-0', 'name:company 0'],
    });
    expect(compacted[7]).toMatchObject({ status: 'failed', message: 'name is required' });
    expect(await new JobStore(store, JOB).compactReferences('company', () => false, 600)).toBe(true);
  });

  it('resolves later stages from the parts: a few reads, not one per ledger object', async () => {
    await new JobStore(store, JOB).compactReferences('company', () => false);
    reads = 0;

    const refs = await new JobStore(store, JOB).references('company');

    expect(refs.resolve('C-1234')).toEqual({ kind: 'found', id: 'com_1234' });
    expect(refs.resolve('Company 1207')).toMatchObject({
      kind: 'unavailable',
      by: { line: 1209, status: 'failed', message: 'name is required' },
    });
    // plan.json (no lineage), the manifest and its 3 parts; the target's snapshot (none here): its count
    // and a listing.
    expect(reads).toBe(7);
  });

  it("reads the target's snapshot from its compacted parts once dedupe has counted it", async () => {
    // Prepare: 12 pages of 100 records, as the API hands them over.
    const job = 'index-job';
    const index = jobKeys(job);
    const record = (n: number) => ({ id: `per_${n}`, keys: [`email:p${n}@acme.com`] });
    await Promise.all(
      Array.from({ length: 12 }, (_, page) =>
        store.putNdjson(
          index.indexPage('person', page),
          Array.from({ length: 100 }, (_, i) => record(page * 100 + i)),
        ),
      ),
    );
    const pages = await loadIndex(store, job, 'person');

    // Act
    const parts = await new JobStore(store, job).compactSnapshot('person', 500);
    await store.putJson(index.indexCount('person'), { count: 1_200, parts });
    for (let page = 0; page < 12; page++) await store.delete(index.indexPage('person', page));
    reads = 0;
    const compacted = await loadIndex(store, job, 'person');

    // Assess: the same records in the same order, from the count and 3 parts.
    expect(parts).toBe(3);
    expect(pages).toEqual(Array.from({ length: 1_200 }, (_, n) => record(n)));
    expect(compacted).toEqual(pages);
    expect(reads).toBe(4);
  });

  it('compacts what the same Task wrote without reading its ledgers back, and the same as read back', async () => {
    // Prepare: one Task writes a stage of 300 windows through its JobStore
    const job = 'written-job';
    const writer = new JobStore(store, job);
    for (let n = 0; n < 300; n++) await writer.putLedger(windowOf(n, 100));
    reads = 0;

    // Act
    expect(await writer.compactReferences('company', () => false)).toBe(true);

    // Assess: the manifest (none yet) and one listing of the ledger; what it wrote is what a later Task reads
    expect(reads).toBe(2);
    const compacted: Reference[] = [];
    await new JobStore(store, job).forEachReference('company', (r) => compacted.push(r));
    expect(compacted).toEqual((await loadOutcomes(store, job, 'company')).map(referenceOf));
    expect(compacted).toHaveLength(300);
  });
});
