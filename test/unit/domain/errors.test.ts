import { describe, expect, it } from 'vitest';
import { classify, fromCatch, ImportError, JobError } from '#domain/errors.ts';
import { TargetError } from '#targets/target.ts';

describe('Errors across a Step Functions Catch', () => {
  it('names every error by its code, the one thing a Catch passes on besides the message', () => {
    // Act / Assess
    expect(new JobError('AUTH_FAILED', 'no').name).toBe('AUTH_FAILED');
    expect(new TargetError('SERVER_ERROR', '503').name).toBe('SERVER_ERROR');
    expect(new ImportError('CONFIG', 'x').name).toBe('CONFIG');
  });

  it.each([
    // On AWS the Cause is the Lambda runtime's JSON
    [
      {
        Error: 'SERVER_ERROR',
        Cause: '{"errorType":"SERVER_ERROR","errorMessage":"GET /x: 503","trace":[]}',
      },
      'SERVER_ERROR',
      'GET /x: 503',
      true,
    ],
    // Locally the Cause is the message itself
    [{ Error: 'AUTH_FAILED', Cause: 'the key was refused' }, 'AUTH_FAILED', 'the key was refused', false],
    [{ Error: 'States.Timeout', Cause: 'Task timed out' }, 'TIMEOUT', 'Task timed out', true],
    [
      { Error: 'Lambda.ServiceException', Cause: '{"errorMessage":"Rate exceeded"}' },
      'SERVER_ERROR',
      'Rate exceeded',
      true,
    ],
    [{ Error: 'TypeError', Cause: 'x is undefined' }, 'INTERNAL', 'x is undefined', false],
    [{ Error: 'BAD_MANIFEST' }, 'BAD_MANIFEST', 'BAD_MANIFEST', false],
  ])('reads %j once, for the report and the view', (caught, code, message, retryable) => {
    // Act / Assess
    expect(fromCatch(caught)).toEqual({ code, message, retryable });
  });
});

describe('Function: classify', () => {
  it.each([
    [new TargetError('RATE_LIMITED', '429', { retryAfterSeconds: 3 }), 'throttled'],
    [new TargetError('AUTH_FAILED', '401'), 'stops-job'],
    [new TargetError('FORBIDDEN', '403'), 'stops-job'],
    [new TargetError('SERVER_ERROR', '503'), 'transient'],
    [new TargetError('NETWORK', 'ECONNRESET'), 'transient'],
    [new TargetError('IN_DOUBT', 'unreadable 201'), 'transient'],
    [new TargetError('REJECTED', '422'), 'rejected'],
    [new TargetError('DUPLICATE', '400'), 'rejected'],
    [new TypeError('a bug'), 'stops-job'],
  ])('%s is %s', (error, kind) => {
    // Act / Assess
    expect(classify(error)).toBe(kind);
  });
});
