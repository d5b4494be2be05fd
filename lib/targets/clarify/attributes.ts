import type { RecordEntity } from '#domain/entities.ts';
import type { NewRecord } from '../target.ts';

/** Canonical fields to Clarify attributes. Only fields the row has are sent: a blank is never written. */
export function toAttributes(entity: RecordEntity, record: NewRecord): Record<string, unknown> {
  const f = record.fields;
  const attributes: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    if (value !== undefined && value !== '') attributes[name] = value;
  };
  if (entity === 'company') {
    put('name', f.name);
    const domains = list(f.domains);
    if (domains.length) attributes.domains = { items: domains };
  } else if (entity === 'person') {
    put('first_name', f.first_name);
    put('last_name', f.last_name);
    const emails = list(f.email);
    if (emails.length) attributes.email_addresses = { items: emails };
    put('status', f.status);
    put('company_id', record.parentId);
  } else if (entity === 'deal') {
    put('name', f.name);
    put('amount', f.amount);
    put('stage', f.stage);
    put('company_id', record.parentId);
  }
  return attributes;
}

/** The keys an existing record answers to: people by email, companies by domain (and name, for references). */
export function matchKeys(entity: RecordEntity, attributes: Record<string, unknown>): string[] {
  const items = (value: unknown): string[] =>
    Array.isArray((value as { items?: unknown })?.items)
      ? ((value as { items: unknown[] }).items.filter((v) => typeof v === 'string') as string[])
      : [];
  if (entity === 'person') return items(attributes.email_addresses).map((e) => `email:${e.toLowerCase()}`);
  if (entity === 'company') {
    const keys = items(attributes.domains).map((d) => `domain:${d.toLowerCase()}`);
    if (typeof attributes.name === 'string') keys.push(`name:${attributes.name.trim().toLowerCase()}`);
    return keys;
  }
  if (entity === 'deal' && typeof attributes.name === 'string') {
    return [
      dealKey(attributes.name, typeof attributes.company_id === 'string' ? attributes.company_id : undefined),
    ];
  }
  return [];
}

/** Deals have no unique field: a deal is the same deal when its name and company are. */
export const dealKey = (name: string, companyId: string | undefined) =>
  `deal:${name.trim().toLowerCase()}|${companyId ?? ''}`;

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined || value === '' ? [] : [String(value)];

/** Clarify attributes back to canonical fields, for an update that fills blanks only. */
export function fromAttributes(
  attributes: Record<string, unknown>,
): Record<string, string | number | string[]> {
  const out: Record<string, string | number | string[]> = {};
  const items = (value: unknown) => ((value as { items?: unknown })?.items as string[] | undefined) ?? [];
  for (const name of ['name', 'first_name', 'last_name', 'status', 'stage'] as const) {
    if (typeof attributes[name] === 'string' && attributes[name] !== '')
      out[name] = attributes[name] as string;
  }
  if (typeof attributes.amount === 'number') out.amount = attributes.amount;
  const emails = items(attributes.email_addresses);
  if (emails[0]) out.email = emails[0].toLowerCase();
  const domains = items(attributes.domains);
  if (domains.length) out.domains = domains;
  if (typeof attributes.company_id === 'string') out.parentId = attributes.company_id;
  return out;
}
