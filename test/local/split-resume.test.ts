import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entity, MergedRow, SourceRow } from '#domain/entities.ts';
import type { ExecutionInput, JobState } from '#domain/job-state.ts';
import type { SplitPlan } from '#domain/plan.ts';
import type { PipelineDeps } from '#functions/commons/pipeline.ts';
import { createHandler } from '#functions/split/handler.ts';
import { type LocalS3, startLocalS3 } from '#runtime/s3-server.ts';
import { Coordinator } from '#storage/coordinator.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { JobStore } from '#storage/job-store.ts';
import { ObjectStore } from '#storage/object-store.ts';
import { createS3Client } from '#storage/s3-client.ts';

const FOLDER = 'imports/big-job';

/** Companies in UTF-8 with a BOM; one without a website waits for its people's domain. */
const companies = `\uFEFFCompany ID,Company Name,Website\r\nc1,Acme,acme.com\r\nc2,Harbor & Pine,\r\nc3,Bluebird,bluebird.io\r\nc7,ACME Inc,https://www.acme.com\r\n`;

/** People in Windows-1252: accents only past the first stops, a duplicate of a row read earlier, bad rows. */
const people = Buffer.from(
  [
    'Person ID,First Name,Last Name,Email,Company ID,Phone,Notes',
    'p1,Ava,Okafor,ava@acme.com,c1,,',
    'p2,Maya,Lind,maya@harborpine.law,c2,,',
    '',
    'p3,Omar,Haddad,omar@harborpine.law,c2,,"two\r\nlines"',
    'p4,Tom,Berg,tom@acme.com,c7,,',
    'p5,Zoé,Müller,zoe@bluebird.io,c3,,',
    'p6,Ann,,not-an-email,c3,,',
    'p7,Ava,Okafor,AVA@acme.com,c7,+1 415 555 0100,',
    'p8,Björn,Åberg,bjorn@bluebird.io,c3,,,shifted',
    'p9,,,,,,',
    'p10,Lea,Roux,lea@acme.com,c7,,',
    ',,,,,,',
    'p11,Ida,Berg,"ida@acme.com,c1,,',
  ].join('\r\n'),
  'latin1',
);

/** Deals in UTF-16 LE with a BOM. */
const deals = Buffer.from(
  '\uFEFFDeal ID,Deal Name,Amount,Stage,Company ID\r\nd1,Acme renewal,5000,Prospecting,c7\r\nd2,Bluebird pilot,900,Proposal,c3\r\nd1,Acme renewal,,Prospecting,c1\r\n',
  'utf16le',
);

/** More people, UTF-8 with a Windows-1252 line: read line by line, and bytes no longer measure text. */
const morePeople = Buffer.concat([
  Buffer.from('First Name,Last Name,Email\nZoë,Roux,zoe.roux@acme.com\nKai,Lee,kai@acme.com\n'),
  Buffer.from([0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]),
  Buffer.from(',Dupont,jerome@acme.com\nAva,Okafor,ava@acme.com\nSam,Wu,sam@bluebird.io\n'),
]);

const manifest = {
  files: [
    { file: 'people.csv', entity: 'person' },
    { file: 'more-people.csv', entity: 'person' },
    { file: 'deals.csv', entity: 'deal' },
    { file: 'companies.csv', entity: 'company' },
  ],
};

interface SplitOutput {
  rows: Partial<Record<Entity, SourceRow[]>>;
  merges: MergedRow[];
  failures: unknown[];
  plan: Omit<SplitPlan, 'jobId' | 'chunks' | 'mergeParts' | 'failureParts'>;
  counts: JobState['counts'];
  invocations: number;
}

