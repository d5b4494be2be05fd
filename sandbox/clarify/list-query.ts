import { HttpError } from '#sandbox/common/json-http.ts';
import { integerParam } from '#sandbox/common/query-params.ts';
import type { Attributes, Field, ObjectModel } from './attributes.ts';

/**
 * Query parameters of Clarify's collection reads, checked strictly: only the documented forms, each at
 * most once; anything else is 400 (never silently ignored, so a client's typo shows).
 *
 * - Pagination (Q3, Q4): `page[limit]` 1..500, default 500 (SK3: the live API rejects more than 500);
 *   `page[offset]` ≥ 0, default 0.
 * - Filters (Q10–Q14): `filter[<field>][<Operator>]=<value>`, operators case-sensitive; simulated:
 *   `Is`, `Is not`, `Contains`, `Does not contain`, `Is empty`, `Is not empty` (collections: only the last
 *   four, Q11). `Equals` or any other operator → 400. A bare `filter[<field>]=<value>` on a scalar field
 *   reads Q14's shorthand (`null`, `!null`, `!=x`, `*x*`, `x*`, `*x`, `a,b`, `>x`, `>=x`, `<x`, `<=x`,
 *   else `Is`); on a collection it is 400 (Q12: SK3 says collections have no exact match; strict).
 *   `Contains` compares case-insensitively, `Is` exactly. Dotted paths (Q15) are not simulated (400).
 * - Sort (Q9): `sortOrder[column]=<field>`, `sortOrder[dir]=ASC|DESC`.
 * - `include` (Q17) is not simulated: 400, saying so.
 */

export const MAX_PAGE_LIMIT = 500;

export interface Page {
  limit: number;
  offset: number;
}

const bad = (parameter: string, detail: string) => HttpError.of(400, 'Bad request', detail, { parameter });

/** Every parameter given only once, and each one allowed by `known`. */
export function checkParams(query: URLSearchParams, known: (name: string) => boolean): void {
  for (const name of new Set(query.keys())) {
    if (name === 'include') {
      throw bad(name, 'include is not simulated by the sandbox (Q17); read related records separately');
    }
    if (!known(name)) throw bad(name, `'${name}' is not a supported query parameter`);
    if (query.getAll(name).length > 1) throw bad(name, `'${name}' is given more than once`);
  }
}

export const isPageParam = (name: string): boolean => name === 'page[limit]' || name === 'page[offset]';

export function pageOf(query: URLSearchParams): Page {
  return {
    limit: integerParam(query, 'page[limit]', { fallback: MAX_PAGE_LIMIT, min: 1, max: MAX_PAGE_LIMIT }, bad),
    offset: integerParam(query, 'page[offset]', { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER }, bad),
  };
}

/**
 * Where the sandbox can't be reached: port 9 (discard) is closed on loopback. Q8: the live API's
 * `links.next` is a plain `http://` URL that does not answer, so a client that follows it verbatim fails
 * here too, while one that rebuilds the request from `page[offset]` on its own base URL works.
 */
export const DEAD_ORIGIN = 'http://127.0.0.1:9';

/**
 * `meta` and `links` of a page (Q6, Q7): `{total_records, offset, limit}` without `total_pages`, and
 * `next`/`prev` always present, `null` on the last/first page.
 */
export function pageEnvelope(pathname: string, query: URLSearchParams, page: Page, total: number) {
  const link = (offset: number) => {
    const rest = new URLSearchParams([...query].filter(([name]) => !isPageParam(name))).toString();
    return `${DEAD_ORIGIN}${pathname}?page[limit]=${page.limit}&page[offset]=${offset}${rest ? `&${rest}` : ''}`;
  };
  const nextOffset = page.offset + page.limit;
  return {
    meta: { total_records: total, offset: page.offset, limit: page.limit },
    links: {
      next: nextOffset < total ? link(nextOffset) : null,
      prev: page.offset > 0 ? link(Math.max(0, page.offset - page.limit)) : null,
    },
  };
}

type Test = (value: unknown) => boolean;

const FILTER = /^filter\[([^\]]*)\](?:\[([^\]]*)\])?$/;
const SORT_PARAMS = ['sortOrder[column]', 'sortOrder[dir]'];
const SCALAR_OPERATORS = ['Is', 'Is not', 'Contains', 'Does not contain', 'Is empty', 'Is not empty'];
const COLLECTION_OPERATORS = ['Contains', 'Does not contain', 'Is empty', 'Is not empty'];

export interface ListQuery {
  page: Page;
  /** Records in the order to page through, filtered and sorted. */
  apply<T extends { attributes: Attributes }>(records: T[]): T[];
}

/** The checked query of `GET /objects/{o}/resources` (Q1–Q14). */
export function listQuery(query: URLSearchParams, model: ObjectModel): ListQuery {
  checkParams(query, (name) => isPageParam(name) || SORT_PARAMS.includes(name) || FILTER.test(name));
  const page = pageOf(query);
  const tests: { field: string; test: Test }[] = [];
  for (const [name, value] of query) {
    const match = FILTER.exec(name);
    if (match) tests.push({ field: match[1]!, test: filterTest(model, name, match[1]!, match[2], value) });
  }
  const order = sortOrder(query, model);
  return {
    page,
    apply(records) {
      const kept = records.filter((record) =>
        tests.every(({ field, test }) => test(readValue(record.attributes, field))),
      );
      return order
        ? kept
            .map((record, index) => ({ record, index }))
            .sort(order)
            .map(({ record }) => record)
        : kept;
    },
  };
}

