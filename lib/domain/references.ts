import { z } from 'zod';
import { fieldValueSchema } from './entities.ts';
import type { Outcome } from './outcomes.ts';
import { hasRecord, outcomeSchema } from './outcomes.ts';
import { domainFrom } from './rows.ts';

/**
 * What later stages need of an outcome to resolve a reference to its row: its keys, status and id, and
 * where the row was (and why it failed) to say so in a held row's message. Not its columns or mapped row.
 */
export const referenceSchema = outcomeSchema.pick({
  entity: true,
  file: true,
  line: true,
  status: true,
  id: true,
  keys: true,
  message: true,
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
});

export type Resolution =
  | { kind: 'found'; id: string }
  | { kind: 'unavailable'; by: Reference }
  | { kind: 'missing' };

/**
 * Finds the target id for a reference from another row ("Associated Company IDs", a company name, an email).
 * This job's own rows come first (their outcomes say whether the record exists), then what the target
 * already held before the job started.
 */
export class ReferenceIndex {
  private readonly job = new Map<string, Reference>();
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
      // Two rows answering to one key: the one whose record exists wins.
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

  resolve(value: string): Resolution {
    const candidates = referenceKeys(value);
    for (const key of candidates) {
      const outcome = this.job.get(key);
      if (outcome)
        return hasRecord(outcome) ? { kind: 'found', id: outcome.id } : { kind: 'unavailable', by: outcome };
    }
    for (const key of candidates) {
      const id = this.existing.get(key);
      if (id) return { kind: 'found', id };
    }
    return { kind: 'missing' };
  }
}

/** Every key that resolving these reference values may look up. */
export function wantedKeys(values: Iterable<string | undefined>): Set<string> {
  const keys = new Set<string>();
  for (const value of values) if (value) for (const key of referenceKeys(value)) keys.add(key);
  return keys;
}

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

/** The keys a row can be referenced by, recorded with its outcome. */
export function ownKeys(row: { ref?: string; key?: string; fields: Record<string, unknown> }): string[] {
  const keys: string[] = [];
  if (row.ref) keys.push(`ref:${row.ref}`);
  if (row.key) keys.push(row.key);
  if (typeof row.fields.name === 'string') keys.push(`name:${row.fields.name.trim().toLowerCase()}`);
  // A person is named by first and last name: a deal's "Contact person" (Pipedrive) finds it so.
  else if (row.fields.first_name || row.fields.last_name)
    keys.push(
      `name:${[row.fields.first_name, row.fields.last_name].filter(Boolean).join(' ').toLowerCase()}`,
    );
  return [...new Set(keys)];
}

/**
 * A deal is the same deal when its name and its company are (the key a deal row and a target's deal are
 * matched by, whatever the target calls its fields).
 */
export const dealKey = (name: string, companyId: string | undefined) =>
  `deal:${name.trim().toLowerCase()}|${companyId ?? ''}`;