describe('Function: split, stopped and resumed', () => {
  let s3: LocalS3;
  let store: ObjectStore;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-import-split-'));
    s3 = await startLocalS3({ directory: dir, bucket: 'imports' });
    store = new ObjectStore(createS3Client({ endpoint: s3.endpoint }), s3.bucket);
    await store.putText(`${FOLDER}/companies.csv`, companies);
    await store.putBytes(`${FOLDER}/people.csv`, people);
    await store.putBytes(`${FOLDER}/deals.csv`, deals);
    await store.putBytes(`${FOLDER}/more-people.csv`, morePeople);
    await store.putJson(`${FOLDER}/manifest.json`, manifest);
  });

  afterAll(async () => {
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const depsWith = (splitRecordsPerTask?: number): PipelineDeps => ({
    s3: store.s3,
    target: async () => {
      throw new Error('split calls no API');
    },
    keyFingerprint: async () => 'none',
    workspaceFingerprint: async () => 'none',
    coordinator: new Coordinator(undefined, 'none'),
    clock: () => Date.parse('2026-06-01T00:00:00Z'),
    config: {
      target: 'clarify',
      rate: { limit: 10, windowSeconds: 1 },
      importsPrefix: 'imports/',
      maxTaskMs: 60_000,
      chunkRows: 2,
      ...(splitRecordsPerTask ? { splitRecordsPerTask } : {}),
    },
  });

  /** Runs split as the state machine does, each Task run twice when `retried` (a crash, then a retry). */
  async function runSplit(
    jobId: string,
    splitRecordsPerTask?: number,
    retried = false,
  ): Promise<SplitOutput> {
    const handler = createHandler(() => depsWith(splitRecordsPerTask));
    const input: ExecutionInput = { jobId, bucket: s3.bucket, source: { key: `${FOLDER}/manifest.json` } };
    let state = await handler(input);
    let invocations = 1;
    while (!state.done) {
      expect(state.cursor.step).toBe(invocations);
      if (retried) await handler(state);
      state = await handler(state);
      invocations += 1;
    }
    const {
      jobId: _,
      chunks,
      mergeParts,
      failureParts,
      ...plan
    } = (await store.findJson<SplitPlan>(jobKeys(jobId).plan)) as SplitPlan;
    const rows: SplitOutput['rows'] = {};
    for (const [entity, parts] of Object.entries(chunks) as [Entity, number][]) {
      rows[entity] = [];
      for (let part = 0; part < parts; part++)
        rows[entity]?.push(...(await store.getNdjson<SourceRow>(jobKeys(jobId).chunk(entity, part))));
    }
    const merges: MergedRow[] = [];
    for (const entity of ['company', 'person', 'deal', 'link'] as Entity[])
      merges.push(...(await new JobStore(store, jobId).splitMerges(entity, { mergeParts })));
    const failures = await new JobStore(store, jobId).splitFailures({ failureParts });
    return { rows, merges, failures, plan, counts: state.counts, invocations };
  }

  it('gives the same chunks, merges, failures, counts and plan in one Task as in many', async () => {
    // Act
    const whole = await runSplit('job-whole');
    const pieces = await Promise.all([1, 2, 5].map((n) => runSplit(`job-by-${n}`, n)));

    // Assess: the one-Task split is right
    expect(whole.invocations).toBe(1);
    expect(whole.plan.recognized?.map((r) => [r.file, r.encoding])).toEqual([
      ['people.csv', 'windows-1252'],
      ['more-people.csv', 'utf-8 and windows-1252'],
      ['deals.csv', 'utf-16le'],
      ['companies.csv', 'utf-8 (BOM)'],
    ]);
    const people = whole.rows.person ?? [];
    expect(people.map((p) => [p.file, p.line, p.fields.first_name, p.fields.last_name])).toEqual([
      ['people.csv', 2, 'Ava', 'Okafor'],
      ['people.csv', 3, 'Maya', 'Lind'],
      ['people.csv', 5, 'Omar', 'Haddad'],
      ['people.csv', 7, 'Tom', 'Berg'],
      ['people.csv', 8, 'Zoé', 'Müller'],
      ['people.csv', 13, 'Lea', 'Roux'],
      ['more-people.csv', 2, 'Zoë', 'Roux'],
      ['more-people.csv', 3, 'Kai', 'Lee'],
      ['more-people.csv', 4, 'Jérôme', 'Dupont'],
      ['more-people.csv', 6, 'Sam', 'Wu'],
    ]);
    expect(whole.rows.company?.map((c) => [c.line, c.key])).toEqual([
      [2, 'domain:acme.com'],
      [4, 'domain:bluebird.io'],
      [3, 'domain:harborpine.law'],
    ]);
    expect(whole.merges.map((m) => [m.file, m.line, m.intoFile, m.intoLine, m.fill])).toEqual([
      ['companies.csv', 5, 'companies.csv', 2, {}],
      ['people.csv', 10, 'people.csv', 2, { phone: '+14155550100' }],
      ['more-people.csv', 5, 'people.csv', 2, {}],
      ['deals.csv', 4, 'deals.csv', 2, {}],
    ]);
    // Rows that named the duplicate company c7 by its id now name the company it merged into
    expect(
      people.filter((p) => p.fields.last_name === 'Berg' || p.line === 13).map((p) => p.refs.company),
    ).toEqual(['c1', 'c1']);
    expect(whole.rows.deal?.map((d) => d.refs.company)).toEqual(['c1', 'c3']);
    expect((whole.failures as { line: number; message: string }[]).map((f) => f.message)).toEqual([
      "people.csv line 9, column Email: 'not-an-email' is not an email address",
      'people.csv line 11: 8 fields, but the header has 7; quote values that contain the separator',
      'people.csv line 12, column First Name: a person needs a first or last name',
      expect.stringMatching(/^people.csv line 15: Quote Not Closed/),
    ]);
    expect(whole.plan.cleaning).toMatchObject({ blankRows: 1, domainsFromEmails: 1, phonesNormalized: 1 });
    expect(whole.plan.warnings?.map((w) => [w.file, w.line, w.message])).toEqual(
      expect.arrayContaining([
        ['people.csv', 8, 'lines 8, 11 are not UTF-8: read as Windows-1252'],
        ['more-people.csv', 4, 'line 4 is not UTF-8: read as Windows-1252'],
      ]),
    );
    expect(whole.counts.person).toMatchObject({ rows: 16, merged: 2, failed: 4 });

    // Assess: split across Tasks, nothing differs
    for (const piece of pieces) {
      expect(piece.invocations).toBeGreaterThan(4);
      expect({ ...piece, invocations: 0 }).toEqual({ ...whole, invocations: 0 });
    }
  });

  it('takes the index the Task before saved in the same process, and reads the saved one otherwise', async () => {
    // Prepare
    const whole = await runSplit('job-single');
    const handler = createHandler(() => depsWith(3));
    const begin = (jobId: string): ExecutionInput => ({
      jobId,
      bucket: s3.bucket,
      source: { key: `${FOLDER}/manifest.json` },
    });
    const withoutSavedIndex = async (state: JobState) => {
      await store.delete(jobKeys(state.jobId).splitKeyIndex(Number(state.cursor.step)));
      return state;
    };

    // Act: every saved index is gone before the Task that would read it
    let state = await handler(begin('job-warm'));
    let invocations = 1;
    while (!state.done) {
      state = await handler(await withoutSavedIndex(state));
      invocations += 1;
    }
    const warm = (await store.findJson<SplitPlan>(jobKeys('job-warm').plan)) as SplitPlan;
    // Another job's stop comes in between: the next Task of the first job reads its saved index
    const cold = await handler(begin('job-cold'));
    await handler(begin('job-other'));
    const missing = handler(await withoutSavedIndex(cold));

    // Assess
    expect(invocations).toBeGreaterThan(4);
    expect(warm.rows).toEqual(whole.plan.rows);
    expect(warm.cleaning).toEqual(whole.plan.cleaning);
    await expect(missing).rejects.toThrow();
  });

  it('writes the same once more when a Task is run again from the same cursor', async () => {
    // Act
    const whole = await runSplit('job-once');
    const retried = await runSplit('job-retried', 3, true);

    // Assess
    expect(retried.invocations).toBeGreaterThan(4);
    expect({ ...retried, invocations: 0 }).toEqual({ ...whole, invocations: 0 });
  });
});
