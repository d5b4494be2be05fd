import type { HttpError, Problem, Reply } from '#sandbox/common/json-http.ts';

/**
 * The response envelope (E1, ER1): success `{success:true, data, timestamp}`; error
 * `{success:false, error:{code, message, details?}, timestamp}`. Codes are SCREAMING_SNAKE (ER2, ER4),
 * except the class-style `UnauthorizedError` of every 401 (A11). On a validation error `details` is an
 * array of per-field problems (ER3); the item shape is not documented, so `{field, message}` is *assumed*
 * (also used for a bad query parameter, naming the parameter). `errorId`/`correlationId` (ER1, optional)
 * are left out.
 */

export const ok = (data: unknown, status = 200): Reply => ({
  status,
  body: { success: true, data, timestamp: new Date().toISOString() },
});

/** Codes by status, for problems raised by the shared pipeline (router, body parser, limiter, faults). */
const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UnauthorizedError',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** Problems raised by this sandbox carry their code as the title. */
const isCode = (title: string): boolean => /^[A-Z][A-Z0-9_]*$/.test(title) || title === 'UnauthorizedError';

export interface ErrorDetail {
  field: string;
  message: string;
}

export function renderError(error: HttpError): unknown {
  const [first] = error.problems;
  const code =
    first && isCode(first.title)
      ? first.title
      : (CODES[error.status] ?? (error.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'));
  const details = error.problems.flatMap((problem): ErrorDetail[] => {
    const field = fieldOf(problem);
    return field === undefined ? [] : [{ field, message: problem.detail }];
  });
  return {
    success: false,
    error: { code, message: error.message, ...(details.length > 0 ? { details } : {}) },
    timestamp: new Date().toISOString(),
  };
}

const fieldOf = (problem: Problem): string | undefined =>
  problem.pointer !== undefined ? problem.pointer.slice(1) : problem.parameter;
