import type { Entity } from '#domain/entities.ts';

/** Where a job keeps its working data, its ledger and its report. One place, so the layout is documented. */
export const jobKeys = (jobId: string) => {
  const root = `jobs/${jobId}`;
  return {
    root,
    plan: `${root}/plan.json`,
    linkPlan: `${root}/link-plan.json`,
    /** What the read-only checks before the first write found, one result per request. */
    preflight: `${root}/preflight.json`,
    /** What was learned of the target before the first write (Clarify's shapes and enums). */
    workspace: `${root}/workspace.json`,
    /** A job's scheduled re-runs, in order (kept on the original job). */
    lineage: `${root}/lineage.json`,
    chunk: (entity: Entity, part: number) => `${root}/rows/${entity}/${pad(part)}.ndjson`,
    /** Duplicate rows merged into an earlier one, in numbered parts (plan.json says how many). */
    merges: (entity: Entity, part: number) => `${root}/merges/${entity}/${pad(part)}.ndjson`,
    /** Rows split could not read or map, in numbered parts (plan.json says how many). */
    splitFailures: (part: number) => `${root}/split-failures/${pad(part)}.ndjson`,
    /** What a split stopped for time needs to resume, saved by the invocation that stopped (its step). */
    splitCheckpoint: (step: number) => `${root}/split/${pad(step)}.json`,
    splitKeyIndex: (step: number) => `${root}/split/${pad(step)}.index`,
    indexPrefix: (entity: Entity) => `${root}/index/${entity}/`,
    indexPage: (entity: Entity, page: number) => `${root}/index/${entity}/${pad(page)}.ndjson`,
    /** The snapshot again in parts of up to 20,000 records, written once it is complete. */
    indexPart: (entity: Entity, part: number) => `${root}/index-parts/${entity}/${pad(part)}.ndjson`,
    /** How many records the target held when the index was read: in-doubt rows are looked for after it. */
    indexCount: (entity: Entity) => `${root}/index-count/${entity}.json`,
    ledgerPrefix: (entity: Entity) => `${root}/ledger/${entity}/`,
    ledger: (entity: Entity, part: number, offset: number) =>
      `${root}/ledger/${entity}/${pad(part)}-${pad(offset)}.ndjson`,
    /**
     * The rows of a stage a job stopped before (the API down, a Task failing on a transient cause), held
     * so the schedule re-runs them: written by the report, read with the stage's ledger.
     */
    notAttempted: (entity: Entity) => `${root}/ledger/${entity}/not-attempted.json`,
    /** A finished stage's references, compacted from its ledger for the stages after it. */
    references: (entity: Entity) => `${root}/references/${entity}.json`,
    referencePart: (entity: Entity, part: number) => `${root}/references/${entity}/${pad(part)}.ndjson`,
    /**
     * The retryable and held rows of the job's latest report, mapped, one per line: what its next
     * scheduled re-run sends again (read as it goes, where failures.json would have to be read whole).
     */
    retryRows: `${root}/retry-rows.ndjson`,
    report: {
      summaryJson: `reports/${jobId}/summary.json`,
      summaryText: `reports/${jobId}/summary.txt`,
      failuresCsv: `reports/${jobId}/failures.csv`,
      failuresJson: `reports/${jobId}/failures.json`,
      /** A dry run's plan: what each row would do. */
      planCsv: `reports/${jobId}/plan.csv`,
    },
  };
};

/** A job with retryable or held rows, waiting for the schedule: one small object each, listed by prefix. */
export const PENDING_RETRIES = 'retries/pending/';
export const pendingRetryKey = (jobId: string) => `${PENDING_RETRIES}${jobId}.json`;

const pad = (n: number) => String(n).padStart(6, '0');
