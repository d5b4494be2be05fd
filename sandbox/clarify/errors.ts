import { STATUS_CODES } from 'node:http';
import type { HttpError, Problem } from '#sandbox/common/json-http.ts';
import type { ClarifyVariants } from './variants.ts';

/**
 * Clarify's error bodies, one per `errors` variant (ER1–ER3, CL18), used for every error the sandbox
 * answers (auth, routing, validation, rate limit, injected faults):
 *
 * - `string`: `{"errors": [{"status": "422", "title", "detail", "source": {"pointer"}}]}` (SK3)
 * - `number`: the same with `"status": 422` (V-ERR, SK2)
 * - `nest`: `{"statusCode": 400, "message": ["data.3.attributes.email_addresses.items.0: ..."],
 *   "error": "Bad Request"}`: no pointers, so each message starts with the dotted path it is about.
 *
 * A query-parameter problem has `source: {parameter}` in the JSON:API forms, as JSON:API allows.
 */
export function errorRenderer(style: ClarifyVariants['errors']): (error: HttpError) => unknown {
  if (style === 'nest') {
    return (error) => ({
      statusCode: error.status,
      message: error.problems.map(nestMessage),
      error: STATUS_CODES[error.status] ?? 'Error',
    });
  }
  return (error) => ({
    errors: error.problems.map(({ status, title, detail, pointer, parameter }) => ({
      status: style === 'string' ? String(status) : status,
      title,
      detail,
      ...(pointer !== undefined
        ? { source: { pointer } }
        : parameter !== undefined
          ? { source: { parameter } }
          : {}),
    })),
  });
}

/** `/data/3/attributes/email_addresses` → `data.3.attributes.email_addresses: <detail>`. */
function nestMessage({ pointer, detail }: Problem): string {
  if (pointer === undefined || pointer === '') return detail;
  const path = pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
  return `${path}: ${detail}`;
}
