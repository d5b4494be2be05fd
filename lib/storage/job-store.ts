import { z } from 'zod';
import {
  type Entity,
  type MergedRow,
  mergedRowSchema,
  type RecordEntity,
  type SourceRow,
  sourceRowSchema,
} from '#domain/entities.ts';
import { type LinkPlan, linkPlanSchema } from '#domain/link-plan.ts';
import { type Outcome, type WindowLedger, windowLedgerSchema } from '#domain/outcomes.ts';
import { type SplitFailure, type SplitPlan, splitFailureSchema, splitPlanSchema } from '#domain/plan.ts';
import {
  type ExistingRecord,
  existingRecordSchema,
  type Reference,
  ReferenceIndex,
  referenceManifestSchema,
  referenceOf,
  referenceSchema,
  snapshotCountSchema,
} from '#domain/references.ts';
import type { Summary } from '#domain/report.ts';
import { type Lineage, lineageJobs, lineageSchema } from '#domain/retry-schedule.ts';
import { type ProbeResult, probeResultSchema } from '#targets/target.ts';
import { type TargetWorkspace, targetWorkspaceSchema } from '#targets/workspace.ts';
import { jobKeys } from './job-keys.ts';
import type { ObjectStore } from './object-store.ts';
import { chunkWriter, PartWriter } from './part-writer.ts';
import { readInOrder } from './read-in-order.ts';
import {
  findChecked,
  readChecked,
  readNdjsonChecked,
  storedError,
  streamNdjsonChecked,
} from './stored-data.ts';

/** References and snapshot records per compacted part. */
const RECORDS_PER_PART = 20_000;

/** A ledger as the next Task finds it: none yet, cut short by a crash mid-write, or whole. */
export type StoredLedger =
  | { found: false }
  | { found: true; corrupt: true }
  | { found: true; value: WindowLedger };

