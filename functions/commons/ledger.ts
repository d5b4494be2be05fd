import type { Entity, MergedRow, RecordEntity, SourceRow } from '#domain/entities.ts';
import type { Outcome, WindowLedger } from '#domain/outcomes.ts';
import type { SplitFailure, SplitPlan } from '#domain/plan.ts';
import { type Reference, ReferenceIndex, referenceOf } from '#domain/references.ts';
import { lineageSchema } from '#domain/retry-schedule.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import { PartWriter } from '#storage/part-writer.ts';
import type { ExistingRecord } from '#targets/target.ts';

/** Objects read at once: a stage's ledger is one object per request, thousands of them at scale. */
const READS_IN_FLIGHT = 32;

/**
 * Every settled outcome of one stage of the job, in ledger order, handed to `visit` one ledger at a time
 * (the report keeps only what it needs of each). Ledgers are read READS_IN_FLIGHT at a time.
 */
export async function forEachOutcome(
  store: ObjectStore,
  jobId: string,
  entity: Entity,
  visit: (outcome: Outcome) => void,
): Promise<void> {
  const keys = await store.list(jobKeys(jobId).ledgerPrefix(entity));
  for await (const ledger of readInOrder(keys, (key) => store.readJson<WindowLedger>(key))) {
    // A ledger cut short by a crash holds no settled rows yet: its window is sent (or reconciled) again.
    if (ledger.found && 'value' in ledger) for (const o of ledger.value.outcomes) if (o) visit(o);
  }
}

/**
 * Reads the objects `read` gives for `keys`, up to `inFlight` at once, and yields them in key order.
 * A read that fails is thrown when its turn comes, not before.
 */
export async function* readInOrder<T>(
  keys: readonly string[],
  read: (key: string) => Promise<T>,
  inFlight = READS_IN_FLIGHT,
): AsyncGenerator<T> {
  const pending: Promise<T>[] = [];
  let next = 0;
  const start = () => {
    const reading = read(keys[next++] as string);
    // Its error surfaces when it is awaited; until then it must not count as unhandled.
    reading.catch(() => undefined);
    pending.push(reading);
  };
  while (next < keys.length && pending.length < inFlight) start();
  while (pending.length) {
    const value = await (pending.shift() as Promise<T>);
    if (next < keys.length) start();
    yield value;
  }
}

/**
 * A finished stage's references, compacted by its last Task into parts of REFERENCES_PER_PART: a later
 * Task reads a few objects, not one per request the stage sent.
 */
export interface ReferenceManifest {
  parts: number;
  count: number;
  /** Every ledger up to and including this key is in the parts written so far. */
  after?: string;
  complete: boolean;
}

const REFERENCES_PER_PART = 20_000;

/**
 * Writes a finished stage's references (see Reference), resuming where an earlier Task stopped. Returns
 * false when `outOfTime` stopped it first: the next Task carries on from the last part written.
 */
export async function compactReferences(
  store: ObjectStore,
  jobId: string,
  entity: Entity,
  outOfTime: () => boolean,
  perPart = REFERENCES_PER_PART,
): Promise<boolean> {
  const keys = jobKeys(jobId);
  const manifest = (await store.findJson<ReferenceManifest>(keys.references(entity))) ?? {
    parts: 0,
    count: 0,
    complete: false,
  };
  if (manifest.complete) return true;
  const ledgers = await store.list(keys.ledgerPrefix(entity), manifest.after);
  let buffer: Reference[] = [];
  let i = 0;
  const writePart = async (complete: boolean) => {
    if (buffer.length) {
      await store.putNdjson(keys.referencePart(entity, manifest.parts), buffer);
      manifest.parts += 1;
      manifest.count += buffer.length;
      buffer = [];
    }
    if (i > 0) manifest.after = ledgers[i - 1];
    manifest.complete = complete;
    await store.putJson(keys.references(entity), manifest);
  };
  for await (const ledger of readInOrder(ledgers, (key) => store.readJson<WindowLedger>(key))) {
    i += 1;
    if (ledger.found && 'value' in ledger)
      for (const o of ledger.value.outcomes) if (o) buffer.push(referenceOf(o));
    if (buffer.length >= perPart) {
      await writePart(false);
      if (outOfTime()) return false;
    }
  }
  await writePart(true);
  return true;
}

/** A stage's references: from its compacted parts once it finished, else read from its ledger. */
export async function loadStageReferences(
  store: ObjectStore,
  jobId: string,
  entity: Entity,
  visit: (reference: Reference) => void,
): Promise<void> {
  const keys = jobKeys(jobId);
  const manifest = await store.findJson<ReferenceManifest>(keys.references(entity));
  if (!manifest?.complete) return forEachOutcome(store, jobId, entity, (o) => visit(referenceOf(o)));
  const parts = Array.from({ length: manifest.parts }, (_, part) => keys.referencePart(entity, part));
  for await (const references of readInOrder(parts, (key) => store.getNdjson<Reference>(key), 4))
    for (const reference of references) visit(reference);
}

