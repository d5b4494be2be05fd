import { afterEach } from 'vitest';
import {
  type ClarifySandbox,
  type ClarifySandboxOptions,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';

/**
 * A raw-`fetch` client for the Clarify sandbox tests, written only from the references
 * (shared/contracts/clarify.md): `Authorization: api-key <key>`, JSON bodies, and error bodies read
 * in each of their documented forms (ER1–ER3).
 */

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field in the tests
  body: any;
}

/** One error, whichever form the body took: JSON:API (`status` string or number) or NestJS style. */
export interface ReadError {
  status: number;
  detail: string;
  pointer?: string;
  parameter?: string;
}

/** Starts sandboxes for one test file and closes them after each test. */
export function sandboxes(): (options?: ClarifySandboxOptions) => Promise<ClarifySandbox> {
  const running: ClarifySandbox[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((box) => box.close()));
  });
  return async (options = {}) => {
    const box = await startClarifySandbox(options);
    running.push(box);
    return box;
  };
}

export async function call(
  box: ClarifySandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${box.baseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: { authorization: `api-key ${box.apiKey}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export type Attrs = Record<string, unknown>;

/** `POST /objects/{o}/records/bulk` (B3), with extra top-level members such as `match_on` (B8). */
export const bulk = (box: ClarifySandbox, object: string, attributes: Attrs[], extra: Attrs = {}) =>
  call(box, 'POST', `/objects/${object}/records/bulk`, {
    data: attributes.map((a) => ({ type: object, attributes: a })),
    ...extra,
  });

/** `POST /objects/{o}/records` (B1). */
export const createOne = (box: ClarifySandbox, object: string, attributes: Attrs, extra: Attrs = {}) =>
  call(box, 'POST', `/objects/${object}/records`, { data: { type: object, attributes }, ...extra });

/** A person in the default (`nested`, F1) name form. */
export const person = (email: string, extra: Attrs = {}): Attrs => ({
  name: { first_name: 'Jane', last_name: 'Doe' },
  email_addresses: { items: [email] },
  ...extra,
});

/** CL18: parse every documented error form. */
export function errorsOf(answer: Answer): ReadError[] {
  const body = answer.body;
  if (Array.isArray(body?.errors)) {
    return body.errors.map(
      (e: {
        status: string | number;
        detail: string;
        source?: { pointer?: string; parameter?: string };
      }) => ({
        status: Number(e.status),
        detail: e.detail,
        pointer: e.source?.pointer,
        parameter: e.source?.parameter,
      }),
    );
  }
  if (typeof body?.statusCode === 'number') {
    const messages: string[] = Array.isArray(body.message) ? body.message : [String(body.message)];
    return messages.map((detail) => ({ status: body.statusCode, detail }));
  }
  return [];
}

export const pointers = (answer: Answer): (string | undefined)[] => errorsOf(answer).map((e) => e.pointer);

export const ids = (answer: Answer): string[] => (answer.body.data as { id: string }[]).map((r) => r.id);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
