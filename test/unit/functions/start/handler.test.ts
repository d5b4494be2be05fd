import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler, handler } from '#functions/start/handler.ts';
import type { StartDeps } from '#functions/start/start.ts';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111122223333:stateMachine:crm-import';

const objectCreated = (key: string) => ({
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111122223333',
  time: '2026-06-01T12:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:s3:::crm-import-bucket'],
  detail: {
    version: '0',
    bucket: { name: 'crm-import-bucket' },
    object: { key, size: 120, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '617f08299329d189' },
    reason: 'PutObject',
  },
});

describe('Function: handler', () => {
  const sfn = mockClient(SFNClient);

  beforeAll(() => {
    vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE_ARN);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  });

  afterEach(() => {
    sfn.reset();
  });

  afterAll(() => {
    sfn.restore();
    vi.unstubAllEnvs();
  });

  it('starts an execution named after the upload, with the job as its input', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE_ARN}:x`, startDate: new Date() });

    // Act
    const result = await handler(objectCreated('imports/acme/manifest.json'));

    // Assess
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.args[0].input;
    expect(sent?.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(sent?.name).toMatch(/^acme-manifest-[0-9a-f]{10}$/);
    expect(JSON.parse(sent?.input ?? '')).toEqual({
      jobId: sent?.name,
      bucket: 'crm-import-bucket',
      source: { key: 'imports/acme/manifest.json', etag: 'b1946ac92492d2347c6235b4d2611184' },
    });
    expect(result).toEqual({ started: true, jobId: sent?.name });
  });

  it('treats an execution that already exists as already started', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'x', $metadata: {} }));

    // Act
    const result = await handler(objectCreated('imports/people.csv'));

    // Assess
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(result).toMatchObject({ started: false, reason: 'an execution for this upload already exists' });
  });

  it('fails on any other StartExecution error so the event is retried', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(new Error('ThrottlingException'));

    // Act
    const run = handler(objectCreated('imports/people.csv'));

    // Assess
    await expect(run).rejects.toThrow('ThrottlingException');
  });

  it('does not call Step Functions for a file that waits for its manifest', async () => {
    // Act
    const result = await handler(objectCreated('imports/acme/people.csv'));

    // Assess
    expect(result.started).toBe(false);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('Function: createHandler', () => {
  it('rejects an event that is not an S3 Object Created event', async () => {
    // Prepare
    const startExecution = vi.fn<StartDeps['startExecution']>(async () => true);
    const run = createHandler(() => ({ importsPrefix: 'imports/', startExecution }));
    const deleted = { ...objectCreated('imports/people.csv'), 'detail-type': 'Object Deleted' };

    // Act
    const attempt = run(deleted);

    // Assess
    await expect(attempt).rejects.toThrow(/detail-type/);
    expect(startExecution).not.toHaveBeenCalled();
  });

  it('uses the prefix its dependencies give', async () => {
    // Prepare
    const startExecution = vi.fn<StartDeps['startExecution']>(async () => true);
    const run = createHandler(() => ({ importsPrefix: 'drop/', startExecution }));

    // Act
    const result = await run(objectCreated('drop/people.csv'));

    // Assess
    expect(result.started).toBe(true);
    expect(startExecution).toHaveBeenCalledWith(
      result.jobId,
      expect.objectContaining({ bucket: 'crm-import-bucket' }),
    );
  });
});
