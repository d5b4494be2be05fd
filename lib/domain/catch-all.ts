/**
 * Catch-all accounts: Salesforce orgs park contacts without a real company under an account like
 * "Website Leads" or "Unknown Company". Creating it would make hundreds of people colleagues of each
 * other, so it is not created and its people and deals go in without a company link.
 */
export class CatchAllAccounts {
  private readonly names: Set<string>;
  /** Source ids of the catch-all rows seen so far: references to them are dropped too. */
  private readonly refs = new Set<string>();

  constructor(names: readonly string[], remembered: readonly string[] = []) {
    this.names = new Set(names.map(nameKey).filter(Boolean));
    for (const ref of remembered) this.refs.add(ref);
  }

  /** The source ids remembered so far, for a split that resumes later. */
  remembered(): string[] {
    return [...this.refs];
  }

  /** Whether a company of this name is a catch-all (compared without case, spaces or punctuation). */
  isCatchAll(name: string): boolean {
    return this.names.has(nameKey(name));
  }

  /** A catch-all company row: references to its source id are catch-all references from now on. */
  remember(ref: string | undefined): void {
    if (ref) this.refs.add(ref);
  }

  /** Whether a person's or deal's company reference (a source id or a name) points at a catch-all. */
  covers(reference: string): boolean {
    return this.refs.has(reference) || this.isCatchAll(reference);
  }
}

const nameKey = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
