import { pacedStage } from '#commons/paced-stage.ts';
import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import { type Block, createCursorSchema } from '#domain/cursors.ts';
import { mergesByRow, type RecordEntity, type SourceRow, STAGE_LABEL } from '#domain/entities.ts';
import type { ImportError } from '#domain/errors.ts';
import { emptyCounters, type JobState, settledCount } from '#domain/job-state.ts';
import type { WindowLedger } from '#domain/outcomes.ts';
import { tally } from '#domain/outcomes.ts';
import type { SplitPlan } from '#domain/plan.ts';
import { askOf, wantedKeys } from '#domain/references.ts';
import type { Enums } from '#domain/value-maps.ts';
import { JobStore } from '#storage/job-store.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import {
  type ExistingRecord,
  type TargetAdapter,
  TargetError,
  type TargetWorkspace,
} from '#targets/target.ts';
import {
  existingKeys,
  matchKeyOf,
  type PlannedRow,
  planWindow,
  type WindowContext,
  withMerges,
} from './plan-window.ts';
import { type SendResult, sendWindow, settleRest } from './send-window.ts';

export interface CreateBatchInput {
  entity: RecordEntity;
  state: JobState;
}

/**
 * One stage of creates: walk the entity's chunks window by window (a window is what one bulk request
 * carries), skipping what exists, holding what waits on a failed company, creating the rest.
 * Each window's outcomes are written to the ledger before the cursor moves past it.
 */
export async function createBatch(
  { entity, state }: CreateBatchInput,
  deps: PipelineDeps,
): Promise<JobState> {
  const target = await deps.target();
  const job = new JobStore(storeFor(deps, state.bucket), state.jobId);
  let counts = state.counts[entity] ?? emptyCounters();

  return pacedStage(state, deps, target, {
    stage: entity,
    cursor: createCursorSchema,
    start: () => ({ kind: 'create', part: 0, offset: 0, windows: 0, blocked: null, failures: 0 }),
    step: async ({ calls, outOfTime }, cursor) => {
      const plan = await job.plan();
      const parts = plan.chunks[entity] ?? 0;
      // Every row settled: the stage ends once its references are compacted for the stages after it.
      const finish = async () => ({
        done: await job.compactReferences(entity, outOfTime),
        wantNext: 0,
      });
      if (cursor.part >= parts) return finish();
      const profile = profileOf(deps.config.target);
      const workspace = await job.findWorkspace();
      if (workspace) target.useWorkspace?.(workspace);
      const vocabulary = vocabularyOf(workspace, plan);
      cursor.blocked ??= await blockBeforeSending(job, entity, target);
      const loadPart = async (part: number) => {
        const rows = await job.chunk(entity, part);
        return { rows, ctx: await windowContext(job, entity, profile, plan, rows, vocabulary) };
      };
      // The parts this Task has read, each once: the next one is read while the windows of this one are in
      // flight, so a round of windows runs on across a part's end instead of stopping short at it.
      const loaded = new Map<number, ReturnType<typeof loadPart>>();
      const load = (part: number) => {
        let read = loaded.get(part);
        if (!read) {
          read = loadPart(part);
          // A Task that stops before it reaches the part does not wait for this read.
          read.catch(() => undefined);
          loaded.set(part, read);
        }
        return read;
      };
      let failed: ImportError | undefined;

      while (cursor.part < parts) {
        for (const part of loaded.keys()) if (part < cursor.part) loaded.delete(part);
        if (cursor.offset >= (await load(cursor.part)).rows.length) {
          cursor.part += 1;
          cursor.offset = 0;
          continue;
        }
        // Several windows in flight, as many as the budget's pace and the latency call for: each is charged
        // and written to the ledger before its request leaves, and the cursor moves past a window only once
        // it and every window before it are settled. The stage's first window goes alone: a refusal of the
        // whole entity (a write scope) then stops it after one request.
        const alone = cursor.blocked || cursor.windows === 0;
        const width = alone ? 1 : await calls.inFlight('create');
        const windows = await openRound(job, entity, cursor, parts, width, load);
        const reached = windows.at(-1)?.ledger.part ?? cursor.part;
        if (reached + 1 < parts) load(reached + 1);
        const outcomes = await Promise.all(
          windows.map(async ({ ledger, planned }): Promise<SendResult> => {
            // The ledger as last written: a window that ends as it was saved is not written again.
            let written = '';
            const save = async () => {
              written = JSON.stringify(ledger);
              await job.putLedger(ledger);
            };
            if (cursor.blocked) settleRest(ledger, planned, cursor.blocked);
            else {
              try {
                const sent = await sendWindow(ledger, planned, {
                  entity,
                  target,
                  calls,
                  outOfTime,
                  save,
                  snapshotCount: () => job.snapshotCount(entity),
                  dryRun: plan.dryRun,
                  transient: (error) => {
                    failed ??= error;
                  },
                });
                if (sent === 'paused') return 'paused';
              } catch (error) {
                const block = blockAfter(error);
                if (!block) throw error;
                // One refusal stops the stage, not one failed row after another: every row left says why.
                cursor.blocked = block;
                ledger.sending = undefined;
                settleRest(ledger, planned, block);
              }
            }
            if (JSON.stringify(ledger) !== written) await job.putLedger(ledger);
            return 'settled';
          }),
        );
        const paused = outcomes.indexOf('paused');
        const settled = paused < 0 ? outcomes.length : paused;
        for (const { ledger } of windows.slice(0, settled)) {
          counts = tally(
            counts,
            ledger.outcomes.filter((o) => o !== null),
          );
          cursor.part = ledger.part;
          cursor.offset = ledger.end;
          cursor.windows += 1;
        }
        if (settled < windows.length || outOfTime()) break;
      }
      if (cursor.part >= parts && !outOfTime()) return finish();
      const left = counts.rows - settledCount(counts);
      const wantNext = Math.max(1, Math.ceil(left / profile.maxBatch));
      return { done: false, wantNext, ...(failed ? { failed } : {}) };
    },
    // The API failed too many Tasks in a row: every row left of the stage waits for the schedule.
    giveUp: (cursor, block) => {
      cursor.blocked = block;
    },
    counts: () => counts,
    progress: (cursor, done) => ({
      stage: STAGE_LABEL[entity],
      step: done ? `all ${STAGE_LABEL[entity]} done` : `batch ${cursor.windows + 1}`,
      done: Math.min(settledCount(counts), counts.rows),
      total: counts.rows,
    }),
  });
}

