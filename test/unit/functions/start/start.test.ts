import { describe, expect, it } from 'vitest';
import type { ExecutionInput } from '#domain/job-state.ts';
import { jobIdFor, type ObjectCreatedEvent, type StartDeps, start } from '#functions/start/start.ts';

const eventFor = (
  key: string,
  object: Partial<ObjectCreatedEvent['detail']['object']> = {},
): ObjectCreatedEvent => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: {
    bucket: { name: 'crm-import-bucket' },
    object: { key, etag: 'e1', sequencer: '0055AED6DCD90281E5', ...object },
  },
});

function fakeDeps(existing = new Set<string>()) {
  const started: { name: string; input: ExecutionInput }[] = [];
  const deps: StartDeps = {
    importsPrefix: 'imports/',
    startExecution: async (name, input) => {
      if (existing.has(name)) return false;
      existing.add(name);
      started.push({ name, input });
      return true;
    },
  };
  return { deps, started };
}

describe('Function: start', () => {
  it('starts a one-file job for a lone CSV directly under the prefix', async () => {
    // Prepare
    const { deps, started } = fakeDeps();

    // Act
    const result = await start(eventFor('imports/people.csv', { 'version-id': 'v1' }), deps);

    // Assess
    expect(result).toEqual({ started: true, jobId: started[0]?.name });
    expect(started).toHaveLength(1);
    expect(started[0]?.input).toEqual({
      jobId: started[0]?.name,
      bucket: 'crm-import-bucket',
      source: { key: 'imports/people.csv', versionId: 'v1', etag: 'e1' },
    });
    expect(started[0]?.name).toMatch(/^people-[0-9a-f]{10}$/);
  });

  it('names the job the same for the same upload and differently for another one', async () => {
    // Prepare
    const { deps } = fakeDeps(new Set());
    const upload = eventFor('imports/people.csv');

    // Act
    const first = await start(upload, deps);
    const duplicate = await start(structuredClone(upload), deps);
    const newVersion = await start(eventFor('imports/people.csv', { 'version-id': 'v2' }), deps);
    const newSequencer = await start(
      eventFor('imports/people.csv', { sequencer: '0055AED6DCD90281FF' }),
      deps,
    );

    // Assess
    expect(first.started).toBe(true);
    expect(duplicate).toEqual({
      started: false,
      jobId: first.jobId,
      reason: 'an execution for this upload already exists',
    });
    expect(newVersion.started).toBe(true);
    expect(newSequencer.started).toBe(true);
    expect(new Set([first.jobId, newVersion.jobId, newSequencer.jobId]).size).toBe(3);
  });

  it('starts the folder job when its manifest arrives', async () => {
    // Prepare
    const { deps, started } = fakeDeps();

    // Act
    const result = await start(eventFor('imports/acme/manifest.json'), deps);

    // Assess
    expect(result.started).toBe(true);
    expect(started[0]?.name).toMatch(/^acme-manifest-[0-9a-f]{10}$/);
    expect(started[0]?.input.source.key).toBe('imports/acme/manifest.json');
  });

  it.each([
    ['imports/acme/people.csv', /waits for its folder's manifest\.json/],
    ['exports/people.csv', /is not under imports\//],
    ['people.csv', /is not under imports\//],
    ['imports/readme.md', /is not a CSV file/],
  ])('does not start a job for %j', async (key, reason) => {
    // Prepare
    const { deps, started } = fakeDeps();

    // Act
    const result = await start(eventFor(key), deps);

    // Assess
    expect(result.started).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringMatching(reason));
    expect(started).toEqual([]);
  });

  it.each([
    ['imports/my+file.csv', 'imports/my file.csv'],
    ['imports/caf%C3%A9+list.csv', 'imports/café list.csv'],
    ['imports/a%2Bb.csv', 'imports/a+b.csv'],
  ])('decodes the URL-encoded key %j', async (key, decoded) => {
    // Prepare
    const { deps, started } = fakeDeps();

    // Act
    await start(eventFor(key), deps);

    // Assess
    expect(started[0]?.input.source.key).toBe(decoded);
  });

  it('tells its log whether it started the import', async () => {
    // Prepare
    const messages: string[] = [];
    const { deps } = fakeDeps();
    deps.log = (message) => messages.push(message);

    // Act
    await start(eventFor('imports/people.csv'), deps);
    await start(eventFor('imports/people.csv'), deps);

    // Assess
    expect(messages).toEqual(['import started', 'import already started for this upload']);
  });
});

describe('Function: jobIdFor', () => {
  it.each([
    ['imports/people.csv', /^people-[0-9a-f]{10}$/],
    ['imports/acme corp/Q1 (final)/manifest.json', /^acme-corp-Q1-final-+manifest-[0-9a-f]{10}$/],
    ['imports/ünïcødé.csv', /^n-c-d-[0-9a-f]{10}$/],
    ['imports/???.csv', /^import-[0-9a-f]{10}$/],
    [`imports/${'a'.repeat(70)}/${'b'.repeat(70)}.csv`, /^b{60}-[0-9a-f]{10}$/],
  ])('turns %j into a valid execution name', (key, expected) => {
    // Act
    const id = jobIdFor('bucket', key, 'v1');

    // Assess
    expect(id).toMatch(expected);
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it('changes with the bucket, key and version', () => {
    // Act
    const ids = [
      jobIdFor('b', 'imports/x.csv', 'v1'),
      jobIdFor('b2', 'imports/x.csv', 'v1'),
      jobIdFor('b', 'imports/y/../x.csv', 'v1'),
      jobIdFor('b', 'imports/x.csv', 'v2'),
      jobIdFor('b', 'imports/x.csv', 'v1'),
    ];

    // Assess
    expect(new Set(ids).size).toBe(4);
    expect(ids[4]).toBe(ids[0]);
  });
});
