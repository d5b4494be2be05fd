import { z } from 'zod';
import { fieldValueSchema, type SourceRow } from './entities.ts';
import type { Outcome } from './outcomes.ts';
import { hasRecord, outcomeSchema } from './outcomes.ts';
import { domainFrom } from './rows.ts';

/**
 * What later stages need of an outcome to resolve a reference to its row: its keys, status and id, and
 * where the row was (and why it failed, and whether the schedule can retry it) to say so in a held row's
 * message. Not its columns or mapped row.
 */
export const referenceSchema = outcomeSchema.pick({
  entity: true,
  file: true,
  line: true,
  status: true,
  id: true,
  keys: true,
  message: true,
  retryable: true,
});
export type Reference = z.infer<typeof referenceSchema>;

/**
 * A finished stage's references, compacted by its last Task into numbered parts: a later Task reads a
 * few objects, not one per request the stage sent.
 */
export const referenceManifestSchema = z.object({
  parts: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  /** Every ledger up to and including this key is in the parts written so far. */
  after: z.string().optional(),
  complete: z.boolean(),
});
export type ReferenceManifest = z.infer<typeof referenceManifestSchema>;

/** A record that already exists in the target, with the match keys it answers to. */
export const existingRecordSchema = z.object({
  id: z.string(),
  keys: z.array(z.string()),
  /** Its current values in canonical fields (parentId for company_id / client_id): an update fills blanks. */
  fields: z.record(z.string(), fieldValueSchema).optional(),
});
export type ExistingRecord = z.infer<typeof existingRecordSchema>;

/** Written once an entity's snapshot of the target is complete; `parts` once its pages are compacted. */
export const snapshotCountSchema = z.object({
  count: z.number().int().nonnegative(),
  parts: z.number().int().nonnegative().optional(),
});
export type SnapshotCount = z.infer<typeof snapshotCountSchema>;

export const referenceOf = (o: Outcome): Reference => ({
  entity: o.entity,
  file: o.file,
  line: o.line,
  status: o.status,
  ...(o.id ? { id: o.id } : {}),
  ...(o.keys?.length ? { keys: o.keys } : {}),
  ...(o.message && (o.status === 'failed' || o.status === 'held') ? { message: o.message } : {}),
  // What waits on a failed row is re-run by the schedule only if that row can be.
  ...((o.status === 'failed' || o.status === 'held') && o.retryable === false ? { retryable: false } : {}),
});

/** A row of the input, by its place. */
export interface Place {
  file: string;
  line: number;
}

export type Resolution =
  | { kind: 'found'; id: string }
  | { kind: 'unavailable'; by: Reference }
  /** Two different rows answer to it (an id given twice, a name two people share): never guessed. */
  | { kind: 'ambiguous'; by: [Place, Place] }
  | { kind: 'missing' };

type RefName = keyof SourceRow['refs'];

/**
 * What a row asks of the index for one of its references: the value, the company it is within (a name
 * two people share is told apart by it), and, when split rewrote the reference to the row a duplicate
 * merged into, the id as the file gave it and where that duplicate was.
 */
export interface ReferenceAsk {
  value: string;
  within?: string;
  aliased?: { id: string } & Place;
}

/** What `row` asks for its reference to `ref`; undefined when it names none. */
export function askOf(row: Pick<SourceRow, 'refs' | 'aliased'>, ref: RefName): ReferenceAsk | undefined {
  const value = row.refs[ref];
  if (!value) return undefined;
  const within = ref === 'company' ? undefined : row.refs.company;
  const aliased = row.aliased?.[ref];
  return { value, ...(within ? { within } : {}), ...(aliased ? { aliased } : {}) };
}

const describePlace = (at: Place) => `${at.file} line ${at.line}`;

/** Says which two rows make a reference ambiguous, for AMBIGUOUS_REFERENCE. */
export const ambiguity = (what: string, value: string, by: [Place, Place]) =>
  `${what} '${value}' names two different rows, ${describePlace(by[0])} and ${describePlace(by[1])}: give each its own id (or the person's company), or link it in manifest.json by another column`;

const samePlace = (a: Place, b: Place) => a.file === b.file && a.line === b.line;

/**
 * Finds the target id for a reference from another row ("Associated Company IDs", a company name, an email).
 * This job's own rows come first (their outcomes say whether the record exists), then what the target
 * already held before the job started.
 */
export class ReferenceIndex {
  private readonly job = new Map<string, Reference>();
  /** A second row whose record answers to a key too, with another id: the key is ambiguous. */
  private readonly rivals = new Map<string, Reference>();
  private readonly existing = new Map<string, string>();

  /**
   * `wanted`: the only keys it will be asked about (those of the rows at hand, see wantedKeys). Others
   * are passed over as they are added, so its memory follows the rows, not the stage they point at.
   */
  constructor(private readonly wanted?: ReadonlySet<string>) {}

