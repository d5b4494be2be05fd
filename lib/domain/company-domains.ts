import type { SourceRow } from './entities.ts';
import { workDomain } from './work-domains.ts';

/** How many companies without a website split keeps back at once; past it they go in as they are. */
export const HELD_COMPANIES = 10_000;

export interface HeldCompanies {
  held: SourceRow[];
  /** Index into `held` -> the work-email domains its people have. */
  domains: [number, string[]][];
}

/**
 * Companies without a website, kept back until their people have been read: when every work address
 * among them (free mail aside) has one domain, that is the company's domain. Clarify matches companies by
 * domain, so this is what finds the company the workspace already has instead of creating it again.
 */
export class CompanyDomains {
  private readonly held: SourceRow[] = [];
  private readonly byReference = new Map<string, number>();
  private readonly domains = new Map<number, Set<string>>();

  constructor(private readonly limit = HELD_COMPANIES) {}

  /** What is held, for a split that stops and resumes later. */
  toJSON(): HeldCompanies {
    return { held: this.held, domains: [...this.domains].map(([i, seen]) => [i, [...seen]]) };
  }

  static from(saved: HeldCompanies, limit = HELD_COMPANIES): CompanyDomains {
    const companies = new CompanyDomains(limit);
    for (const row of saved.held) companies.hold(row);
    for (const [i, seen] of saved.domains) companies.domains.set(i, new Set(seen));
    return companies;
  }

  /** Keeps a company back; false when it has a domain already or too many are held. */
  hold(company: SourceRow): boolean {
    if (company.fields.domains || this.held.length >= this.limit) return false;
    const index = this.held.push(company) - 1;
    if (company.ref && !this.byReference.has(company.ref)) this.byReference.set(company.ref, index);
    const name = `name:${String(company.fields.name).toLowerCase()}`;
    if (!this.byReference.has(name)) this.byReference.set(name, index);
    return true;
  }

  /** A person: the domain of a work email counts for the held company it points at. */
  observe(person: SourceRow): void {
    const reference = person.refs.company;
    // Nothing held (a people file read before any company, or every company with its domain): no lookup.
    if (!reference || !this.byReference.size) return;
    const domain = typeof person.fields.email === 'string' ? workDomain(person.fields.email) : undefined;
    if (!domain) return;
    const index = this.byReference.get(reference) ?? this.byReference.get(`name:${reference.toLowerCase()}`);
    if (index === undefined) return;
    const seen = this.domains.get(index) ?? new Set();
    seen.add(domain);
    this.domains.set(index, seen);
  }

  /** The held companies in the order they came, each with the one domain its people share (if any). */
  release(): { row: SourceRow; domain?: string }[] {
    const out = this.held.map((row, i) => {
      const seen = this.domains.get(i);
      return seen?.size === 1 ? { row, domain: [...seen][0] as string } : { row };
    });
    this.held.length = 0;
    this.byReference.clear();
    this.domains.clear();
    return out;
  }
}
