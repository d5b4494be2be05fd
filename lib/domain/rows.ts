import { z } from 'zod';
import type { ColumnRole } from './columns.ts';
import type { Entity, FieldValue, SourceRow } from './entities.ts';

export interface RowFailure {
  entity: Entity;
  file: string;
  line: number;
  column?: string;
  code: 'INVALID_ROW';
  message: string;
  raw: Record<string, string>;
}

export type RowResult = { ok: true; row: SourceRow } | { ok: false; failure: RowFailure };

const emailSchema = z.email();
const DOMAIN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z]{2,63}$/;

/** `https://www.Acme.com/about` -> `acme.com`; undefined when what is left is not a domain. */
export function domainFrom(value: string): string | undefined {
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
    .replace(/\.$/, '');
  return DOMAIN.test(host) ? host : undefined;
}

/** The first address of a list ("a@x.com, b@y.com"), trimmed and lower-cased. */
export const firstEmail = (value: string): string =>
  (value.split(/[,;\s]+/).find((v) => v !== '') ?? '').toLowerCase();

export const isEmail = (value: string): boolean => emailSchema.safeParse(value).success;

/** `$1,200.50` -> 1200.5; undefined when it is not a number. */
export function amountFrom(value: string): number | undefined {
  const cleaned = value.replace(/[\s$€£¥]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

interface RowInput {
  entity: Entity;
  file: string;
  line: number;
  roles: Partial<Record<ColumnRole, string>>;
  raw: Record<string, string>;
}

/** One CSV record to a validated SourceRow, or a failure that names the file, line and column. */
export function toSourceRow(input: RowInput): RowResult {
  const { entity, file, line, roles, raw } = input;
  const value = (role: ColumnRole) => {
    const column = roles[role];
    return column === undefined ? '' : (raw[column] ?? '').trim();
  };
  const fail = (role: ColumnRole | undefined, message: string): RowResult => ({
    ok: false,
    failure: {
      entity,
      file,
      line,
      column: role ? roles[role] : undefined,
      code: 'INVALID_ROW',
      message,
      raw,
    },
  });
  const fields: Record<string, FieldValue> = {};
  const refs: SourceRow['refs'] = {};
  const ref = value('ref') || undefined;
  let key: string | undefined;

  if (entity === 'company') {
    const name = value('name');
    if (!name) return fail('name', 'a company needs a name');
    fields.name = name;
    const website = value('domain');
    if (website) {
      const domain = domainFrom(website);
      if (!domain) return fail('domain', `'${website}' is not a domain or website`);
      fields.domains = [domain];
      key = `domain:${domain}`;
    } else {
      key = `name:${name.toLowerCase()}`;
    }
  } else if (entity === 'person') {
    let first = value('first_name');
    let last = value('last_name');
    const full = value('full_name');
    if (!first && !last && full) [first, last] = splitName(full);
    if (!first && !last)
      return fail(roles.first_name ? 'first_name' : 'full_name', 'a person needs a first or last name');
    if (first) fields.first_name = first;
    if (last) fields.last_name = last;
    const emailText = value('email');
    if (emailText) {
      const email = firstEmail(emailText);
      if (!isEmail(email)) return fail('email', `'${emailText}' is not an email address`);
      fields.email = email;
      key = `email:${email}`;
    }
    const status = value('status');
    if (status) fields.status = status;
    if (value('company')) refs.company = value('company');
  } else if (entity === 'deal') {
    const name = value('name');
    if (!name) return fail('name', 'a deal needs a name');
    fields.name = name;
    const amountText = value('amount');
    if (amountText) {
      const amount = amountFrom(amountText);
      if (amount === undefined || amount < 0) return fail('amount', `'${amountText}' is not an amount`);
      fields.amount = amount;
    }
    const stage = value('stage');
    if (stage) fields.stage = stage;
    if (value('company')) refs.company = value('company');
    key = ref ? `ref:${ref}` : `deal:${name.toLowerCase()}|${(refs.company ?? '').toLowerCase()}`;
  } else {
    const deal = value('deal');
    const person = value('person');
    if (!deal) return fail('deal', 'a link needs a deal');
    if (!person) return fail('person', 'a link needs a person');
    refs.deal = deal;
    refs.person = person;
    key = `link:${deal.toLowerCase()}|${person.toLowerCase()}`;
  }
  return {
    ok: true,
    row: { entity, file, line, ...(ref ? { ref } : {}), ...(key ? { key } : {}), fields, refs, raw },
  };
}

/** "Jane van Doe" -> ["Jane", "van Doe"]. */
const splitName = (full: string): [string, string] => {
  const [first = '', ...rest] = full.split(/\s+/);
  return [first, rest.join(' ')];
};

/** Fill the blanks of `into` from `from` (first non-blank value wins); returns the fields it filled. */
export function fillBlanks(into: Record<string, FieldValue>, from: Record<string, FieldValue>) {
  const filled: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(from)) {
    if (into[name] === undefined || into[name] === '') {
      into[name] = value;
      filled[name] = value;
    }
  }
  return filled;
}
