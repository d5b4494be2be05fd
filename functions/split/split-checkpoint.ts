import type { Cleaning, Recognized, Warning } from '#domain/cleaning.ts';
import type { Entity } from '#domain/entities.ts';
import { JobError } from '#domain/errors.ts';
import type { Manifest } from '#domain/manifest.ts';
import type { FileSummary } from '#domain/plan.ts';
import type { JobFile } from '#intake/job-files.ts';
import { KeyIndex } from '#intake/key-index.ts';
import type { FlowMemory } from '#intake/row-flow.ts';
import type { FileCursor } from '#intake/split-file.ts';
import { jobKeys } from '#storage/job-keys.ts';
import type { ObjectStore } from '#storage/object-store.ts';

/**
 * Everything a split that stopped for time needs to carry on, saved under the job's keys by the
 * invocation that stopped and read by the next. Each is saved under the step it starts, never
 * overwritten by a later step: a retried invocation reads the same checkpoint again, and writes the same
 * parts and the same next checkpoint.
 */
export interface SplitCheckpoint {
  /** The invocation that starts from it (the first is 0, with no checkpoint). */
  step: number;
  files: JobFile[];
  manifest: Manifest;
  /** File indexes in the order they are split. */
  order: number[];
  /** How many files of `order` are finished. */
  finished: number;
  /** Where the next file stopped, when it was begun. */
  cursor?: FileCursor;
  summaries: (FileSummary | null)[];
  recognized: (Recognized | null)[];
  /** Data rows still to take under the manifest's limit (null without one). */
  left: number | null;
  marker: string;
  cleaning: Cleaning;
  warnings: Warning[];
  flow: FlowMemory;
  /** Parts written so far: rows and merges per entity, failures. */
  parts: {
    rows: Partial<Record<Entity, number>>;
    merges: Partial<Record<Entity, number>>;
    failures: number;
  };
}

/**
 * The index the last stop saved, kept in the warm Lambda for the next Task of the same job: the state
 * machine runs that Task seconds later, most often in the same container. Reading it back built a second
 * index (54 MB of typed arrays) while the first waited for a full collection, and decoded every key
 * again. It is taken once: a Task that fails after changing it cannot hand it on, and its retry (from
 * the same step) reads the saved one.
 */
let kept: { jobId: string; step: number; index: KeyIndex } | undefined;

export async function saveCheckpoint(
  store: ObjectStore,
  jobId: string,
  checkpoint: SplitCheckpoint,
  index: KeyIndex,
): Promise<void> {
  const keys = jobKeys(jobId);
  kept = undefined;
  await store.putBytes(keys.splitKeyIndex(checkpoint.step), index.toBytes());
  await store.putJson(keys.splitCheckpoint(checkpoint.step), checkpoint);
  kept = { jobId, step: checkpoint.step, index };
  // The one before the step that just ran is read by no one again: a retry re-reads only its own.
  if (checkpoint.step >= 2) {
    await store.delete(keys.splitCheckpoint(checkpoint.step - 2));
    await store.delete(keys.splitKeyIndex(checkpoint.step - 2));
  }
}

export async function loadCheckpoint(
  store: ObjectStore,
  jobId: string,
  step: number,
): Promise<{ checkpoint: SplitCheckpoint; index: KeyIndex }> {
  const keys = jobKeys(jobId);
  const checkpoint = await store.findJson<SplitCheckpoint>(keys.splitCheckpoint(step));
  if (!checkpoint)
    throw new JobError('INTERNAL', `split of job ${jobId} cannot resume: its checkpoint ${step} is missing`);
  const warm = kept?.jobId === jobId && kept.step === step ? kept.index : undefined;
  kept = undefined;
  return { checkpoint, index: warm ?? KeyIndex.fromBytes(await store.getBytes(keys.splitKeyIndex(step))) };
}
