import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome, WindowLedger } from '#domain/outcomes.ts';
import { wantedKeys } from '#domain/references.ts';
import { startLocalS3 } from '#runtime/s3-server.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { JobStore } from '#storage/job-store.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';

export interface ReferenceFigures {
  records: number;
  ledgers: number;
  /** One later Task's read of the finished stage, before it is compacted (its ledger) and after. */
  fromLedger: { ms: number; requests: number };
  compacted: { ms: number; requests: number };
  /** The stage's last Task compacting it. */
  compaction: { ms: number; requests: number; parts: number };
}

/**
 * What a later stage reads of a finished one: `records` companies created in Clarify's windows of 25
 * (one ledger object per request), then loaded as the people stage loads them in every Task, from the
 * ledger and from the compacted references, for a part of 500 people, against the local S3 server.
 * Counts every S3 request.
 */
export async function measureReferences(records = 100_000, perWindow = 25): Promise<ReferenceFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-bench-refs-'));
  const s3 = await startLocalS3({ directory: dir, bucket: 'bench' });
  try {
    const client = createS3Client({ endpoint: s3.endpoint });
    let requests = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        requests += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const store = new ObjectStore(client, 'bench');
    const jobId = 'bench-references';
    const keys = jobKeys(jobId);
    const ledgers = Math.ceil(records / perWindow);
    const writes: Promise<void>[] = [];
    for (let w = 0; w < ledgers; w++) {
      const start = (w * perWindow) % 10_000;
      const part = Math.floor((w * perWindow) / 10_000);
      const ledger: WindowLedger = {
        entity: 'company',
        part,
        start,
        end: start + perWindow,
        outcomes: Array.from({ length: perWindow }, (_, i) => company(w * perWindow + i)),
        attempts: 0,
      };
      writes.push(store.putJson(keys.ledger('company', part, start), ledger));
      if (writes.length >= 16) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);

    const measure = async <T>(work: () => Promise<T>) => {
      requests = 0;
      const started = performance.now();
      const value = await work();
      return { value, ms: performance.now() - started, requests };
    };
    // A people Task plans a part of 500 rows: it keeps only the companies those rows name.
    const wanted = wantedKeys(Array.from({ length: 500 }, (_, i) => `C-${(i * 7_919) % records}`));
    const fromLedger = await measure(() => new JobStore(store, jobId).references('company', wanted));
    const compaction = await measure(() =>
      new JobStore(store, jobId).compactReferences('company', () => false),
    );
    const compacted = await measure(() => new JobStore(store, jobId).references('company', wanted));
    const manifest = await store.findJson<{ parts: number }>(keys.references('company'));
    for (const found of [fromLedger.value, compacted.value])
      if (found.resolve(`C-${7_919 % records}`).kind !== 'found')
        throw new Error('a compacted reference did not resolve');
    return {
      records,
      ledgers,
      fromLedger: { ms: fromLedger.ms, requests: fromLedger.requests },
      compacted: { ms: compacted.ms, requests: compacted.requests },
      compaction: { ms: compaction.ms, requests: compaction.requests, parts: manifest?.parts ?? 0 },
    };
  } finally {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const company = (n: number): Outcome => ({
  entity: 'company',
  file: 'companies.csv',
  line: n + 2,
  status: 'created',
  id: `com_${n}`,
  keys: [`ref:C-${n}`, `domain:company${n}.example.com`, `name:company ${n}`],
  raw: {
    'Company ID': `C-${n}`,
    Name: `Company ${n}`,
    Website: `company${n}.example.com`,
    Street: '100 Market Street',
    City: 'San Francisco',
  },
});
