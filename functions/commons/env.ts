import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { JobError } from '#domain/errors.ts';
import { HISTORY_CAP, HISTORY_MARGIN } from '#domain/execution-history.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import { DEFAULT_RETRY_POLICY } from '#domain/retry-schedule.ts';
import { Coordinator } from '#storage/coordinator.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { createTarget, TARGET_NAMES, type TargetName } from '#targets/index.ts';
import { profileOf } from '#targets/profiles.ts';
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
  let credentials: Promise<Credentials> | undefined;
  const readCredentials = () => {
    credentials ??= secrets
      .send(new GetSecretValueCommand({ SecretId: getStringFromEnv('API_KEY_SECRET_ARN') }))
      .then((out) => parseSecret(out.SecretString));
    return credentials;
  };
  const target = targetFromEnv();
  const baseUrl = () => getStringFromEnv('TARGET_BASE_URL');
  cached = {
    s3: createS3Client(),
    target: async () => {
      const { apiKey, sessionToken } = await readCredentials();
      return createTarget(target, {
        baseUrl: baseUrl(),
        apiKey,
        ...(sessionToken ? { sessionToken } : {}),
        credentialNames: { apiKey: 'the API key in the secret', sessionToken: 'sessionToken in the secret' },
      });
    },
    keyFingerprint: async () => budgetFingerprint(target, baseUrl(), (await readCredentials()).apiKey),
    workspaceFingerprint: async () => workspaceFingerprint(target, baseUrl()),
    coordinator: new Coordinator(new DynamoDBClient({}), getStringFromEnv('TABLE_NAME')),
    clock: Date.now,
    config: {
      target,
      rate: parseRateLimit(getStringFromEnv('RATE_LIMIT')),
      importsPrefix: process.env.IMPORTS_PREFIX ?? 'imports/',
      maxTaskMs: Number(process.env.MAX_TASK_MS ?? 60_000),
      maxHistoryEvents: maxHistoryEventsFromEnv(),
      ...(process.env.LEASE_SECONDS ? { leaseSeconds: Number(process.env.LEASE_SECONDS) } : {}),
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

/**
 * What the rate budget is shared by: what the API counts. ActuallyCare counts per client IP (RL1, RL2),
 * so every key used from here shares one budget per API host; Clarify counts per workspace (RL1), so
 * every key of a workspace shares its budget.
 */
export function budgetFingerprint(target: TargetName, baseUrl: string, apiKey: string): string {
  const scope = profileOf(target).rateScope;
  if (scope === 'ip') return fingerprint(`ip|${safeUrl(baseUrl)?.host ?? baseUrl}`);
  const url = safeUrl(baseUrl);
  return fingerprint(url ? `workspace|${url.host}${url.pathname.replace(/\/+$/, '')}` : `key|${apiKey}`);
}

/**
 * The workspace a job writes into, which one job at a time holds: the target's URL (a Clarify workspace is
 * in its path). A deployment has one API key, so for ActuallyCare its URL is its account too.
 */
export function workspaceFingerprint(target: TargetName, baseUrl: string): string {
  const url = safeUrl(baseUrl);
  return fingerprint(`lease|${target}|${url ? `${url.host}${url.pathname.replace(/\/+$/, '')}` : baseUrl}`);
}

const safeUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

export interface Credentials {
  apiKey: string;
  /** ActuallyCare: a signed-in session token (JWT) for its contacts. */
  sessionToken?: string;
}

/** The secret holds the key alone, or JSON `{"apiKey": "...", "sessionToken": "..."}`. */
export function parseSecret(text: string | undefined): Credentials {
  const value = text?.trim();
  if (!value) throw new JobError('AUTH_FAILED', 'the API key secret is empty: put the key in it first');
  if (!value.startsWith('{')) return { apiKey: value };
  let json: { apiKey?: unknown; sessionToken?: unknown };
  try {
    json = JSON.parse(value);
  } catch {
    throw new JobError(
      'AUTH_FAILED',
      'the API key secret starts with { but is not JSON: use {"apiKey": "...", "sessionToken": "..."} or the key alone',
    );
  }
  if (typeof json.apiKey !== 'string' || !json.apiKey.trim()) {
    throw new JobError('AUTH_FAILED', 'the API key secret is JSON without an "apiKey" string');
  }
  const token = typeof json.sessionToken === 'string' ? json.sessionToken.trim() : '';
  return { apiKey: json.apiKey.trim(), ...(token ? { sessionToken: token } : {}) };
}
