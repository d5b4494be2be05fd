import type { ClarifySandbox } from '#sandbox/clarify/server.ts';

/** A Clarify workspace as a person reads it: names instead of ids, for whole-record assertions. */
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
  const personName = (id: string) => {
    const a = people.find((p) => p.id === id)?.attributes ?? {};
    return [a.first_name, a.last_name].filter(Boolean).join(' ');
  };
  const optional = <K extends string>(key: K, value: unknown) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, never>);
  return {
    companies: byName(
      companies.map((c) => ({ name: c.attributes.name as string, domains: items(c.attributes.domains) })),
    ),
    people: byName(
      people.map((p) => ({
        name: personName(p.id),
        email: items(p.attributes.email_addresses)[0] ?? '',
        ...optional('status', p.attributes.status),
        ...optional('company', companyName(p.attributes.company_id)),
      })),
    ),
    deals: byName(
      sandbox.records('deal').map((d) => ({
        name: d.attributes.name as string,
        ...optional('amount', d.attributes.amount),
        ...optional('stage', d.attributes.stage),
        ...optional('company', companyName(d.attributes.company_id)),
        people: sandbox.dealPeople(d.id).map(personName).sort(),
      })),
    ),
  };
}
