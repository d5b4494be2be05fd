import type { ClarifySandbox } from '#sandbox/clarify/server.ts';
import { lifecycleOf, personName } from './clarify-records.ts';

/**
 * A Clarify workspace as a person reads it: names instead of ids, for whole-record assertions. A person's
 * `status` is the workspace's lifecycle select (`stage` by default), whatever it is called there.
 */
export interface WorkspaceView {
  companies: { name: string; domains: string[] }[];
  people: { name: string; email: string; status?: string; company?: string }[];
  deals: { name: string; amount?: number; stage?: string; company?: string; people: string[] }[];
}

const items = (value: unknown): string[] => (value as { items?: string[] } | undefined)?.items ?? [];
const byName = <T extends { name: string }>(list: T[]) => list.sort((a, b) => a.name.localeCompare(b.name));

export function workspaceOf(sandbox: ClarifySandbox): WorkspaceView {
  const companies = sandbox.records('company');
  const people = sandbox.records('person');
  const companyName = (id: unknown) =>
    companies.find((c) => c.id === id)?.attributes.name as string | undefined;
  const nameOf = (id: string) => personName(people.find((p) => p.id === id)?.attributes);
  const optional = <K extends string>(key: K, value: unknown) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, never>);
  return {
    companies: byName(
      companies.map((c) => ({ name: c.attributes.name as string, domains: items(c.attributes.domains) })),
    ),
    people: byName(
      people.map((p) => ({
        name: personName(p.attributes),
        email: items(p.attributes.email_addresses)[0] ?? '',
        ...optional('status', lifecycleOf(p.attributes, sandbox.variants)),
        ...optional('company', companyName(p.attributes.company_id)),
      })),
    ),
    deals: byName(
      sandbox.records('deal').map((d) => ({
        name: d.attributes.name as string,
        ...optional('amount', d.attributes.amount),
        ...optional('stage', d.attributes.stage),
        ...optional('company', companyName(d.attributes.company_id)),
        people: sandbox.dealPeople(d.id).map(nameOf).sort(),
      })),
    ),
  };
}
