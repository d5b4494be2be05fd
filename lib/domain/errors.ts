/**
 * One error type for the whole pipeline. The failure report, the retry schedule and the logs all read
 * `code` and `retryable`; `held` marks rows waiting on a dependency that failed.
 */
export type ErrorCode =
  | 'INVALID_ROW'
  | 'MALFORMED_FILE'
  | 'BAD_MANIFEST'
  | 'UNKNOWN_ENTITY'
  | 'REFERENCE_NOT_FOUND'
  | 'DEPENDENCY_FAILED'
  | 'REJECTED'
  | 'DUPLICATE'
  | 'AUTH_FAILED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'IN_DOUBT'
  | 'CONFIG'
  | 'INTERNAL';

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'SERVER_ERROR',
  'TIMEOUT',
  'NETWORK',
  'IN_DOUBT',
  'DEPENDENCY_FAILED',
]);

export const isRetryableCode = (code: ErrorCode): boolean => RETRYABLE.has(code);

export interface ImportErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

export class ImportError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ImportErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ImportError';
    this.code = code;
    this.retryable = options.retryable ?? isRetryableCode(code);
  }
}

/** A job that cannot run at all (bad manifest, unreadable file, auth failure): the execution fails. */
export class JobError extends ImportError {
  constructor(code: ErrorCode, message: string, options: ImportErrorOptions = {}) {
    super(code, message, options);
    // Step Functions matches Catch clauses on the error name; one name for every job-level failure.
    this.name = 'JobError';
  }
}

/** Where in the input a problem is: the failure report and error messages name it. */
export interface SourcePosition {
  file: string;
  line: number;
  column?: string;
}

export const describePosition = (at: SourcePosition): string =>
  `${at.file} line ${at.line}${at.column ? `, column ${at.column}` : ''}`;