  addOutcome(outcome: Reference): void {
    for (const key of outcome.keys ?? []) {
      if (this.wanted && !this.wanted.has(key)) continue;
      const current = this.job.get(key);
      // Two records of different rows answering to one key: which one is meant cannot be told.
      if (
        current &&
        !samePlace(current, outcome) &&
        hasRecord(current) &&
        hasRecord(outcome) &&
        current.id !== outcome.id
      ) {
        if (!this.rivals.has(key)) this.rivals.set(key, outcome);
        continue;
      }
      // Otherwise (a row of a re-run, a row that failed beside one that went in) the record wins.
      if (!current || (!hasRecord(current) && hasRecord(outcome))) this.job.set(key, outcome);
    }
  }

  addExisting(keys: readonly string[], id: string): void {
    for (const key of keys)
      if (!this.existing.has(key) && (!this.wanted || this.wanted.has(key))) this.existing.set(key, id);
  }

  existingId(key: string): string | undefined {
    return this.existing.get(key);
  }

  resolve(ask: string | ReferenceAsk): Resolution {
    const { value, within, aliased } = typeof ask === 'string' ? { value: ask } : ask;
    const candidates = referenceKeys(value);
    for (const key of candidates) {
      const found = this.fromJob(key, within);
      if (found) return aliased && found.kind === 'found' ? this.unaliased(found, aliased) : found;
    }
    for (const key of candidates) {
      const id = this.existing.get(key);
      if (id) return { kind: 'found', id };
    }
    return { kind: 'missing' };
  }

  private fromJob(key: string, within: string | undefined): Resolution | undefined {
    const outcome = this.job.get(key);
    if (!outcome) return undefined;
    const rival = this.rivals.get(key);
    if (rival) {
      // A name two rows share: the one within the asking row's company, if only one is.
      const told =
        within && key.startsWith('name:') ? this.fromJob(withinKey(key, within), undefined) : undefined;
      return told ?? { kind: 'ambiguous', by: [outcome, rival] };
    }
    return hasRecord(outcome) ? { kind: 'found', id: outcome.id } : { kind: 'unavailable', by: outcome };
  }

  /**
   * A reference split rewrote to the row a duplicate merged into still names, by the duplicate's own id,
   * any other row that has that id: then it is ambiguous.
   */
  private unaliased(found: { kind: 'found'; id: string }, aliased: { id: string } & Place): Resolution {
    const other = this.job.get(`ref:${aliased.id}`);
    if (other && hasRecord(other) && other.id !== found.id)
      return { kind: 'ambiguous', by: [other, { file: aliased.file, line: aliased.line }] };
    return found;
  }
}

/** Every key that resolving these references may look up. */
export function wantedKeys(asks: Iterable<string | ReferenceAsk | undefined>): Set<string> {
  const keys = new Set<string>();
  for (const ask of asks) {
    if (!ask) continue;
    const { value, within, aliased } = typeof ask === 'string' ? { value: ask } : ask;
    for (const key of referenceKeys(value)) {
      keys.add(key);
      if (within && key.startsWith('name:')) keys.add(withinKey(key, within));
    }
    if (aliased) keys.add(`ref:${aliased.id}`);
  }
  return keys;
}

/** A name key within a company (as the rows name the company): how two same-named people are told apart. */
const withinKey = (nameKey: string, company: string) => `${nameKey}|company:${company.trim().toLowerCase()}`;

/** The keys a reference value may match: a source id, an email, a domain or website, a name. */
export function referenceKeys(value: string): string[] {
  const v = value.trim();
  const lower = v.toLowerCase();
  const keys = [`ref:${v}`];
  if (lower.includes('@')) keys.push(`email:${lower}`);
  const domain = domainFrom(v);
  if (domain) keys.push(`domain:${domain}`);
  keys.push(`name:${lower}`);
  return keys;
}

/**
 * The keys a row can be referenced by, recorded with its outcome: its id, its match key, its name, and
 * its name within its company (what tells two same-named people apart).
 */
export function ownKeys(row: {
  ref?: string;
  key?: string;
  fields: Record<string, unknown>;
  refs?: { company?: string };
}): string[] {
  const keys: string[] = [];
  if (row.ref) keys.push(`ref:${row.ref}`);
  if (row.key) keys.push(row.key);
  let name: string | undefined;
  if (typeof row.fields.name === 'string') name = `name:${row.fields.name.trim().toLowerCase()}`;
  // A person is named by first and last name: a deal's "Contact person" (Pipedrive) finds it so.
  else if (row.fields.first_name || row.fields.last_name)
    name = `name:${[row.fields.first_name, row.fields.last_name].filter(Boolean).join(' ').toLowerCase()}`;
  if (name) keys.push(name);
  if (name && row.refs?.company) keys.push(withinKey(name, row.refs.company));
  return [...new Set(keys)];
}

/**
 * A deal is the same deal when its name and its company are (the key a deal row and a target's deal are
 * matched by, whatever the target calls its fields).
 */
export const dealKey = (name: string, companyId: string | undefined) =>
  `deal:${name.trim().toLowerCase()}|${companyId ?? ''}`;
