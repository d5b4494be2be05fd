import type { RateLimit } from '#domain/rate-budget.ts';
import { fingerprint } from '#functions/commons/env.ts';
import type { PipelineConfig, PipelineDeps } from '#functions/commons/pipeline.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { createTarget } from '#targets/factory.ts';
import type { TargetName } from '#targets/target.ts';

export interface LocalTargetOptions {
  target: TargetName;
  baseUrl: string;
  apiKey: string;
  rate: RateLimit;
  /** Overrides for tests and benchmarks (smaller chunks, shorter Tasks). */
  config?: Partial<PipelineConfig>;
  /** Per-request timeout of the target's HTTP client, ms (default 30 s). */
  timeoutMs?: number;
}

/** The same dependencies the Lambdas build from their environment, pointed at local servers. */
export function localDeps(options: LocalTargetOptions, s3Endpoint: string): PipelineDeps {
  return {
    s3: createS3Client({ endpoint: s3Endpoint }),
    target: async () =>
      createTarget(options.target, {
        baseUrl: options.baseUrl,
        apiKey: options.apiKey,
        timeoutMs: options.timeoutMs,
      }),
    keyFingerprint: async () => fingerprint(options.apiKey),
    clock: Date.now,
    config: {
      target: options.target,
      rate: options.rate,
      importsPrefix: 'imports/',
      maxTaskMs: 30_000,
      ...options.config,
    },
  };
}
