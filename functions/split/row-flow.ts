import { CatchAllAccounts } from '#domain/catch-all.ts';
import type { CleaningLog } from '#domain/cleaning.ts';
import { CompanyDomains } from '#domain/company-domains.ts';
import type { Entity, MergedRow, SourceRow } from '#domain/entities.ts';
import { type Counters, emptyCounters } from '#domain/job-state.ts';
import { type Association, linkRow, type RowFailure } from '#domain/rows.ts';
import type { ChunkWriter } from './chunk-writer.ts';

/** A problem found while splitting: a bad row, or a whole file that could not be read. */
export type SplitFailure =
  | RowFailure
  | (Omit<RowFailure, 'entity' | 'code'> & { entity?: Entity; code: 'MALFORMED_FILE' | 'UNKNOWN_ENTITY' });

/** Per-file counters the flow keeps up to date. */
export interface FileTally {
  file: string;
  rows: number;
  failed: number;
  merged: number;
}

/** The first row with a key: where it is, which fields it has (names only, to keep memory small). */
interface FirstSeen {
  file: string;
  line: number;
  have: string;
  /** What other rows reference it by: its source id, else the value of its key (email, domain, name). */
  reference: string;
}

type RefName = keyof SourceRow['refs'];

/**
 * Where valid rows go: catch-all accounts are set aside, references are rewritten to the rows that
 * survive merging, duplicates merge into the first row with their key, association columns become link
 * rows, and companies without a domain wait for their people. Everything else is written to chunks.
 */
export class RowFlow {
  readonly failures: SplitFailure[] = [];
  readonly merges = new Map<Entity, MergedRow[]>();
  readonly counts: Record<string, Counters> = {};
  private readonly firstSeen = new Map<string, FirstSeen>();
  /** `entity|source id` of a merged row -> the reference of the row it merged into. */
  private readonly aliases = new Map<string, string>();
  private readonly catchAll: CatchAllAccounts;
  private readonly companies = new CompanyDomains();

  constructor(
    private readonly writer: ChunkWriter,
    catchAllNames: readonly string[],
    private readonly log: CleaningLog,
  ) {
    this.catchAll = new CatchAllAccounts(catchAllNames);
  }

  count(entity: Entity | undefined, what: 'rows' | 'failed' | 'merged', tally: FileTally): void {
    const key = entity ?? 'unknown';
    const c = this.counts[key] ?? emptyCounters();
    this.counts[key] = c;
    c[what] += 1;
    tally[what] += 1;
  }

  /** Every failure stands for one row in, so the summary's counts still add up. */
  fail(entity: Entity | undefined, failure: Omit<SplitFailure, 'entity'>, tally: FileTally): void {
    this.failures.push({ ...failure, entity } as SplitFailure);
    this.count(entity, 'rows', tally);
    this.count(entity, 'failed', tally);
  }

  async accept(row: SourceRow, associations: Association[], tally: FileTally): Promise<void> {
    const name = String(row.fields.name ?? '');
    if (row.entity === 'company' && this.catchAll.isCatchAll(name)) {
      this.catchAll.remember(row.ref);
      this.log.count('catchAllAccounts');
      this.log.warn({
        file: row.file,
        line: row.line,
        message: `'${name}' is a catch-all account: not created, and its people and deals go in without a company`,
      });
      return;
    }
    for (const ref of ['company', 'deal', 'person', 'client'] as RefName[]) {
      const value = row.refs[ref];
      if (value) row.refs[ref] = this.alias(ref, value);
    }
    if (row.refs.company && this.catchAll.covers(row.refs.company)) {
      delete row.refs.company;
      this.log.count('catchAllLinksDropped');
    }
    if (row.entity === 'person') this.companies.observe(row);
    await this.take(row, tally);
    for (const association of associations) {
      this.log.count('associationLinks');
      const pair = {
        deal: this.alias('deal', association.deal),
        person: this.alias('person', association.person),
      };
      await this.take(linkRow(row, pair), tally);
    }
  }

  /** How many chunks each entity was written in. */
  writerParts(): Partial<Record<Entity, number>> {
    return this.writer.parts;
  }

  /** Writes the companies kept back for a domain, now that every person has been read. */
  async finish(): Promise<void> {
    for (const { row, domain } of this.companies.release()) {
      const key = domain ? `company|domain:${domain}` : undefined;
      if (domain && key && !this.firstSeen.has(key)) {
        row.fields.domains = [domain];
        this.firstSeen.set(key, this.firstSeen.get(`company|${row.key}`) as FirstSeen);
        row.key = `domain:${domain}`;
        this.log.count('domainsFromEmails');
        this.log.warn({
          file: row.file,
          line: row.line,
          message: `no website: domain ${domain} taken from its people's work emails`,
        });
      }
      await this.writer.add(row);
    }
    await this.writer.close();
  }

  private alias(entity: RefName, reference: string): string {
    return this.aliases.get(`${entity}|${reference}`) ?? reference;
  }

  /** A valid row: merged into an earlier row with the same key, or written to its entity's chunks. */
  private async take(row: SourceRow, tally: FileTally): Promise<void> {
    this.count(row.entity, 'rows', tally);
    const seenKey = row.key ? `${row.entity}|${row.key}` : undefined;
    const first = seenKey ? this.firstSeen.get(seenKey) : undefined;
    if (first && row.key) {
      this.merge(row, first);
      this.count(row.entity, 'merged', tally);
      return;
    }
    if (seenKey && row.key) {
      const reference = row.ref ?? row.key.slice(row.key.indexOf(':') + 1);
      const have = Object.keys(row.fields).join(',');
      this.firstSeen.set(seenKey, { file: row.file, line: row.line, have, reference });
    }
    if (row.entity === 'company' && this.companies.hold(row)) return;
    await this.writer.add(row);
  }

  private merge(row: SourceRow, first: FirstSeen): void {
    const merged: MergedRow = {
      entity: row.entity,
      file: row.file,
      line: row.line,
      intoFile: first.file,
      intoLine: first.line,
      key: row.key as string,
      fill: fillFrom(first, row.fields),
      raw: row.raw,
    };
    const merges = this.merges.get(row.entity) ?? [];
    merges.push(merged);
    this.merges.set(row.entity, merges);
    // Rows that named the duplicate by its own source id now find the row it merged into.
    if (row.ref && row.ref !== first.reference && row.entity !== 'link')
      this.aliases.set(`${row.entity}|${row.ref}`, first.reference);
  }
}

/** Duplicate rows merge into the first: the first non-blank value of each field wins. */
function fillFrom(first: FirstSeen, fields: SourceRow['fields']): SourceRow['fields'] {
  const have = new Set(first.have.split(','));
  const fill: SourceRow['fields'] = {};
  for (const [name, value] of Object.entries(fields)) {
    if (have.has(name) || value === '') continue;
    fill[name] = value;
    have.add(name);
  }
  first.have = [...have].join(',');
  return fill;
}
