import type { RateLimit } from '#domain/rate-budget.ts';
import { budgetFingerprint, workspaceFingerprint } from '#functions/commons/env.ts';
import type { PipelineConfig, PipelineDeps } from '#functions/commons/pipeline.ts';
import { COORDINATOR_TABLE, Coordinator } from '#storage/coordinator.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { createTarget } from '#targets/index.ts';
import type { TargetName } from '#targets/target.ts';
import { createDynamoClient } from './dynamo-server.ts';

export interface LocalTargetOptions {
  target: TargetName;
  baseUrl: string;
  apiKey: string;
  /** ActuallyCare: a signed-in session token (JWT) for its contacts. */
  sessionToken?: string;
  /** How the user set the credentials (environment variables), for messages. */
  credentialNames?: { apiKey?: string; sessionToken?: string };
  rate: RateLimit;
  /** Overrides for tests and benchmarks (smaller chunks, shorter Tasks). */
  config?: Partial<PipelineConfig>;
  /** Per-request timeout of the target's HTTP client, ms (default 30 s). */
  timeoutMs?: number;
}

/** The same dependencies the Lambdas build from their environment, pointed at local servers. */
export function localDeps(
  options: LocalTargetOptions,
  s3Endpoint: string,
  /** The coordinator table's server; a process that neither paces nor takes a workspace has none. */
  dynamoEndpoint?: string,
): PipelineDeps {
  return {
    s3: createS3Client({ endpoint: s3Endpoint }),
    coordinator: new Coordinator(
      dynamoEndpoint ? createDynamoClient(dynamoEndpoint) : undefined,
      COORDINATOR_TABLE.localName,
    ),
    target: async () =>
      createTarget(options.target, {
        baseUrl: options.baseUrl,
        apiKey: options.apiKey,
        ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
        ...(options.credentialNames ? { credentialNames: options.credentialNames } : {}),
        timeoutMs: options.timeoutMs,
      }),
    keyFingerprint: async () => budgetFingerprint(options.target, options.baseUrl, options.apiKey),
    workspaceFingerprint: async () => workspaceFingerprint(options.target, options.baseUrl),
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
