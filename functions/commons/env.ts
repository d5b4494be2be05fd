import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { JobError } from '#domain/errors.ts';
import { HISTORY_CAP, HISTORY_MARGIN } from '#domain/execution-history.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import { DEFAULT_RETRY_POLICY } from '#domain/retry-schedule.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { createTarget } from '#targets/factory.ts';
import { TARGET_NAMES, type TargetName } from '#targets/target.ts';
import type { PipelineDeps } from './pipeline.ts';

/** Reads a required environment variable, naming it when it is missing. */
export function getStringFromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new JobError('CONFIG', `environment variable ${name} is not set`);
  return value;
}

const targetFromEnv = (): TargetName => {
  const name = getStringFromEnv('TARGET');
  if (!(TARGET_NAMES as readonly string[]).includes(name)) {
    throw new JobError('CONFIG', `TARGET '${name}' is not one of ${TARGET_NAMES.join(', ')}`);
  }
  return name as TargetName;
};

/** MAX_HISTORY_EVENTS lowers the point at which an import continues in a new execution (default 24,000). */
export const maxHistoryEventsFromEnv = (): number | undefined => {
  const value = process.env.MAX_HISTORY_EVENTS;
  if (value === undefined || value === '') return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_CAP - HISTORY_MARGIN) {
    throw new JobError(
      'CONFIG',
      `MAX_HISTORY_EVENTS '${value}' is not a whole number from 1 to ${HISTORY_CAP - HISTORY_MARGIN}`,
    );
  }
  return limit;
};

let cached: PipelineDeps | undefined;

/** The deployed functions' dependencies: config from the environment, the API key from Secrets Manager. */
export function depsFromEnv(): PipelineDeps {
  if (cached) return cached;
  const secrets = new SecretsManagerClient({});
  let apiKey: Promise<string> | undefined;
  const readKey = () => {
    apiKey ??= secrets
      .send(new GetSecretValueCommand({ SecretId: getStringFromEnv('API_KEY_SECRET_ARN') }))
      .then((out) => {
        const key = out.SecretString?.trim();
        if (!key) throw new JobError('AUTH_FAILED', 'the API key secret is empty: put the key in it first');
        return key;
      });
    return apiKey;
  };
  const target = targetFromEnv();
  cached = {
    s3: createS3Client(),
    target: async () =>
      createTarget(target, { baseUrl: getStringFromEnv('TARGET_BASE_URL'), apiKey: await readKey() }),
    keyFingerprint: async () => fingerprint(await readKey()),
    clock: Date.now,
    config: {
      target,
      rate: parseRateLimit(getStringFromEnv('RATE_LIMIT')),
      importsPrefix: process.env.IMPORTS_PREFIX ?? 'imports/',
      maxTaskMs: Number(process.env.MAX_TASK_MS ?? 60_000),
      maxHistoryEvents: maxHistoryEventsFromEnv(),
      retry: {
        baseMinutes: Number(process.env.RETRY_BASE_MINUTES ?? DEFAULT_RETRY_POLICY.baseMinutes),
        maxAttempts: Number(process.env.RETRY_MAX_ATTEMPTS ?? DEFAULT_RETRY_POLICY.maxAttempts),
      },
    },
    logger: new Logger({ serviceName: 'crm-import' }),
  };
  return cached;
}

export const fingerprint = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
