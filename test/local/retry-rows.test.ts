import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '#domain/entities.ts';
import type { SplitPlan } from '#domain/plan.ts';
import type { FailureRow } from '#domain/report.ts';
import { createHandler } from '#functions/split/handler.ts';
import { localDeps } from '#runtime/local-deps.ts';
import { type LocalS3, startLocalS3 } from '#runtime/s3-server.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';

const person = (n: number): SourceRow => ({
  entity: 'person',
  file: 'people.csv',
  line: n + 2,
  ref: `P-${n}`,
  key: `email:p${n}@acme.com`,
  fields: { email: `p${n}@acme.com`, first_name: `P${n}` },
  refs: { company: 'acme.com' },
  raw: { 'Person ID': `P-${n}`, Email: `p${n}@acme.com` },
});

const link = (n: number): SourceRow => ({
  entity: 'link',
  file: 'people.csv',
  line: n + 2,
  fields: {},
  refs: { person: `P-${n}`, deal: 'D-1' },
  raw: {},
});

describe("A scheduled re-run's split", () => {
  let dir: string;
  let s3: LocalS3;
  let store: ObjectStore;
  let split: ReturnType<typeof createHandler>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-import-retry-rows-'));
    s3 = await startLocalS3({ directory: dir, bucket: 'retry' });
    const deps = localDeps(
      {
        target: 'clarify',
        baseUrl: 'http://127.0.0.1:9',
        apiKey: 'test',
        rate: { limit: 1, windowSeconds: 1 },
        config: { chunkRows: 500 },
      },
      s3.endpoint,
    );
    store = new ObjectStore(deps.s3, 'retry');
    split = createHandler(() => deps);
  });

  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rerun = (job: string) =>
    split({ jobId: `${job}-retry-1`, bucket: 'retry', source: { key: `imports/${job}.csv` }, retryOf: job });

  const chunkRows = async (job: string, entity: 'person' | 'link', parts: number) => {
    const rows: SourceRow[] = [];
    for (let part = 0; part < parts; part++)
      rows.push(...(await store.getNdjson<SourceRow>(jobKeys(job).chunk(entity, part))));
    return rows;
  };

  it("streams the rows the job's report left to re-run into chunks, without failures.json", async () => {
    // Prepare: what the report wrote, and no failures.json at all (a million of them is not read whole)
    const people = Array.from({ length: 1_234 }, (_, n) => person(n));
    const links = [link(0), link(1)];
    await store.putLines(
      jobKeys('down').retryRows,
      [...people, ...links].map((row) => `${JSON.stringify(row)}\n`),
      'application/x-ndjson',
    );
    await store.putJson(jobKeys('down').plan, {
      jobId: 'down',
      files: [],
      chunks: {},
      rows: {},
      marker: 'm-1',
    });

    // Act
    const state = await rerun('down');

    // Assess
    expect(state).toMatchObject({ done: true, counts: { person: { rows: 1_234 }, link: { rows: 2 } } });
    expect(state.progress.step).toBe('re-running 1236 rows of down');
    const plan = await store.findJson<SplitPlan>(jobKeys('down-retry-1').plan);
    expect(plan).toMatchObject({
      chunks: { person: 3, link: 1 },
      rows: { person: 1_234, link: 2 },
      marker: 'm-1',
      retryOf: 'down',
    });
    expect(await chunkRows('down-retry-1', 'person', 3)).toEqual(people);
    expect(await chunkRows('down-retry-1', 'link', 1)).toEqual(links);
  });

  it('reads the rows from failures.json when the report is older than the file of rows to re-run', async () => {
    // Prepare
    const failure = (row: SourceRow, retryable: boolean): FailureRow => ({
      entity: row.entity,
      file: row.file,
      line: row.line,
      code: retryable ? 'UPSTREAM_5XX' : 'REJECTED',
      message: 'x',
      retryable,
      raw: row.raw,
      ...(retryable ? { source: row } : {}),
    });
    await store.putJson(jobKeys('old').report.failuresJson, [
      failure(person(0), true),
      failure(person(1), false),
      failure(person(2), true),
    ]);

    // Act
    const state = await rerun('old');

    // Assess: the permanent failure waits for the user
    expect(state.counts).toMatchObject({ person: { rows: 2 } });
    expect(await chunkRows('old-retry-1', 'person', 1)).toEqual([person(0), person(2)]);
  });
});
