import { pacedStage } from '#commons/paced-stage.ts';
import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import { linkCursorSchema } from '#domain/cursors.ts';
import type { SourceRow } from '#domain/entities.ts';
import { classify } from '#domain/errors.ts';
import { emptyCounters, type JobState, settledCount } from '#domain/job-state.ts';
import { type DealLinks, type LinkPlan, planLinks } from '#domain/link-plan.ts';
import { DRY_RUN_ID, hasRecord, type Outcome, tally, withSource } from '#domain/outcomes.ts';
import type { PacedCalls } from '#domain/paced-calls.ts';
import { askOf, wantedKeys } from '#domain/references.ts';
import { JobStore } from '#storage/job-store.ts';
import { type TargetAdapter, TargetError } from '#targets/target.ts';

/**
 * People <-> deals. All the people of one deal go in one PATCH (it replaces the deal's set); a deal that
 * was already in the target is read first and keeps the people it had.
 */
export async function link(state: JobState, deps: PipelineDeps): Promise<JobState> {
  const target = await deps.target();
  const job = new JobStore(storeFor(deps, state.bucket), state.jobId);
  let counts = state.counts.link ?? emptyCounters();

  return pacedStage(state, deps, target, {
    stage: 'link',
    cursor: linkCursorSchema,
    start: () => ({ kind: 'link', group: 0, groups: 0, blocked: null, failures: 0 }),
    step: async ({ calls, outOfTime }, cursor) => {
      const dryRun = (await job.findPlan())?.dryRun === true;
      let plan = await job.findLinkPlan();
      if (!plan || state.stage !== 'link') {
        plan = await buildPlan(job);
        await job.putLinkPlan(plan);
        await job.putLedger({
          entity: 'link',
          part: 1,
          start: 0,
          end: plan.settled.length,
          outcomes: plan.settled,
          attempts: 0,
        });
        counts = tally(counts, plan.settled);
        cursor.groups = plan.groups.length;
      }
      // One ledger object per Task, at the first deal it covers. A Task that ran again after a crash, or a
      // run resumed after a kill, finds the deals already linked there: it follows those ledgers one after
      // the other and carries on after the last, so no two ledgers cover (and count) the same deal. One
      // that crashed before writing its ledger sends its deals again, which is safe: a deal's PATCH
      // replaces its whole set of people.
      for (;;) {
        const saved = await job.ledger('link', 0, cursor.group);
        if (!saved.found || !('value' in saved)) break;
        const { start, end, outcomes } = saved.value;
        if (start !== cursor.group || end <= start) break;
        counts = tally(
          counts,
          outcomes.filter((o) => o !== null),
        );
        cursor.group = end;
      }
      const start = cursor.group;
      const linked: Outcome[] = [];
      let failed: TargetError | undefined;
      // Several deals in flight, as many as the pace and the latency call for; the cursor moves past a deal
      // only once it and every deal before it are linked (one linked after a gap is sent again by the next
      // Task, which is safe: its PATCH replaces the deal's set).
      const groups = plan.groups;
      const results: Outcome[][] = [];
      let next = start;
      let stopped = false;
      const linkNext = async (last = groups.length): Promise<void> => {
        while (!stopped && next < Math.min(last, groups.length) && !outOfTime()) {
          const index = next++;
          const group = groups[index] as DealLinks;
          const { blocked } = cursor;
          if (blocked) {
            // The API failed too many Tasks in a row: every deal left waits for the schedule.
            const { status, ...reason } = blocked;
            results[index - start] = group.rows.map(({ row }) => outcomeOf(row, status, reason));
            continue;
          }
          if (!(await paidFor(group, calls))) {
            stopped = true;
            return;
          }
          try {
            results[index - start] = await linkDeal(group, target, calls, dryRun);
          } catch (error) {
            const kind = classify(error);
            if (kind === 'stops-job' || !(error instanceof TargetError)) throw error;
            if (kind === 'throttled' || kind === 'transient') {
              stopped = true;
              // PATCH replaces the whole set, so sending it again is safe: the next Task does, after a backoff.
              if (kind === 'transient') failed ??= error;
              return;
            }
            const failure = { code: error.code, message: error.message, retryable: error.retryable };
            results[index - start] = group.rows.map(({ row }) => outcomeOf(row, 'failed', failure));
          }
        }
      };
      // The stage's first deal goes alone: a refusal of every PATCH then stops it after one request.
      if (start === 0) await linkNext(1);
      const width = cursor.blocked ? 1 : await calls.inFlight('relate');
      await Promise.all(Array.from({ length: width }, () => linkNext()));
      for (const outcomes of results) {
        if (!outcomes) break;
        linked.push(...outcomes);
        cursor.group += 1;
      }
      if (cursor.group > start) {
        await job.putLedger({
          entity: 'link',
          part: 0,
          start,
          end: cursor.group,
          outcomes: linked,
          attempts: 0,
        });
        counts = tally(counts, linked);
      }
      return {
        done: cursor.group >= plan.groups.length,
        wantNext: plan.groups.length - cursor.group,
        ...(failed ? { failed } : {}),
      };
    },
    giveUp: (cursor, block) => {
      cursor.blocked = block;
    },
    counts: () => counts,
    progress: (cursor) => ({
      stage: 'links',
      step: `deal ${Math.min(cursor.group + 1, cursor.groups)} of ${cursor.groups}`,
      done: settledCount(counts),
      total: counts.rows,
    }),
  });
}