interface OpenWindow {
  ledger: WindowLedger;
  /** The window's rows as planned, as many as its ledger holds. */
  planned: PlannedRow[];
}

/**
 * The next `width` windows from where the cursor is, on into the parts after it when a part ends first.
 * A round stops at a window an earlier Task left ending elsewhere than planned (see `openWindows`).
 */
async function openRound(
  job: JobStore,
  entity: RecordEntity,
  from: { part: number; offset: number },
  parts: number,
  width: number,
  load: (part: number) => Promise<{ rows: SourceRow[]; ctx: WindowContext }>,
): Promise<OpenWindow[]> {
  const round: OpenWindow[] = [];
  let { part, offset } = from;
  while (round.length < width && part < parts) {
    const { rows, ctx } = await load(part);
    if (offset < rows.length) {
      const { opened, whole } = await openWindows(job, entity, part, offset, width - round.length, rows, ctx);
      round.push(...opened);
      offset = opened.at(-1)?.ledger.end ?? offset;
      if (!whole || offset < rows.length) break;
    }
    part += 1;
    offset = 0;
  }
  return round;
}

/**
 * The next `width` windows of the part from `offset`, their ledgers read together. A ledger an earlier
 * Task left ends where it ended then; the windows planned after one that ends elsewhere wait for the next
 * round.
 */
async function openWindows(
  job: JobStore,
  entity: RecordEntity,
  part: number,
  offset: number,
  width: number,
  rows: SourceRow[],
  ctx: WindowContext,
): Promise<{ opened: OpenWindow[]; whole: boolean }> {
  const plans: { start: number; window: ReturnType<typeof planWindow> }[] = [];
  for (let start = offset; plans.length < width && start < rows.length; ) {
    const window = planWindow(rows, start, ctx);
    plans.push({ start, window });
    start = window.end;
  }
  const opened = await Promise.all(
    plans.map(({ start, window }) => openWindow(job, entity, part, start, window)),
  );
  const moved = opened.findIndex((w, i) => w.ledger.end !== plans[i]?.window.end);
  return moved < 0 ? { opened, whole: true } : { opened: opened.slice(0, moved + 1), whole: false };
}