const preflightSchema = z.array(probeResultSchema);
/** What a later report reads of an earlier one (a re-run's report rewrites its original's). */
const earlierSummarySchema = z.looseObject({
  source: z.string(),
  requests: z.object({ sent: z.number(), throttled: z.number() }),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/** A report written before re-run rows had a file of their own: its failures carry their mapped rows. */
const legacyFailuresSchema = z.array(
  z.looseObject({ retryable: z.boolean(), source: sourceRowSchema.optional() }),
);

/** Ledgers a JobStore remembers having written, at most: a Task's worth at the limits the targets document. */
const WRITTEN_LEDGERS = 4_000;

/**
 * Everything a job keeps in the bucket, read and written by every stage through here: the split plan,
 * the rows, the ledger, the references of finished stages, the target's snapshot, the link plan, what
 * the preflight found and learned, the lineage of re-runs and the report's files. Each object is read
 * against its schema (`lib/domain`): one that is not what it should be fails with its key named.
 */
export class JobStore {
  readonly keys: ReturnType<typeof jobKeys>;
  /**
   * The ledgers this JobStore wrote, as written: the stage's last Task compacts its references from them
   * instead of reading back what it has just written (a stage of 200 windows in one Task: 200 GETs).
   */
  private readonly written = new Map<string, WindowLedger>();

  constructor(
    readonly objects: ObjectStore,
    readonly jobId: string,
  ) {
    this.keys = jobKeys(jobId);
  }

  /** Another job in the same bucket (the job a re-run comes from, its lineage). */
  job(jobId: string): JobStore {
    return new JobStore(this.objects, jobId);
  }

  // The split plan: what split found, for every stage after it.

  findPlan(): Promise<SplitPlan | undefined> {
    return findChecked(this.objects, this.keys.plan, splitPlanSchema, 'split plan');
  }

  async plan(): Promise<SplitPlan> {
    const plan = await this.findPlan();
    if (!plan) throw storedError(`${this.keys.plan} is missing: the job was never split`);
    return plan;
  }

  putPlan(plan: SplitPlan): Promise<void> {
    return this.objects.putJson(this.keys.plan, plan);
  }

  // Rows: the chunks of mapped rows, the duplicates merged into them, the rows split could not take.

  chunk(entity: Entity, part: number): Promise<SourceRow[]> {
    return readNdjsonChecked(this.objects, this.keys.chunk(entity, part), sourceRowSchema);
  }

  chunkWriter(size: number, parts: Partial<Record<Entity, number>> = {}): PartWriter<SourceRow> {
    return chunkWriter(this.objects, this.jobId, size, parts);
  }

  mergeWriter(size: number, parts: Partial<Record<Entity, number>>): PartWriter<MergedRow> {
    return new PartWriter<MergedRow>(
      this.objects,
      (entity, part) => this.keys.merges(entity as Entity, part),
      (merge) => merge.entity,
      size,
      parts,
    );
  }

  failureWriter(size: number, parts: number): PartWriter<SplitFailure> {
    return new PartWriter<SplitFailure>(
      this.objects,
      (_, part) => this.keys.splitFailures(part),
      () => FAILURES,
      size,
      { [FAILURES]: parts },
    );
  }

  /** The duplicate rows of an entity that split merged, in the parts it wrote them in. */
  splitMerges(entity: Entity, plan: Pick<SplitPlan, 'mergeParts'>): Promise<MergedRow[]> {
    return this.parts((part) => this.keys.merges(entity, part), plan.mergeParts?.[entity], mergedRowSchema);
  }

  /** The rows split could not read or map, in the parts it wrote them in. */
  splitFailures(plan: Pick<SplitPlan, 'failureParts'>): Promise<SplitFailure[]> {
    return this.parts((part) => this.keys.splitFailures(part), plan.failureParts, splitFailureSchema);
  }

  // The ledger: each window's outcomes, written before the cursor moves past it.

  ledger(entity: Entity, part: number, offset: number): Promise<StoredLedger> {
    return this.readLedger(this.keys.ledger(entity, part, offset));
  }

  async putLedger(ledger: WindowLedger): Promise<void> {
    const key = this.keys.ledger(ledger.entity, ledger.part, ledger.start);
    const copy = structuredClone(ledger);
    this.written.delete(key);
    await this.objects.putJson(key, copy);
    if (this.written.size < WRITTEN_LEDGERS) this.written.set(key, copy);
  }

  /** The rows of a stage the job stopped before, held for the re-run (none: the object is removed). */
  async putNotAttempted(entity: Entity, held: Outcome[]): Promise<void> {
    const key = this.keys.notAttempted(entity);
    if (!held.length) return this.objects.delete(key);
    const ledger: WindowLedger = {
      entity,
      part: -1,
      start: 0,
      end: held.length,
      outcomes: held,
      attempts: 0,
    };
    await this.objects.putJson(key, ledger);
  }

  /** Every whole ledger of a stage but its not-attempted rows, one at a time, in key order. */
  async forEachLedger(entity: Entity, visit: (ledger: WindowLedger) => void): Promise<void> {
    const own = this.keys.notAttempted(entity);
    for (const key of await this.objects.list(this.keys.ledgerPrefix(entity))) {
      if (key === own) continue;
      const ledger = await this.readLedger(key);
      if (ledger.found && 'value' in ledger) visit(ledger.value);
    }
  }

  /**
   * Every settled outcome of one stage, in ledger order, handed to `visit` one ledger at a time (the
   * report keeps only what it needs of each), the ledgers read many at once.
   */
  async forEachOutcome(entity: Entity, visit: (outcome: Outcome) => void): Promise<void> {
    const keys = await this.objects.list(this.keys.ledgerPrefix(entity));
    for await (const ledger of readInOrder(keys, (key) => this.readLedger(key))) {
      // A ledger cut short by a crash holds no settled rows yet: its window is sent (or reconciled) again.
      if (ledger.found && 'value' in ledger) for (const o of ledger.value.outcomes) if (o) visit(o);
    }
  }

  // References: a finished stage compacted for the stages after it.

  /**
   * Writes a finished stage's references (see Reference) in parts, resuming where an earlier Task
   * stopped. Returns false when `outOfTime` stopped it first: the next Task carries on after the last
   * part written.
   */
  async compactReferences(
    entity: Entity,
    outOfTime: () => boolean,
    perPart = RECORDS_PER_PART,
  ): Promise<boolean> {
    const key = this.keys.references(entity);
    const manifest = (await findChecked(
      this.objects,
      key,
      referenceManifestSchema,
      'references manifest',
    )) ?? {
      parts: 0,
      count: 0,
      complete: false,
    };
    if (manifest.complete) return true;
    const ledgers = await this.objects.list(this.keys.ledgerPrefix(entity), manifest.after);
    let buffer: Reference[] = [];
    let read = 0;
    const writePart = async (complete: boolean) => {
      if (buffer.length) {
        await this.objects.putNdjson(this.keys.referencePart(entity, manifest.parts), buffer);
        manifest.parts += 1;
        manifest.count += buffer.length;
        buffer = [];
      }
      if (read > 0) manifest.after = ledgers[read - 1];
      manifest.complete = complete;
      await this.objects.putJson(key, manifest);
    };
    for await (const ledger of readInOrder(ledgers, (k) => this.readLedger(k))) {
      read += 1;
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
  async forEachReference(entity: Entity, visit: (reference: Reference) => void): Promise<void> {
    const manifest = await findChecked(
      this.objects,
      this.keys.references(entity),
      referenceManifestSchema,
      'references manifest',
    );
    if (!manifest?.complete) return this.forEachOutcome(entity, (o) => visit(referenceOf(o)));
    const parts = Array.from({ length: manifest.parts }, (_, part) => this.keys.referencePart(entity, part));
    const reading = readInOrder(parts, (key) => readNdjsonChecked(this.objects, key, referenceSchema), 4);
    for await (const references of reading) for (const reference of references) visit(reference);
  }

  /**
   * References to `entity` resolved through this job's (and its lineage's) outcomes, then the target's
   * records. Given `wanted` (see wantedKeys), only those keys are kept.
   */
  async references(entity: RecordEntity, wanted?: ReadonlySet<string>): Promise<ReferenceIndex> {
    const index = new ReferenceIndex(wanted);
    for (const job of await this.lineageJobs())
      await this.job(job).forEachReference(entity, (reference) => index.addOutcome(reference));
    await this.forEachExisting(entity, (record) => index.addExisting(record.keys, record.id));
    return index;
  }

  // The target's snapshot: what it held of each entity when the job began.

  /** A job's snapshot is taken once: true once an entity's is complete. */
  hasSnapshot(entity: RecordEntity): Promise<boolean> {
    return this.objects.exists(this.keys.indexCount(entity));
  }

  putSnapshotPage(entity: RecordEntity, page: number, records: readonly ExistingRecord[]): Promise<void> {
    return this.objects.putNdjson(this.keys.indexPage(entity, page), records);
  }

  /** Compacts an entity's pages, then counts it complete: a Task that dies between reads the last page again. */
  async completeSnapshot(entity: RecordEntity, count: number): Promise<void> {
    const parts = await this.compactSnapshot(entity);
    await this.objects.putJson(this.keys.indexCount(entity), { count, parts });
  }

  /** How many records the target held of an entity when the job began (0 before its snapshot is complete). */
  async snapshotCount(entity: RecordEntity): Promise<number> {
    return (await this.findSnapshotCount(entity))?.count ?? 0;
  }

  /** What the target held of an entity when the job began, a page or part at a time, in the order it was read. */
  async forEachExisting(entity: RecordEntity, visit: (record: ExistingRecord) => void): Promise<void> {
    const snapshot = await this.findSnapshotCount(entity);
    const objects =
      snapshot?.parts === undefined
        ? await this.objects.list(this.keys.indexPrefix(entity))
        : Array.from({ length: snapshot.parts }, (_, part) => this.keys.indexPart(entity, part));
    const reading = readInOrder(objects, (key) => readNdjsonChecked(this.objects, key, existingRecordSchema));
    for await (const page of reading) for (const record of page) visit(record);
  }

  /**
   * Rewrites an entity's snapshot, read a page of the API's at a time, in parts of RECORDS_PER_PART
   * records: every create Task of the stage reads it. Returns how many parts it wrote.
   */
  async compactSnapshot(entity: RecordEntity, perPart = RECORDS_PER_PART): Promise<number> {
    const parts = new PartWriter<ExistingRecord>(
      this.objects,
      (_, part) => this.keys.indexPart(entity, part),
      () => entity,
      perPart,
    );
    const pages = await this.objects.list(this.keys.indexPrefix(entity));
    const reading = readInOrder(pages, (key) => readNdjsonChecked(this.objects, key, existingRecordSchema));
    for await (const page of reading) for (const record of page) await parts.add(record);
    await parts.close();
    return parts.parts[entity] ?? 0;
  }

  // The link stage's plan, the preflight's answers and what they taught.

  findLinkPlan(): Promise<LinkPlan | undefined> {
    return findChecked(this.objects, this.keys.linkPlan, linkPlanSchema, 'link plan');
  }

  putLinkPlan(plan: LinkPlan): Promise<void> {
    return this.objects.putJson(this.keys.linkPlan, plan);
  }

  findPreflight(): Promise<ProbeResult[] | undefined> {
    return findChecked(this.objects, this.keys.preflight, preflightSchema, 'preflight result');
  }

  putPreflight(results: ProbeResult[]): Promise<void> {
    return this.objects.putJson(this.keys.preflight, results);
  }

  findWorkspace(): Promise<TargetWorkspace | undefined> {
    return findChecked(this.objects, this.keys.workspace, targetWorkspaceSchema, 'workspace');
  }

  putWorkspace(workspace: TargetWorkspace): Promise<void> {
    return this.objects.putJson(this.keys.workspace, workspace);
  }

  // Re-runs: the lineage kept on the original job, and the rows its next re-run sends again.

  async lineage(): Promise<Lineage> {
    return (await findChecked(this.objects, this.keys.lineage, lineageSchema, 'lineage')) ?? { runs: [] };
  }

  putLineage(lineage: Lineage): Promise<void> {
    return this.objects.putJson(this.keys.lineage, lineage);
  }

  /** The jobs whose outcomes this job can reference: itself, and for a re-run its original and earlier re-runs. */
  async lineageJobs(): Promise<string[]> {
    const plan = await this.findPlan();
    if (!plan?.retryOf) return [this.jobId];
    return lineageJobs(this.jobId, plan.retryOf, await this.job(plan.retryOf).lineage());
  }

  /**
   * The rows the job's latest report left to re-run, streamed: a job whose API was down for a million rows
   * re-runs them all. A report written before those rows had a file of their own has them in failures.json.
   */
  async *rowsToRerun(): AsyncGenerator<SourceRow> {
    if (await this.objects.exists(this.keys.retryRows)) {
      yield* streamNdjsonChecked(this.objects, this.keys.retryRows, sourceRowSchema);
      return;
    }
    const key = this.keys.report.failuresJson;
    const failures = await findChecked(this.objects, key, legacyFailuresSchema, 'failures file');
    for (const failure of failures ?? []) if (failure.retryable && failure.source) yield failure.source;
  }

  // The report.

  findSummary(): Promise<Pick<Summary, 'source' | 'requests' | 'error'> | undefined> {
    return findChecked(this.objects, this.keys.report.summaryJson, earlierSummarySchema, 'summary');
  }

  async putSummary(summary: Summary, text: string): Promise<void> {
    await this.objects.putJson(this.keys.report.summaryJson, summary);
    await this.objects.putText(this.keys.report.summaryText, text);
  }

  /** failures.csv and failures.json, written as they are made (a file that failed wholesale is big). */
  async putFailures(csvLines: Iterable<string>, jsonLines: Iterable<string>): Promise<void> {
    await this.objects.putLines(this.keys.report.failuresCsv, csvLines, 'text/csv; charset=utf-8');
    await this.objects.putLines(this.keys.report.failuresJson, jsonLines, 'application/json');
  }

  putRetryRows(lines: Iterable<string>): Promise<void> {
    return this.objects.putLines(this.keys.retryRows, lines, 'application/x-ndjson');
  }

  putPlanCsv(text: string): Promise<void> {
    return this.objects.putText(this.keys.report.planCsv, text, 'text/csv; charset=utf-8');
  }

  private readLedger(key: string): Promise<StoredLedger> {
    const written = this.written.get(key);
    if (written) return Promise.resolve({ found: true, value: structuredClone(written) });
    return readChecked(this.objects, key, windowLedgerSchema, 'ledger');
  }

  private findSnapshotCount(entity: RecordEntity) {
    return findChecked(this.objects, this.keys.indexCount(entity), snapshotCountSchema, 'snapshot count');
  }

  private async parts<T>(keyOf: (part: number) => string, parts = 0, schema: z.ZodType<T>): Promise<T[]> {
    const items: T[] = [];
    const keys = Array.from({ length: parts }, (_, part) => keyOf(part));
    for await (const page of readInOrder(keys, (key) => readNdjsonChecked(this.objects, key, schema), 4))
      for (const item of page) items.push(item);
    return items;
  }
}

/** The one group of split's failure parts (PartWriter groups its parts by name). */
export const FAILURES = 'failures';
