import type { RecordEntity } from '#domain/entities.ts';
import { dealKey } from '#domain/references.ts';
import type { NewRecord, TargetWorkspace } from '../target.ts';

/** What the adapter sends before it has learned anything: the live shapes (clarify.md F1, F4). */
export const ASSUMED_WORKSPACE: TargetWorkspace = {
  source: 'assumed',
  personName: 'nested',
  phoneField: 'phone_numbers',
  enums: {},
  warnings: [],
};

/**
 * Canonical fields to Clarify attributes, in the workspace's shapes: a person's name as an object or
 * flat fields (F1, F2), its lifecycle in the field the workspace declares (F7), its phone and mobile as
 * `phone_numbers: {items}` (F4), its `job_title` (F5); a deal's `close_date`, `lead_source` and
 * `description` (F9); collections as `{items}` (F3, F8). Only fields the row has are sent.
 */
export function toAttributes(
  entity: RecordEntity,
  record: NewRecord,
  workspace: TargetWorkspace = ASSUMED_WORKSPACE,
): Record<string, unknown> {
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
    if (workspace.personName === 'flat') {
      put('first_name', f.first_name);
      put('last_name', f.last_name);
    } else {
      // The name object is replaced whole on update: the part not changing goes along as the record has it.
      const name: Record<string, unknown> = {};
      const changing = f.first_name !== undefined || f.last_name !== undefined;
      const first = f.first_name ?? (changing ? record.current?.first_name : undefined);
      const last = f.last_name ?? (changing ? record.current?.last_name : undefined);
      if (first) name.first_name = first;
      if (last) name.last_name = last;
      if (Object.keys(name).length) attributes.name = name;
    }
    const emails = list(f.email);
    if (emails.length) attributes.email_addresses = { items: emails };
    // The collection is replaced whole on update: a changed mobile goes with the phone the record has.
    const changing = f.phone !== undefined || f.mobile !== undefined;
    const phones = [
      ...list(f.phone ?? (changing ? record.current?.phone : undefined)),
      ...list(f.mobile ?? (changing ? record.current?.mobile : undefined)),
    ];
    if (phones.length && workspace.phoneField) attributes[workspace.phoneField] = { items: phones };
    put(workspace.jobTitleField ?? 'job_title', f.job_title);
    if (workspace.lifecycleField) put(workspace.lifecycleField, f.status);
    put('company_id', record.parentId);
  } else if (entity === 'deal') {
    put('name', f.name);
    put('amount', f.amount);
    put('stage', f.stage);
    put('close_date', f.close_date);
    put('lead_source', f.source);
    put('description', f.notes);
    put('company_id', record.parentId);
  }
  return attributes;
}

/** The unique field `match_on` names, per object (B11); deals' `name` is not unique enough to match on. */
export const MATCH_ON: Partial<Record<RecordEntity, string>> = {
  person: 'email_addresses',
  company: 'domains',
};

const items = (value: unknown): string[] =>
  Array.isArray((value as { items?: unknown })?.items)
    ? ((value as { items: unknown[] }).items.filter((v) => typeof v === 'string') as string[])
    : [];

/** The keys an existing record answers to: people by email, companies by domain (and name, for references). */
export function matchKeys(entity: RecordEntity, attributes: Record<string, unknown>): string[] {
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

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined || value === '' ? [] : [String(value)];

/** Clarify attributes back to canonical fields, for an update that fills blanks only. */
export function fromAttributes(
  entity: RecordEntity,
  attributes: Record<string, unknown>,
  workspace: TargetWorkspace = ASSUMED_WORKSPACE,
): Record<string, string | number | string[]> {
  const out: Record<string, string | number | string[]> = {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const put = (field: string, value: unknown) => {
    const t = text(value);
    if (t !== undefined) out[field] = t;
  };
  if (entity === 'person') {
    const name = attributes.name;
    if (typeof name === 'object' && name !== null) {
      put('first_name', (name as Record<string, unknown>).first_name);
      put('last_name', (name as Record<string, unknown>).last_name);
    }
    put('first_name', out.first_name ?? attributes.first_name);
    put('last_name', out.last_name ?? attributes.last_name);
    if (workspace.lifecycleField) put('status', attributes[workspace.lifecycleField]);
    const emails = items(attributes.email_addresses);
    if (emails[0]) out.email = emails[0].toLowerCase();
    const phones = items(attributes.phone_numbers);
    if (phones[0]) out.phone = phones[0];
    if (phones[1]) out.mobile = phones[1];
    put('job_title', attributes[workspace.jobTitleField ?? 'job_title']);
  } else {
    put('name', attributes.name);
    if (entity === 'deal') {
      put('stage', attributes.stage);
      put('close_date', attributes.close_date);
      put('source', attributes.lead_source);
      put('notes', attributes.description);
    }
    if (typeof attributes.amount === 'number') out.amount = attributes.amount;
    const domains = items(attributes.domains);
    if (domains.length) out.domains = domains;
  }
  if (typeof attributes.company_id === 'string') out.parentId = attributes.company_id;
  return out;
}
