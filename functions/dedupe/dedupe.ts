import type { RecordEntity } from '#domain/entities.ts';
import { STAGE_LABEL } from '#domain/entities.ts';
import type { JobState } from '#domain/job-state.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import { TargetError } from '#targets/target.ts';
import { compactIndex } from '../commons/ledger.ts';
import { isThrottle, pacedTask } from '../commons/paced-task.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';

interface DedupeCursor {
  entities: string;
  entity: number;
  next: string | null;
  page: number;
  pages: number;
  records: number;
  /** 1 once the key's scopes were checked (or could not be asked). */
  checked: number;
  /** Records of the current entity so far: the snapshot's size, after which in-doubt rows are looked for. */
  entityRecords: number;
  /** Consecutive transient failures of the current read. */
  failures: number;
}

const MAX_READ_FAILURES = 5;

/**
 * Page through what the target already holds (people, companies, deals the job touches) and write an
 * index of their match keys to S3. Reads spend the same rate budget as writes.
 */
export async function dedupe(state: JobState, deps: PipelineDeps): Promise<JobState> {
  const target = await deps.target();
  const profile = profileOf(deps.config.target);
  const cursor: DedupeCursor =
    state.stage === 'dedupe'
      ? (state.cursor as unknown as DedupeCursor)
      : {
          entities: entitiesToIndex(state, profile).join(','),
          entity: 0,
          next: null,
          page: 0,
          pages: 0,
          records: 0,
          checked: target.verifyAccess ? 0 : 1,
          entityRecords: 0,
          failures: 0,
        };
  const entities = cursor.entities ? (cursor.entities.split(',') as RecordEntity[]) : [];
  const keys = jobKeys(state.jobId);

  const result = await pacedTask(
    state,
    deps,
    async ({ store, calls, outOfTime }) => {
      if (!cursor.checked && target.verifyAccess && calls.canCall()) {
        // Before anything is read or written: a key that lacks a scope fails the job now, not row by row.
        const write = profile.entities.filter((e) => (state.counts[e]?.rows ?? 0) > 0);
        try {
          await calls.call(() =>
            (target.verifyAccess as NonNullable<typeof target.verifyAccess>)({ read: entities, write }),
          );
        } catch (error) {
          if (isThrottle(error)) return { done: false, wantNext: 1 };
          throw error;
        }
        cursor.checked = 1;
      }
      while (cursor.checked && cursor.entity < entities.length && calls.canCall() && !outOfTime()) {
        const entity = entities[cursor.entity] as RecordEntity;
        // A job's snapshot is taken once: a resumed job keeps what the target held before it began, so the
        // records its first attempt created are found by reconciling, and count as created, not as existing.
        if (cursor.page === 0 && cursor.next === null && (await store.exists(keys.indexCount(entity)))) {
          cursor.entity += 1;
          continue;
        }
        let page: Awaited<ReturnType<typeof target.listExisting>>;
        try {
          page = await calls.call(() => target.listExisting(entity, cursor.next));
        } catch (error) {
          if (isThrottle(error)) break;
          // A read is safe to repeat: a 5xx or a lost connection is tried again by the next Task, a few times.
          if (error instanceof TargetError && error.retryable && cursor.failures < MAX_READ_FAILURES) {
            cursor.failures += 1;
            break;
          }
          throw error;
        }
        cursor.failures = 0;
        await store.putNdjson(keys.indexPage(entity, cursor.page), page.records);
        cursor.pages += 1;
        cursor.records += page.records.length;
        cursor.entityRecords += page.records.length;
        if (page.next) {
          cursor.next = page.next;
          cursor.page += 1;
        } else {
          // Compacted before it counts as complete: a Task that dies here reads the last page again.
          const parts = await compactIndex(store, state.jobId, entity);
          await store.putJson(keys.indexCount(entity), { count: cursor.entityRecords, parts });
          cursor.entity += 1;
          cursor.next = null;
          cursor.page = 0;
          cursor.entityRecords = 0;
        }
      }
      return { done: cursor.entity >= entities.length, wantNext: 1 };
    },
    target,
  );

  const current = entities[cursor.entity];
  return {
    ...state,
    stage: 'dedupe',
    done: result.done,
    wait: result.wait,
    cursor: { ...cursor },
    requests: result.requests,
    history: result.history,
    progress: {
      stage: 'dedupe',
      step: current
        ? `reading existing ${STAGE_LABEL[current]}, page ${cursor.page + 1}`
        : `indexed ${cursor.records} existing records in ${cursor.pages} pages`,
      done: cursor.entity,
      total: entities.length,
    },
  };
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
