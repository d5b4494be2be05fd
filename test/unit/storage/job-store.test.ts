import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { jobKeys } from '#storage/job-keys.ts';
import { JobStore } from '#storage/job-store.ts';
import { ObjectStore } from '#storage/object-store.ts';

/** An object store over a map: the JobStore's reading and checking, without S3. */
class MemoryObjects extends ObjectStore {
  constructor(readonly objects: Map<string, string>) {
    super({} as S3Client, 'bucket');
  }

  override async findText(key: string): Promise<string | undefined> {
    return this.objects.get(key);
  }

  override async getText(key: string): Promise<string> {
    const text = this.objects.get(key);
    if (text === undefined) throw new Error(`no ${key}`);
    return text;
  }
}

const keys = jobKeys('job-1');
const storeWith = (objects: Record<string, string>) =>
  new JobStore(new MemoryObjects(new Map(Object.entries(objects))), 'job-1');

const row = {
  entity: 'person',
  file: 'people.csv',
  line: 2,
  fields: { first_name: 'Ann' },
  refs: {},
  raw: { 'First Name': 'Ann' },
};

describe('Class: JobStore', () => {
  it('reads a plan against its schema and names the key and field of one that is not a plan', async () => {
    // Prepare
    const good = { jobId: 'job-1', files: [], chunks: { person: 1 }, rows: { person: 1 }, marker: '' };
    const store = storeWith({ [keys.plan]: JSON.stringify({ ...good, chunks: { person: 'one' } }) });

    // Act
    const reading = store.plan();

    // Assess
    await expect(reading).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(
        /^jobs\/job-1\/plan\.json is not a valid split plan: .*\(chunks\.person\)$/,
      ),
    });
    expect(await storeWith({ [keys.plan]: JSON.stringify(good) }).plan()).toEqual(good);
  });

  it('says a missing plan is missing, naming its key', async () => {
    // Act
    const reading = storeWith({}).plan();

    // Assess
    await expect(reading).rejects.toThrow('jobs/job-1/plan.json is missing: the job was never split');
  });

  it('names the key and line of a chunk row that is not JSON or not a row', async () => {
    // Prepare
    const key = keys.chunk('person', 0);
    const broken = storeWith({ [key]: `${JSON.stringify(row)}\n{"entity":\n` });
    const wrong = storeWith({ [key]: `${JSON.stringify(row)}\n${JSON.stringify({ ...row, line: 'x' })}\n` });

    // Act
    const notJson = broken.chunk('person', 0);
    const notRow = wrong.chunk('person', 0);

    // Assess
    await expect(notJson).rejects.toThrow(/^jobs\/job-1\/rows\/person\/000000\.ndjson line 2 is not JSON: /);
    await expect(notRow).rejects.toThrow(
      /^jobs\/job-1\/rows\/person\/000000\.ndjson line 2 is not a valid item: .*\(line\)$/,
    );
    expect(await storeWith({ [key]: `${JSON.stringify(row)}\n` }).chunk('person', 0)).toEqual([row]);
  });

  it('reads a ledger cut short as in doubt, and one with an unknown outcome as an error naming it', async () => {
    // Prepare
    const key = keys.ledger('person', 0, 0);
    const ledger = { entity: 'person', part: 0, start: 0, end: 1, outcomes: [null], attempts: 0 };
    const outcome = { entity: 'person', file: 'people.csv', line: 2, status: 'lost' };
    const cut = storeWith({ [key]: JSON.stringify(ledger).slice(0, 20) });
    const wrong = storeWith({ [key]: JSON.stringify({ ...ledger, outcomes: [outcome] }) });

    // Act
    const cutShort = await cut.ledger('person', 0, 0);
    const reading = wrong.ledger('person', 0, 0);

    // Assess
    expect(cutShort).toEqual({ found: true, corrupt: true });
    await expect(reading).rejects.toThrow(
      /^jobs\/job-1\/ledger\/person\/000000-000000\.ndjson is not a valid ledger: .*\(outcomes\.0\.status\)$/,
    );
  });
});
