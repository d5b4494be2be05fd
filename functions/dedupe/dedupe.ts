import { lastTry, pacedStage } from '#commons/paced-stage.ts';
import { isThrottle } from '#commons/paced-task.ts';
import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import { type DedupeCursor, dedupeCursorSchema } from '#domain/cursors.ts';
import type { RecordEntity } from '#domain/entities.ts';
import { STAGE_LABEL } from '#domain/entities.ts';
import { classify, type ImportError, isRetryableCode, JobError } from '#domain/errors.ts';
import type { JobState } from '#domain/job-state.ts';
import type { PacedCalls } from '#domain/paced-calls.ts';
import { JobStore } from '#storage/job-store.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import type { AccessNeeds, ProbeResult, TargetAdapter } from '#targets/target.ts';

/**
 * Page through what the target already holds (people, companies, deals the job touches) and write an
 * index of their match keys to S3. Reads spend the same rate budget as writes.
 */
export async function dedupe(state: JobState, deps: PipelineDeps): Promise<JobState> {
  const target = await deps.target();
  const profile = profileOf(deps.config.target);
  const job = new JobStore(storeFor(deps, state.bucket), state.jobId);

  return pacedStage(state, deps, target, {
    stage: 'dedupe',
    cursor: dedupeCursorSchema,
    start: () => ({
      kind: 'dedupe',
      entities: entitiesToIndex(state, profile).filter((entity) => !target.cannotWrite?.(entity)),
      entity: 0,
      next: null,
      page: 0,
      pages: 0,
      records: 0,
      checked: 0,
      preflightDone: false,
      entityRecords: 0,
      failures: 0,
    }),
    step: async ({ calls, outOfTime }, cursor) => {
      if (!cursor.preflightDone) {
        const write = profile.entities.filter((e) => (state.counts[e]?.rows ?? 0) > 0);
        const needs = { read: cursor.entities, write };
        const outcome = await runPreflight(target, needs, cursor, job, calls, lastTry(cursor, deps));
        if (outcome === 'paused') return { done: false, wantNext: 1 };
        if ('failed' in outcome) return { done: false, wantNext: 1, failed: outcome.failed };
        // An entity the credentials cannot reach (contacts with a refused token) is neither read nor written.
        const unreachable = new Set(
          outcome.filter((r) => !r.ok && r.severity === 'entity').map((r) => r.entity),
        );
        cursor.entities = cursor.entities.filter((entity) => !unreachable.has(entity));
        cursor.preflightDone = true;
      }
      // Existing records are read in the workspace's shapes (a person's name, its lifecycle field).
      const workspace = await job.findWorkspace();
      if (workspace) target.useWorkspace?.(workspace);
      while (cursor.entity < cursor.entities.length && !outOfTime() && (await calls.ensure(1, 'read'))) {
        const entity = cursor.entities[cursor.entity] as RecordEntity;
        // A job's snapshot is taken once: a resumed job keeps what the target held before it began, so the
        // records its first attempt created are found by reconciling, and count as created, not as existing.
        if (cursor.page === 0 && cursor.next === null && (await job.hasSnapshot(entity))) {
          cursor.entity += 1;
          continue;
        }
        let page: Awaited<ReturnType<typeof target.listExisting>>;
        try {
          page = await calls.call(() => target.listExisting(entity, cursor.next));
        } catch (error) {
          const kind = classify(error);
          if (kind === 'throttled') break;
          // A read is safe to repeat: a 5xx or a lost connection is read again by the next Task, after a backoff.
          if (kind === 'transient') return { done: false, wantNext: 1, failed: error as ImportError };
          throw error;
        }
        await job.putSnapshotPage(entity, cursor.page, page.records);
        cursor.pages += 1;
        cursor.records += page.records.length;
        cursor.entityRecords += page.records.length;
        if (page.next) {
          cursor.next = page.next;
          cursor.page += 1;
        } else {
          await job.completeSnapshot(entity, cursor.entityRecords);
          cursor.entity += 1;
          cursor.next = null;
          cursor.page = 0;
          cursor.entityRecords = 0;
        }
      }
      return { done: cursor.entity >= cursor.entities.length, wantNext: 1 };
    },
    progress: (cursor) => {
      const current = cursor.entities[cursor.entity];
      return {
        stage: 'dedupe',
        step: !cursor.preflightDone
          ? `checking access before anything is written (${cursor.checked} checks done)`
          : current
            ? `reading existing ${STAGE_LABEL[current]}, page ${cursor.page + 1}`
            : `indexed ${cursor.records} existing records in ${cursor.pages} pages`,
        done: cursor.entity,
        total: cursor.entities.length,
      };
    },
  });
}

/** Only what the job needs: the entities it creates, what they point at, and people and deals for links. */
function entitiesToIndex(state: JobState, profile: TargetProfile): RecordEntity[] {
  const has = (entity: string) => (state.counts[entity]?.rows ?? 0) > 0;
  const needed = new Set<RecordEntity>();
  for (const entity of profile.entities) {
    if (!has(entity)) continue;
    needed.add(entity);
    const parent = profile.parents[entity];
    if (parent) needed.add(parent);
  }
  if (has('link')) {
    needed.add('person');
    needed.add('deal');
  }
  return profile.entities.filter((entity) => needed.has(entity));
}

/**
 * The read-only checks before anything is written: each a paced request (an answer that needs none is
 * not charged), its result kept in `preflight.json` so a Task that stops carries on where it was. Once
 * all have answered: a refused key or a missing read scope fails the job, naming what to fix; what the
 * answers teach (Clarify's shapes and enums) is kept in `workspace.json` for the create stages.
 */
async function runPreflight(
  target: TargetAdapter,
  needs: AccessNeeds,
  cursor: DedupeCursor,
  job: JobStore,
  calls: PacedCalls,
  /** The retry policy's last try: its answer is taken as it is, a warning or a reason to stop. */
  last: boolean,
): Promise<ProbeResult[] | 'paused' | { failed: ImportError }> {
  const steps = target.preflight(needs);
  const results = (await job.findPreflight()) ?? [];
  while (cursor.checked < steps.length) {
    const step = steps[cursor.checked] as (typeof steps)[number];
    let result: ProbeResult;
    if (step.offline) result = await step.run();
    else {
      if (!(await calls.ensure(1, 'read'))) return 'paused';
      try {
        result = await calls.call(() => step.run());
      } catch (error) {
        if (isThrottle(error)) return 'paused';
        throw error;
      }
      // A 5xx or a lost connection is asked again by the next Task, after a backoff, like any read.
      if (result.code && isRetryableCode(result.code) && !last)
        return { failed: new JobError(result.code, `${result.check}: ${result.message}`) };
    }
    results[cursor.checked] = result;
    await job.putPreflight(results);
    cursor.checked += 1;
    // A refused key is refused everywhere: no need to spend more of the budget to hear it again.
    if (!result.ok && result.severity === 'fatal' && result.code === 'AUTH_FAILED') break;
  }
  const fatal = results.filter((r) => !r.ok && r.severity === 'fatal');
  if (fatal.length) {
    const first = fatal[0] as ProbeResult;
    const what = fatal.map((r) => `${r.check}: ${r.message}`).join('; ');
    throw new JobError(
      first.code ?? 'FORBIDDEN',
      `checked before writing anything, and nothing was written: ${what}`,
    );
  }
  if (target.learn) await job.putWorkspace(target.learn(results));
  return results;
}
