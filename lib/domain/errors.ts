/**
 * One error type for the whole pipeline. The failure report, the retry schedule and the logs all read
 * `code` and `retryable`; `held` marks rows waiting on a dependency that failed.
 */
export const ERROR_CODES = [
  'INVALID_ROW',
  'MALFORMED_FILE',
  'NOT_CSV',
  'BAD_MANIFEST',
  'UNKNOWN_ENTITY',
  'REFERENCE_NOT_FOUND',
  /** A reference two different rows answer to (an id given twice, a name two people share). */
  'AMBIGUOUS_REFERENCE',
  'DEPENDENCY_FAILED',
  'REJECTED',
  'DUPLICATE',
  'AUTH_FAILED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'SERVER_ERROR',
  'TIMEOUT',
  'NETWORK',
  'IN_DOUBT',
  'WORKSPACE_TAKEN',
  'CONFIG',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'SERVER_ERROR',
  'TIMEOUT',
  'NETWORK',
  'IN_DOUBT',
  'WORKSPACE_TAKEN',
  'DEPENDENCY_FAILED',
]);

export const isRetryableCode = (code: ErrorCode): boolean => RETRYABLE.has(code);

export interface ImportErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

/**
 * The error name is its code: Step Functions hands a Catch only the name (`Error`) and the message (in
 * `Cause`), so the code, and whether the schedule may re-run the job, survive the Catch only that way.
 */
export class ImportError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ImportErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = code;
    this.code = code;
    this.retryable = options.retryable ?? isRetryableCode(code);
  }
}

/** A job that cannot run at all (bad manifest, unreadable file, auth failure): the execution fails. */
export class JobError extends ImportError {}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * What a paced stage does with an error from the target, decided in one place:
 * - `throttled`: a 429; the Wait state waits out its Retry-After (nothing failed);
 * - `stops-job`: the credentials are refused, or not ours to handle (not an ImportError);
 * - `transient`: worth sending again after a Wait, a few times (5xx, timeouts, lost connections);
 * - `rejected`: the API refused what was sent: the rows it concerns fail with its words.
 */
export type ErrorClass = 'throttled' | 'stops-job' | 'transient' | 'rejected';

export function classify(error: unknown): ErrorClass {
  if (!(error instanceof ImportError)) return 'stops-job';
  if (error.code === 'RATE_LIMITED') return 'throttled';
  if (error.code === 'AUTH_FAILED' || error.code === 'FORBIDDEN') return 'stops-job';
  return error.retryable ? 'transient' : 'rejected';
}

/** What stopped a job, as the report and the execution view tell it. */
export interface CaughtError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/**
 * A Catch's `{Error, Cause}` read once, for every reader. `Error` is our code, or a Step Functions or
 * Lambda name: a Task that timed out, or a Lambda service failure, is transient; anything else
 * unexpected is an internal error, not re-run. On AWS `Cause` is the Lambda's JSON
 * (`{"errorType","errorMessage","trace"}`); locally it is the message itself.
 */
export function fromCatch(caught: { Error?: unknown; Cause?: unknown }): CaughtError {
  const name = typeof caught.Error === 'string' ? caught.Error : '';
  const code: ErrorCode = CODES.has(name)
    ? (name as ErrorCode)
    : name === 'States.Timeout' || name === 'States.HeartbeatTimeout'
      ? 'TIMEOUT'
      : name.startsWith('Lambda.') || name === 'States.TaskFailed'
        ? 'SERVER_ERROR'
        : 'INTERNAL';
  return { code, message: causeMessage(caught.Cause, name), retryable: isRetryableCode(code) };
}

function causeMessage(cause: unknown, name: string): string {
  if (typeof cause === 'string') {
    try {
      const parsed: unknown = JSON.parse(cause);
      const message = (parsed as { errorMessage?: unknown } | null)?.errorMessage;
      if (typeof message === 'string') return message;
    } catch {
      // Not JSON: the string is the message.
    }
    return cause;
  }
  if (cause instanceof Error) return cause.message;
  if (cause && typeof cause === 'object') {
    const message =
      (cause as { errorMessage?: unknown; message?: unknown }).errorMessage ??
      (cause as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    try {
      return JSON.stringify(cause);
    } catch {
      return String(cause);
    }
  }
  return cause === undefined || cause === null ? name : String(cause);
}

/** Where in the input a problem is: the failure report and error messages name it. */
export interface SourcePosition {
  file: string;
  line: number;
  column?: string;
}

export const describePosition = (at: SourcePosition): string =>
  `${at.file} line ${at.line}${at.column ? `, column ${at.column}` : ''}`;
