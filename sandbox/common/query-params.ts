import { HttpError } from './json-http.ts';

/**
 * A list endpoint's query, checked strictly: only the parameters it knows, each at most once, integers in
 * range. `title` is how the sandbox's API names a bad request in its errors.
 */
export function strictQuery(query: URLSearchParams, allowed: readonly string[], title: string) {
  const bad = (parameter: string, detail: string) => HttpError.of(400, title, detail, { parameter });
  for (const name of new Set(query.keys())) {
    if (!allowed.includes(name)) throw bad(name, `'${name}' is not a supported query parameter`);
    if (query.getAll(name).length > 1) throw bad(name, `'${name}' is given more than once`);
  }
  return {
    integer: (name: string, fallback: number, min: number, max: number): number =>
      integerParam(query, name, { fallback, min, max }, bad),
  };
}

/** One integer query parameter in range, or the fallback when absent; `bad` makes the 400 the API answers. */
export function integerParam(
  query: URLSearchParams,
  name: string,
  range: { fallback: number; min: number; max: number },
  bad: (parameter: string, detail: string) => HttpError,
): number {
  const raw = query.get(name);
  if (raw === null) return range.fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    const within =
      range.max === Number.MAX_SAFE_INTEGER ? `≥ ${range.min}` : `between ${range.min} and ${range.max}`;
    throw bad(name, `${name} must be an integer ${within}; got '${raw}'`);
  }
  return value;
}
