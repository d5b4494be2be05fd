import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RateLimit } from '#domain/rate-budget.ts';
import type { RetryPolicy } from '#domain/retry-schedule.ts';
import type { Coordinator } from '#storage/coordinator.ts';
import { ObjectStore } from '#storage/object-store.ts';
import type { TargetAdapter, TargetName } from '#targets/target.ts';

/** What every pipeline function needs, passed in so tests and the local runtime supply their own. */
export interface PipelineDeps {
  s3: S3Client;
  /** The target adapter, built on first use (the API key is read then, never at import time). */
  target: () => Promise<TargetAdapter>;
  /** A stable, non-reversible fingerprint of what the API counts by: the rate budget is shared by it. */
  keyFingerprint: () => Promise<string>;
  /** The same of the workspace the job writes into: one job at a time holds it (the lease). */
  workspaceFingerprint: () => Promise<string>;
  /** The coordinator table: rate budgets and workspace leases, with conditional writes. */
  coordinator: Coordinator;
  clock: () => number;
  config: PipelineConfig;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface PipelineConfig {
  target: TargetName;
  rate: RateLimit;
  importsPrefix: string;
  /** How many seconds' worth of the rate limit one Task spends before it hands back a Wait. */
  burstSeconds?: number;
  /** How long one Task may work before it returns a cursor (well inside the Lambda timeout). */
  maxTaskMs: number;
  /** Rows per NDJSON chunk written by split. */
  chunkRows?: number;
  /** Events one execution's history may reach before the import continues in a new one (default 24,000). */
  maxHistoryEvents?: number;
  /** Records one split Task reads at most before it hands back a cursor (tests; default: time decides). */
  splitRecordsPerTask?: number;
  /** How the schedule re-runs retryable and held rows (default: first after 15 min, doubling, 5 times). */
  retry?: RetryPolicy;
  /**
   * How long a workspace lease outlives its last renewal (default 5 minutes, more than a paced Lambda's
   * timeout): a job that was killed frees its workspace that long after its last Task.
   */
  leaseSeconds?: number;
}

export const storeFor = (deps: PipelineDeps, bucket: string) => new ObjectStore(deps.s3, bucket);