/** A window's ledger as an earlier Task left it, or a new one for what `planWindow` made of its rows. */
async function openWindow(
  job: JobStore,
  entity: RecordEntity,
  part: number,
  start: number,
  { end, planned }: ReturnType<typeof planWindow>,
): Promise<OpenWindow> {
  const saved = await job.ledger(entity, part, start);
  const ledger: WindowLedger =
    saved.found && 'value' in saved
      ? saved.value
      : {
          entity,
          part,
          start,
          end,
          outcomes: planned.map((p) => p.outcome),
          attempts: 0,
          // A ledger cut short mid-write: whatever of this window was sent is in doubt until the target is read.
          ...(saved.found ? { sending: planned.flatMap((p, i) => (p.outcome ? [] : [i])) } : {}),
        };
  return { ledger, planned: planned.slice(0, ledger.end - ledger.start) };
}

/**
 * What planning a part's rows needs, and nothing more: the parent records they point at, the target's
 * records they match, and the merges into them. Its memory follows the part (500 rows), not how many
 * records the parent stage or the target hold: those are read through and only matches are kept.
 */
async function windowContext(
  job: JobStore,
  entity: RecordEntity,
  profile: TargetProfile,
  plan: SplitPlan,
  rows: SourceRow[],
  vocabulary?: Enums,
): Promise<WindowContext> {
  const merges = mergesByRow(
    await job.splitMerges(entity, plan),
    new Set(rows.map((r) => `${r.file}|${r.line}`)),
  );
  const parentEntity = profile.parents[entity];
  const referenceOf = (row: SourceRow) =>
    parentEntity ? askOf(row, parentEntity as keyof SourceRow['refs']) : undefined;
  const parent = parentEntity
    ? {
        entity: parentEntity,
        refs: await job.references(parentEntity, wantedKeys(rows.map(referenceOf))),
      }
    : undefined;
  const wanted = new Set<string>();
  for (const source of rows) {
    const row = withMerges(source, merges);
    const reference = referenceOf(row);
    const found = parent && reference ? parent.refs.resolve(reference) : undefined;
    const key = matchKeyOf(entity, row, found?.kind === 'found' ? found.id : undefined);
    if (key) wanted.add(key);
  }
  const existing = new Map<string, ExistingRecord>();
  await job.forEachExisting(entity, (record) => {
    for (const key of existingKeys(record))
      if (wanted.has(key) && !existing.has(key)) existing.set(key, record);
  });
  return {
    entity,
    existing,
    onExisting: plan.onExisting,
    parent,
    merges,
    maxBatch: profile.maxBatch,
    marker: profile.marker && plan.marker ? plan.marker : undefined,
    ...(vocabulary
      ? { vocabulary, columns: new Map((plan.recognized ?? []).map((r) => [r.file, r.columns])) }
      : {}),
  };
}

/** The workspace's vocabularies, less the fields whose values the manifest's "enums" already set at split. */
function vocabularyOf(workspace: TargetWorkspace | undefined, plan: SplitPlan): Enums | undefined {
  if (!workspace) return undefined;
  const out: Enums = {};
  for (const [field, values] of Object.entries(workspace.enums) as [keyof Enums, string[]][]) {
    if (!plan.manifestEnums?.includes(field)) out[field] = values;
  }
  return Object.keys(out).length ? out : undefined;
}

/** What stops a stage before it sends anything: no credential for it, or one the preflight saw refused. */
async function blockBeforeSending(
  job: JobStore,
  entity: RecordEntity,
  target: TargetAdapter,
): Promise<Block | null> {
  const missing = target.cannotWrite?.(entity);
  if (missing) return { status: 'failed', code: 'AUTH_FAILED', retryable: false, message: missing };
  const results = (await job.findPreflight()) ?? [];
  const refused = results.find((r) => !r.ok && r.severity === 'entity' && r.entity === entity);
  if (!refused) return null;
  return {
    status: 'held',
    code: refused.code ?? 'AUTH_FAILED',
    retryable: true,
    message: `checked before writing: ${refused.message}`,
  };
}

/**
 * A refusal that stops the stage: a 403 on a write (a scope a key cannot be asked about beforehand) fails
 * every row left, naming the scope; a session token refused mid-run (ActuallyCare contacts) holds the rest
 * as retryable, since a fresh token lets the schedule finish them.
 */
function blockAfter(error: unknown): Block | undefined {
  if (!(error instanceof TargetError)) return undefined;
  if (error.code === 'FORBIDDEN') {
    return { status: 'failed', code: 'FORBIDDEN', retryable: false, message: error.message };
  }
  if (error.code === 'AUTH_FAILED' && error.entityCredential) {
    return { status: 'held', code: 'AUTH_FAILED', retryable: true, message: error.message };
  }
  return undefined;
}
