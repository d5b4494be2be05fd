import { lastTry, pacedStage } from '#commons/paced-stage.ts';
import { type PipelineDeps, storeFor } from '#commons/pipeline.ts';
import { dedupeCursorSchema } from '#domain/cursors.ts';
import type { RecordEntity } from '#domain/entities.ts';
import { STAGE_LABEL } from '#domain/entities.ts';
import type { JobState } from '#domain/job-state.ts';
import { JobStore } from '#storage/job-store.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import { runPreflight } from './preflight.ts';
import { readPages } from './read-pages.ts';

/**
 * Page through what the target already holds (people, companies, deals the job touches) and write an
 * index of their match keys to S3, several pages in flight at once (`read-pages.ts`). Reads spend the same
 * rate budget as writes.
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
      perPage: 0,
      total: null,
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
        const width = await calls.inFlight('read');
        const read = await readPages(entity, cursor, { target, calls, snapshot: job, outOfTime, width });
        if (read.kind !== 'stopped') continue;
        if (read.failed) return { done: false, wantNext: 1, failed: read.failed };
        break;
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
            ? `reading existing ${STAGE_LABEL[current]}, page ${cursor.page + 1}${ofPages(cursor)}`
            : `indexed ${cursor.records} existing records in ${cursor.pages} pages`,
        done: cursor.entity,
        total: cursor.entities.length,
      };
    },
  });
}

/** How many pages the entity has, when the API said how many records. */
const ofPages = ({ total, perPage }: { total: number | null; perPage: number }) =>
  total !== null && perPage > 0 ? ` of ${Math.max(1, Math.ceil(total / perPage))}` : '';

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
