import type { Entity, MergedRow, RecordEntity, SourceRow } from '#domain/entities.ts';
import type { Outcome, WindowLedger } from '#domain/outcomes.ts';
import { ReferenceIndex } from '#domain/references.ts';
import { lineageSchema } from '#domain/retry-schedule.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';
import type { ExistingRecord } from '#targets/target.ts';
import type { SplitFailure, SplitPlan } from '../split/split.ts';

/** Every settled outcome of one stage of the job, in ledger order. */
export async function loadOutcomes(store: ObjectStore, jobId: string, entity: Entity): Promise<Outcome[]> {
  const keys = await store.list(jobKeys(jobId).ledgerPrefix(entity));
  const outcomes: Outcome[] = [];
  for (const key of keys) {
    // A ledger cut short by a crash holds no settled rows yet: its window is sent (or reconciled) again.
    const ledger = await store.readJson<WindowLedger>(key);
    if (ledger.found && 'value' in ledger) for (const o of ledger.value.outcomes) if (o) outcomes.push(o);
  }
  return outcomes;
}

export async function loadIndex(
  store: ObjectStore,
  jobId: string,
  entity: RecordEntity,
): Promise<ExistingRecord[]> {
  const records: ExistingRecord[] = [];
  for (const key of await store.list(jobKeys(jobId).indexPrefix(entity))) {
    records.push(...(await store.getNdjson<ExistingRecord>(key)));
  }
  return records;
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

/** References to `entity` resolved through this job's (and its lineage's) outcomes, then the target's records. */
export async function loadReferences(
  store: ObjectStore,
  jobId: string,
  entity: RecordEntity,
): Promise<ReferenceIndex> {
  const index = new ReferenceIndex();
  for (const job of await lineageOf(store, jobId)) {
    for (const outcome of await loadOutcomes(store, job, entity)) index.addOutcome(outcome);
  }
  for (const record of await loadIndex(store, jobId, entity)) index.addExisting(record.keys, record.id);
  return index;
}

export async function loadChunk(store: ObjectStore, jobId: string, entity: Entity, part: number) {
  return store.getNdjson<SourceRow>(jobKeys(jobId).chunk(entity, part));
}

/** Fields later duplicate rows fill in, by the line of the row they merged into. */
export async function loadMerges(
  store: ObjectStore,
  jobId: string,
  entity: Entity,
  plan: Pick<SplitPlan, 'mergeParts'>,
): Promise<Map<string, MergedRow[]>> {
  const merges = new Map<string, MergedRow[]>();
  for (const merge of await loadSplitMerges(store, jobId, entity, plan)) {
    const at = `${merge.intoFile}|${merge.intoLine}`;
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
  for (let part = 0; part < parts; part++) items.push(...(await store.getNdjson<T>(keyOf(part))));
  return items;
}
