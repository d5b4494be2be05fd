import { afterEach } from 'vitest';
import {
  type ActuallyCareSandbox,
  type ActuallyCareSandboxOptions,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';

/**
 * A client written only from the published references (`shared/contracts/actuallycare.md`): raw
 * `fetch`, keys in `X-API-Key` (A1), session tokens as `Authorization: Bearer` (A3), the `{success, data,
 * error, timestamp}` envelope (E1, ER1). Shared by the ActuallyCare sandbox tests.
 */

export interface Envelope {
  success?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as untyped JSON, as a client would
  data?: any;
  error?: { code: string; message: string; details?: { field: string; message: string }[] };
  timestamp?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Envelope;
}

const started: ActuallyCareSandbox[] = [];

/** Starts a sandbox on 127.0.0.1, port 0; every one is closed after each test. */
export async function start(options: ActuallyCareSandboxOptions = {}): Promise<ActuallyCareSandbox> {
  const box = await startActuallyCareSandbox(options);
  started.push(box);
  return box;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((box) => box.close()));
});

/** `X-API-Key: <key>` (A1). */
export const withKey = (key: string): Record<string, string> => ({ 'x-api-key': key });

/** `Authorization: Bearer <token>` (A3). */
export const withBearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/**
 * One request to `baseUrl + path`; a body is sent as JSON (a string as is). Authenticates with the box's
 * API key unless `auth` says otherwise.
 */
export async function call(
  box: ActuallyCareSandbox,
  method: string,
  path: string,
  body?: unknown,
  auth: Record<string, string> = withKey(box.apiKey),
): Promise<Answer> {
  const headers: Record<string, string> = { ...auth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${box.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** Status, error code and the fields `details` names, for compact assertions. */
export const outcome = (answer: Answer) => [
  answer.status,
  answer.body.error?.code,
  answer.body.error?.details?.map((detail) => detail.field),
];

/** A request to an inspect route under `/_sandbox` (no auth). */
export async function inspect(
  box: ActuallyCareSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(new URL(`/_sandbox${path}`, box.baseUrl), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
