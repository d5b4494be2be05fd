import type { RecordEntity } from '#domain/entities.ts';
import { STAGE_LABEL } from '#domain/entities.ts';
import type { JobState } from '#domain/job-state.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { isThrottle, pacedTask } from '../commons/paced-task.ts';
import type { PipelineDeps } from '../commons/pipeline.ts';

interface DedupeCursor {
  entities: string;
  entity: number;
  next: string | null;
  page: number;
  pages: number;
  records: number;
}

/**
 * Page through what the target already holds (people, companies, deals the job touches) and write an
 * index of their match keys to S3. Reads spend the same rate budget as writes.
 */
export async function dedupe(state: JobState, deps: PipelineDeps): Promise<JobState> {
  const target = await deps.target();
  const cursor: DedupeCursor =
    state.stage === 'dedupe'
      ? (state.cursor as unknown as DedupeCursor)
      : {
          entities: entitiesToIndex(state, target.entities).join(','),
          entity: 0,
          next: null,
          page: 0,
          pages: 0,
          records: 0,
        };
  const entities = cursor.entities ? (cursor.entities.split(',') as RecordEntity[]) : [];
  const keys = jobKeys(state.jobId);

  const result = await pacedTask(state, deps, async ({ store, calls, outOfTime }) => {
    while (cursor.entity < entities.length && calls.canCall() && !outOfTime()) {
      const entity = entities[cursor.entity] as RecordEntity;
      let page: Awaited<ReturnType<typeof target.listExisting>>;
      try {
        page = await calls.call(() => target.listExisting(entity, cursor.next));
      } catch (error) {
        if (isThrottle(error)) break;
        throw error;
      }
      await store.putNdjson(keys.indexPage(entity, cursor.page), page.records);
      cursor.pages += 1;
      cursor.records += page.records.length;
      if (page.next) {
        cursor.next = page.next;
        cursor.page += 1;
      } else {
        cursor.entity += 1;
        cursor.next = null;
        cursor.page = 0;
      }
    }
    return { done: cursor.entity >= entities.length, wantNext: 1 };
  });

  const current = entities[cursor.entity];
  return {
    ...state,
    stage: 'dedupe',
    done: result.done,
    wait: result.wait,
    cursor: { ...cursor },
    requests: result.requests,
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

/** Only what the job needs: companies for company rows and references, people and deals for links. */
function entitiesToIndex(state: JobState, order: readonly RecordEntity[]): RecordEntity[] {
  const has = (entity: string) => (state.counts[entity]?.rows ?? 0) > 0;
  const needed = new Set<RecordEntity>();
  if (has('company') || has('person') || has('deal')) needed.add('company');
  if (has('person') || has('link')) needed.add('person');
  if (has('deal') || has('link')) needed.add('deal');
  return order.filter((entity) => needed.has(entity));
}
