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
    integer(name: string, fallback: number, min: number, max: number): number {
      const raw = query.get(name);
      if (raw === null) return fallback;
      const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
        throw bad(name, `${name} must be an integer ${range}; got '${raw}'`);
      }
      return value;
    },
  };
}
