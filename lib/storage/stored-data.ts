import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { JobError } from '#domain/errors.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * Reading a job's objects against their schemas. An object that is not what its reader expects (written
 * by another version, edited by hand, damaged) fails here, naming its key, the line of an NDJSON object
 * and the field, instead of as a crash somewhere in the stage that read it.
 */

export const storedError = (message: string) => new JobError('INTERNAL', message);

function checked<T>(schema: z.ZodType<T>, value: unknown, at: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  throw storedError(`${at} is not a valid ${what}: ${issue?.message ?? 'unreadable'}${field}`);
}

function parsed(text: string, at: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw storedError(`${at} is not JSON: ${(error as Error).message}`);
  }
}

/** The object at `key` read against `schema`, or undefined when there is none. */
export async function findChecked<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<T | undefined> {
  const text = await store.findText(key);
  return text === undefined ? undefined : checked(schema, parsed(text, key), key, what);
}

/**
 * Like findChecked, but an object that is not JSON reads as cut short, not as an error: a local S3
 * server killed mid-write leaves a truncated object, which the caller treats as "this write may not
 * have finished".
 */
export async function readChecked<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<{ found: false } | { found: true; corrupt: true } | { found: true; value: T }> {
  const read = await store.readJson<unknown>(key);
  if (!read.found || !('value' in read)) return read;
  return { found: true, value: checked(schema, read.value, key, what) };
}

/** Every item of an NDJSON object, each read against `schema`. */
export async function readNdjsonChecked<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const items: T[] = [];
  const lines = (await store.getText(key)).split('\n');
  for (const [i, line] of lines.entries()) if (line.trim() !== '') items.push(item(schema, line, key, i + 1));
  return items;
}

/** An NDJSON object an item at a time, as it streams in: one far larger than a string can hold. */
export async function* streamNdjsonChecked<T>(
  store: ObjectStore,
  key: string,
  schema: z.ZodType<T>,
): AsyncGenerator<T> {
  const body = await store.getStream(key);
  let n = 0;
  try {
    for await (const line of createInterface({ input: body, crlfDelay: Infinity })) {
      n += 1;
      if (line.trim() !== '') yield item(schema, line, key, n);
    }
  } finally {
    // A reader that stops early must not leave the connection open.
    body.destroy();
  }
}

const item = <T>(schema: z.ZodType<T>, line: string, key: string, n: number): T => {
  const at = `${key} line ${n}`;
  return checked(schema, parsed(line, at), at, 'item');
};