/** The value a filter or sort reads: a nested person name reads as its full name. */
function readValue(attributes: Attributes, field: string): unknown {
  const value = attributes[field];
  if (field === 'name' && typeof value === 'object' && value !== null)
    return (value as { full_name?: unknown }).full_name;
  return value;
}

function fieldOf(model: ObjectModel, parameter: string, field: string): Field {
  if (field.includes('.')) {
    throw bad(parameter, `dotted filter paths (Q15) are not simulated by the sandbox; got '${field}'`);
  }
  const found = model.fields[field];
  if (!found) {
    throw bad(parameter, `'${field}' is not a ${model.object} attribute you can filter on`);
  }
  return found;
}

function filterTest(
  model: ObjectModel,
  parameter: string,
  field: string,
  operator: string | undefined,
  value: string,
): Test {
  const kind = fieldOf(model, parameter, field).kind;
  const collection = kind === 'collection';
  if (operator === undefined) {
    if (collection) {
      throw bad(
        parameter,
        `a collection has no exact-match operator (Q12); name one, e.g. filter[${field}][Contains]=${value}`,
      );
    }
    return shorthand(value, kind === 'decimal');
  }
  const allowed = collection ? COLLECTION_OPERATORS : SCALAR_OPERATORS;
  if (!allowed.includes(operator)) {
    throw bad(
      parameter,
      `unknown operator '${operator}' for ${field} (operators are case-sensitive; the sandbox simulates ${allowed.map((o) => `'${o}'`).join(', ')})`,
    );
  }
  if (collection) {
    const items = (v: unknown) => ((v as { items?: unknown[] } | undefined)?.items ?? []).map(String);
    const contains = (v: unknown) =>
      items(v).some((item) => item.toLowerCase().includes(value.toLowerCase()));
    switch (operator) {
      case 'Contains':
        return contains;
      case 'Does not contain':
        return (v) => !contains(v);
      case 'Is empty':
        return (v) => items(v).length === 0;
      default:
        return (v) => items(v).length > 0;
    }
  }
  return scalarTest(operator, value, kind === 'decimal');
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

function scalarTest(operator: string, value: string, numeric: boolean): Test {
  const same = (v: unknown) => !isEmpty(v) && (numeric ? Number(v) === Number(value) : String(v) === value);
  const contains = (v: unknown) => !isEmpty(v) && String(v).toLowerCase().includes(value.toLowerCase());
  switch (operator) {
    case 'Is':
      return same;
    case 'Is not':
      return (v) => !same(v);
    case 'Contains':
      return contains;
    case 'Does not contain':
      return (v) => !contains(v);
    case 'Is empty':
      return isEmpty;
    default:
      return (v) => !isEmpty(v);
  }
}

/** Q14's shorthand values of a bare `filter[field]=value`. */
function shorthand(value: string, numeric: boolean): Test {
  if (value === 'null') return isEmpty;
  if (value === '!null') return (v) => !isEmpty(v);
  if (value.startsWith('!=')) return scalarTest('Is not', value.slice(2), numeric);
  const comparison = /^(>=|<=|>|<)(.*)$/.exec(value);
  if (comparison) {
    const [, op, bound] = comparison as unknown as [string, string, string];
    const compare = (v: unknown) =>
      numeric ? Number(v) - Number(bound) : String(v) < bound ? -1 : String(v) > bound ? 1 : 0;
    return (v) => {
      if (isEmpty(v)) return false;
      const c = compare(v);
      return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0;
    };
  }
  const lower = value.toLowerCase();
  const text = (v: unknown) => (isEmpty(v) ? undefined : String(v).toLowerCase());
  if (value.length > 2 && value.startsWith('*') && value.endsWith('*'))
    return scalarTest('Contains', value.slice(1, -1), numeric);
  if (value.length > 1 && value.endsWith('*')) return (v) => text(v)?.startsWith(lower.slice(0, -1)) ?? false;
  if (value.length > 1 && value.startsWith('*')) return (v) => text(v)?.endsWith(lower.slice(1)) ?? false;
  if (value.includes(',')) {
    const tests = value.split(',').map((part) => scalarTest('Is', part.trim(), numeric));
    return (v) => tests.some((test) => test(v));
  }
  return scalarTest('Is', value, numeric);
}

type Ranked = { record: { attributes: Attributes }; index: number };

function sortOrder(
  query: URLSearchParams,
  model: ObjectModel,
): ((a: Ranked, b: Ranked) => number) | undefined {
  const column = query.get('sortOrder[column]');
  const dir = query.get('sortOrder[dir]');
  if (dir !== null && dir !== 'ASC' && dir !== 'DESC') {
    throw bad('sortOrder[dir]', `sortOrder[dir] must be ASC or DESC; got '${dir}'`);
  }
  if (column === null) {
    if (dir !== null) throw bad('sortOrder[dir]', 'sortOrder[dir] needs sortOrder[column]');
    return undefined;
  }
  const kind = fieldOf(model, 'sortOrder[column]', column).kind;
  if (kind === 'collection') throw bad('sortOrder[column]', `cannot sort by the collection '${column}'`);
  const sign = dir === 'DESC' ? -1 : 1;
  return (a, b) => {
    const x = readValue(a.record.attributes, column);
    const y = readValue(b.record.attributes, column);
    // Unset values last in either direction; ties keep creation order.
    if (isEmpty(x) || isEmpty(y)) return isEmpty(x) === isEmpty(y) ? a.index - b.index : isEmpty(x) ? 1 : -1;
    const c = kind === 'decimal' ? Number(x) - Number(y) : String(x).localeCompare(String(y));
    return c === 0 ? a.index - b.index : sign * c;
  };
}