/** What the target held of an entity when the job began, a page or part at a time, in the order it was read. */
export async function forEachExisting(
  store: ObjectStore,
  jobId: string,
  entity: RecordEntity,
  visit: (record: ExistingRecord) => void,
): Promise<void> {
  const keys = jobKeys(jobId);
  const snapshot = await store.findJson<IndexCount>(keys.indexCount(entity));
  const objects =
    snapshot?.parts === undefined
      ? await store.list(keys.indexPrefix(entity))
      : Array.from({ length: snapshot.parts }, (_, part) => keys.indexPart(entity, part));
  for await (const page of readInOrder(objects, (key) => store.getNdjson<ExistingRecord>(key)))
    for (const record of page) visit(record);
}

/** Written once an entity's snapshot is complete; `parts` once its pages are compacted. */
interface IndexCount {
  count: number;
  parts?: number;
}

/**
 * Rewrites an entity's snapshot, read a page of the API's at a time, in parts of REFERENCES_PER_PART
 * records: every create Task of the stage reads it. Returns how many parts it wrote.
 */
export async function compactIndex(
  store: ObjectStore,
  jobId: string,
  entity: RecordEntity,
  perPart = REFERENCES_PER_PART,
): Promise<number> {
  const keys = jobKeys(jobId);
  const parts = new PartWriter<ExistingRecord>(
    store,
    (_, part) => keys.indexPart(entity, part),
    () => entity,
    perPart,
  );
  const pages = await store.list(keys.indexPrefix(entity));
  for await (const page of readInOrder(pages, (key) => store.getNdjson<ExistingRecord>(key)))
    for (const record of page) await parts.add(record);
  await parts.close();
  return parts.parts[entity] ?? 0;
}

/**
 * The jobs whose outcomes a job can reference: itself, and for a scheduled re-run the original job and
 * the re-runs before it (a person re-run today points at the company created last week).
 */
export async function lineageOf(store: ObjectStore, jobId: string): Promise<string[]> {
  const plan = await store.findJson<{ retryOf?: string }>(jobKeys(jobId).plan);
  if (!plan?.retryOf) return [jobId];
  const lineage = lineageSchema.safeParse(await store.findJson<unknown>(jobKeys(plan.retryOf).lineage));
  const runs = lineage.data?.runs ?? [];
  const before = runs.includes(jobId) ? runs.slice(0, runs.indexOf(jobId)) : runs;
  return [plan.retryOf, ...before, jobId];
}

/**
 * References to `entity` resolved through this job's (and its lineage's) outcomes, then the target's
 * records. Given `wanted` (see wantedKeys), only those keys are kept.
 */
export async function loadReferences(
  store: ObjectStore,
  jobId: string,
  entity: RecordEntity,
  wanted?: ReadonlySet<string>,
): Promise<ReferenceIndex> {
  const index = new ReferenceIndex(wanted);
  for (const job of await lineageOf(store, jobId))
    await loadStageReferences(store, job, entity, (reference) => index.addOutcome(reference));
  await forEachExisting(store, jobId, entity, (record) => index.addExisting(record.keys, record.id));
  return index;
}

export async function loadChunk(store: ObjectStore, jobId: string, entity: Entity, part: number) {
  return store.getNdjson<SourceRow>(jobKeys(jobId).chunk(entity, part));
}

/** Fields later duplicate rows fill in, by the line of the row they merged into (of `into` only, when given). */
export async function loadMerges(
  store: ObjectStore,
  jobId: string,
  entity: Entity,
  plan: Pick<SplitPlan, 'mergeParts'>,
  into?: ReadonlySet<string>,
): Promise<Map<string, MergedRow[]>> {
  const merges = new Map<string, MergedRow[]>();
  for (const merge of await loadSplitMerges(store, jobId, entity, plan)) {
    const at = `${merge.intoFile}|${merge.intoLine}`;
    if (into && !into.has(at)) continue;
    merges.set(at, [...(merges.get(at) ?? []), merge]);
  }
  return merges;
}

/** The duplicate rows of an entity that split merged, in the parts it wrote them in. */
export const loadSplitMerges = (
  store: ObjectStore,
  jobId: string,
  entity: Entity,
  plan: Pick<SplitPlan, 'mergeParts'>,
) => loadParts<MergedRow>(store, (part) => jobKeys(jobId).merges(entity, part), plan.mergeParts?.[entity]);

/** The rows split could not read or map, in the parts it wrote them in. */
export const loadSplitFailures = (store: ObjectStore, jobId: string, plan: Pick<SplitPlan, 'failureParts'>) =>
  loadParts<SplitFailure>(store, (part) => jobKeys(jobId).splitFailures(part), plan.failureParts);

async function loadParts<T>(store: ObjectStore, keyOf: (part: number) => string, parts = 0): Promise<T[]> {
  const items: T[] = [];
  const keys = Array.from({ length: parts }, (_, part) => keyOf(part));
  for await (const page of readInOrder(keys, (key) => store.getNdjson<T>(key), 4))
    for (const item of page) items.push(item);
  return items;
}
