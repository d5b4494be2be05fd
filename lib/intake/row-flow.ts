import { CatchAllAccounts } from '#domain/catch-all.ts';
import type { CleaningLog } from '#domain/cleaning.ts';
import { CompanyDomains, type HeldCompanies } from '#domain/company-domains.ts';
import type { Entity, MergedRow, SourceRow } from '#domain/entities.ts';
import { type Counters, emptyCounters } from '#domain/job-state.ts';
import type { FileTally, SplitFailure } from '#domain/plan.ts';
import { type Association, linkRow } from '#domain/rows.ts';
import type { PartWriter } from '#storage/part-writer.ts';
import { type KeyEntry, KeyIndex } from './key-index.ts';

/** A problem found while splitting: a bad row, or a whole file that could not be read. */

type RefName = keyof SourceRow['refs'];

const REF_NAMES: readonly RefName[] = ['company', 'deal', 'person', 'client'];

/** Where rows, merges and failures are written, in numbered parts. */
export interface FlowWriters {
  rows: PartWriter<SourceRow>;
  merges: PartWriter<MergedRow>;
  failures: PartWriter<SplitFailure>;
}

/** What the flow knows besides its index and its writers' parts, saved when a split stops for time. */
export interface FlowMemory {
  counts: Record<string, Counters>;
  catchAll: string[];
  companies: HeldCompanies;
  /** How many rows were renamed to the row they merged into (none: no lookups needed). */
  aliases: number;
}

/**
 * Where valid rows go: catch-all accounts are set aside, references are rewritten to the rows that
 * survive merging, duplicates merge into the first row with their key, association columns become link
 * rows, and companies without a domain wait for their people. Everything else is written to chunks.
 */
export class RowFlow {
  readonly counts: Record<string, Counters>;
  private readonly catchAll: CatchAllAccounts;
  private readonly companies: CompanyDomains;
  private aliases: number;

  /**
   * `index` holds, by `entity|key`, the first row with that key: its file, line, field names and (when
   * other rows name it by a source id that is not its key's value) that id; and, by
   * `alias|entity|source id`, what a merged row's id now stands for.
   */
  constructor(
    private readonly writers: FlowWriters,
    catchAllNames: readonly string[],
    private readonly log: CleaningLog,
    private readonly index = new KeyIndex(),
    memory?: FlowMemory,
  ) {
    this.counts = memory?.counts ?? {};
    this.catchAll = new CatchAllAccounts(catchAllNames, memory?.catchAll);
    this.companies = memory ? CompanyDomains.from(memory.companies) : new CompanyDomains();
    this.aliases = memory?.aliases ?? 0;
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
    this.writers.failures.push({ ...failure, entity } as SplitFailure);
    this.count(entity, 'rows', tally);
    this.count(entity, 'failed', tally);
  }

  /**
   * Synchronous, as it runs for every row: parts that fill start on their way, and the caller awaits
   * `settle` when `mustSettle` says so.
   */
  accept(row: SourceRow, associations: Association[], tally: FileTally): void {
    const name = String(row.fields.name ?? '');
    if (row.entity === 'company' && this.catchAll.isCatchAll(name)) {
      this.catchAll.remember(row.ref);
      this.log.count('catchAllAccounts');
      this.log.warn({
        file: row.file,
        line: row.line,
        message: `'${name}' is a catch-all account: not created, and its people and deals go in without a company`,
        kind: 'catch-all account',
      });
      return;
    }
    for (const ref of REF_NAMES) {
      const value = row.refs[ref];
      const alias = value ? this.alias(ref, value) : undefined;
      if (!value || !alias) continue;
      row.refs[ref] = alias.text;
      row.aliased = { ...row.aliased, [ref]: { id: value, file: alias.file, line: alias.line } };
    }
    if (row.refs.company && this.catchAll.covers(row.refs.company)) {
      delete row.refs.company;
      this.log.count('catchAllLinksDropped');
    }
    if (row.entity === 'person') this.companies.observe(row);
    this.take(row, tally);
    // The row itself is one side of each association; the other side is a reference like any other.
    const other: RefName = row.entity === 'person' ? 'deal' : 'person';
    for (const association of associations) {
      const pair = { ...association };
      let aliased: SourceRow['aliased'];
      for (const side of ['deal', 'person'] as const) {
        const alias = this.alias(side, association[side]);
        if (!alias) continue;
        pair[side] = alias.text;
        if (side === other)
          aliased = { [side]: { id: association[side], file: alias.file, line: alias.line } };
      }
      const link = linkRow(row, pair, aliased);
      // A deal's people and a person's deals name each link from both sides: one link, not a duplicate row.
      if (this.index.find(`link|${link.key}`)) continue;
      this.log.count('associationLinks');
      this.take(link, tally);
    }
  }