/** Takes the slots a deal's requests need before any of them leaves: a read of an existing deal, its PATCH. */
async function paidFor(group: DealLinks, calls: PacedCalls): Promise<boolean> {
  if (!(await calls.take('relate'))) return false;
  if (group.existed && !(await calls.take('read'))) {
    calls.release('relate');
    return false;
  }
  return true;
}

async function linkDeal(
  group: DealLinks,
  target: TargetAdapter,
  calls: PacedCalls,
  dryRun: boolean,
): Promise<Outcome[]> {
  // A dry run reads what a real deal has (a read writes nothing) but sends no PATCH.
  const real = group.existed && !group.dealId.startsWith(DRY_RUN_ID);
  if (group.existed && !real) calls.release('read');
  const current = real ? await calls.call(() => target.getDealPeople(group.dealId), 'read') : [];
  const had = new Set(current);
  const wanted = [...new Set([...current, ...group.rows.map((r) => r.personId)])];
  if (wanted.length > had.size && !dryRun)
    await calls.call(() => target.setDealPeople(group.dealId, wanted), 'relate');
  else calls.release('relate');
  return group.rows.map(({ row, personId }) =>
    had.has(personId)
      ? outcomeOf(row, 'skipped', { message: 'already linked' })
      : outcomeOf(row, 'created', dryRun ? { message: 'would link' } : {}),
  );
}

const outcomeOf = (row: SourceRow, status: Outcome['status'], extra: Partial<Outcome>): Outcome =>
  withSource({ entity: 'link', file: row.file, line: row.line, raw: row.raw, status, ...extra }, row);

async function buildPlan(job: JobStore): Promise<LinkPlan> {
  const split = await job.plan();
  const rows: SourceRow[] = [];
  for (let part = 0; part < (split.chunks.link ?? 0); part++) rows.push(...(await job.chunk('link', part)));
  const createdDeals = new Set<string>();
  await job.forEachReference('deal', (o) => {
    if (o.status === 'created' && hasRecord(o)) createdDeals.add(o.id);
  });
  // Only the deals and people these rows name are kept, however many the job and the target hold.
  const [deals, people] = await Promise.all([
    job.references('deal', wantedKeys(rows.map((r) => askOf(r, 'deal')))),
    job.references('person', wantedKeys(rows.map((r) => askOf(r, 'person')))),
  ]);
  return planLinks(rows, { deals, people, createdDeals });
}
