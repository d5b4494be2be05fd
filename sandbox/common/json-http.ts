import type { IncomingMessage, ServerResponse } from 'node:http';

/** One thing wrong with a request; each sandbox renders these in its own API's error format. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  /** JSON pointer into the request body, e.g. `/data/3/attributes/email_addresses`. */
  pointer?: string;
  /** Query parameter at fault, e.g. `page[limit]`. */
  parameter?: string;
}

/** A request the sandbox refuses; thrown by handlers and rendered by the server. */
export class HttpError extends Error {
  readonly status: number;
  readonly problems: Problem[];
  readonly headers: Record<string, string>;

  constructor(status: number, problems: Problem[], headers: Record<string, string> = {}) {
    super(problems.map((problem) => problem.detail).join('; '));
    this.name = 'HttpError';
    this.status = status;
    this.problems = problems;
    this.headers = headers;
  }

  static of(status: number, title: string, detail: string, extra: Partial<Problem> = {}): HttpError {
    return new HttpError(status, [{ status, title, detail, ...extra }]);
  }
}

/** The single status for a set of problems: theirs when they agree, else the generic 400 (JSON:API). */
export const statusOf = (problems: Problem[]): number => {
  const statuses = new Set(problems.map((problem) => problem.status));
  return statuses.size === 1 ? problems[0]!.status : 400;
};

const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPES = ['application/json', 'application/vnd.api+json'];

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Keep draining past the limit so the connection stays usable for the error answer.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw HttpError.of(413, 'Payload too large', `Body exceeds ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat(chunks);
}

/** Parses a JSON body, insisting on a JSON content type as a real API would. */
export function parseJsonBody(contentType: string | undefined, body: Buffer): unknown {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.includes(mediaType)) {
    throw HttpError.of(415, 'Unsupported media type', `Content-Type must be ${JSON_TYPES.join(' or ')}`);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw HttpError.of(400, 'Malformed JSON', `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, reply: Reply): void {
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}