  /**
   * Whether there is something to wait for: a writer with too many parts on their way or a failed write
   * to throw, or failures that filled a part (they come in where nothing can wait for a write).
   */
  get mustSettle(): boolean {
    const { rows, merges, failures } = this.writers;
    return rows.mustSettle || merges.mustSettle || failures.mustSettle;
  }

  /** Writes the failures that filled a part, and waits until no writer has too many parts on their way. */
  async settle(): Promise<void> {
    await this.writers.rows.settle();
    await this.writers.merges.settle();
    await this.writers.failures.flushFull();
  }

  /** Writes everything buffered: at a stop, a resumed split carries on with the next part numbers. */
  async flush(): Promise<void> {
    await this.writers.rows.close();
    await this.writers.merges.close();
    await this.writers.failures.close();
  }

  /** What to save, with the index, for the split to resume later (after `flush`). */
  memory(): FlowMemory {
    return {
      counts: this.counts,
      catchAll: this.catchAll.remembered(),
      companies: this.companies.toJSON(),
      aliases: this.aliases,
    };
  }

  /** How many parts of rows, merges and failures were written, per group. */
  writerParts() {
    const { rows, merges, failures } = this.writers;
    return { rows: rows.parts, merges: merges.parts, failures: failures.parts };
  }

  /** Writes the companies kept back for a domain, now that every person has been read. */
  async finish(): Promise<void> {
    for (const { row, domain } of this.companies.release()) {
      const key = domain ? `company|domain:${domain}` : undefined;
      const first = this.index.find(`company|${row.key}`);
      if (domain && key && first && !this.index.has(key)) {
        row.fields.domains = [domain];
        // Whatever named the company by its name still does.
        this.index.set(key, { ...first, text: first.text ?? keyValue(row.key as string) });
        row.key = `domain:${domain}`;
        this.log.count('domainsFromEmails');
        this.log.warn({
          file: row.file,
          line: row.line,
          message: `no website: domain ${domain} taken from its people's work emails`,
          kind: 'domain from emails',
        });
      }
      await this.writers.rows.add(row);
    }
    await this.flush();
  }

  /** What a merged duplicate's id now stands for, and where that duplicate was; undefined for any other id. */
  private alias(
    entity: RefName,
    reference: string,
  ): { text: string; file: string; line: number } | undefined {
    if (!this.aliases) return undefined;
    const entry = this.index.find(`alias|${entity}|${reference}`);
    return entry?.text === undefined ? undefined : { text: entry.text, file: entry.file, line: entry.line };
  }

  /** A valid row: merged into an earlier row with the same key, or written to its entity's chunks. */
  private take(row: SourceRow, tally: FileTally): void {
    this.count(row.entity, 'rows', tally);
    const seenKey = row.key ? `${row.entity}|${row.key}` : undefined;
    const first = seenKey ? this.index.find(seenKey) : undefined;
    if (first && seenKey) {
      this.merge(row, seenKey, first);
      this.count(row.entity, 'merged', tally);
      return;
    }
    if (seenKey && row.key) {
      // The reference is the key's own value unless the row has a source id: only then is it kept.
      const own = keyValue(row.key);
      const text = row.ref && row.ref !== own ? row.ref : undefined;
      this.index.set(seenKey, { file: row.file, line: row.line, fields: Object.keys(row.fields), text });
    }
    if (row.entity === 'company' && this.companies.hold(row)) return;
    this.writers.rows.put(row);
  }

  private merge(row: SourceRow, seenKey: string, first: KeyEntry): void {
    const key = row.key as string;
    const fill = fillFrom(first, row.fields);
    this.index.addFields(seenKey, Object.keys(fill));
    this.writers.merges.put({
      entity: row.entity,
      file: row.file,
      line: row.line,
      intoFile: first.file,
      intoLine: first.line,
      key,
      fill,
      raw: row.raw,
    });
    // Rows that named the duplicate by its own source id now find the row it merged into.
    const reference = first.text ?? keyValue(key);
    if (row.ref && row.ref !== reference && row.entity !== 'link') {
      this.index.set(`alias|${row.entity}|${row.ref}`, {
        file: row.file,
        line: row.line,
        fields: [],
        text: reference,
      });
      this.aliases += 1;
    }
  }
}

/** What a key matches on: `domain:acme.com` -> `acme.com`. */
const keyValue = (key: string) => key.slice(key.indexOf(':') + 1);

/** Duplicate rows merge into the first: the first non-blank value of each field wins. */
function fillFrom(first: KeyEntry, fields: SourceRow['fields']): SourceRow['fields'] {
  const have = new Set(first.fields);
  const fill: SourceRow['fields'] = {};
  for (const [name, value] of Object.entries(fields)) {
    if (have.has(name) || value === '') continue;
    fill[name] = value;
    have.add(name);
  }
  return fill;
}
