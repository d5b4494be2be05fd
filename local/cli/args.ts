import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { JobError } from '#domain/errors.ts';
import { parseRateLimit, type RateLimit } from '#domain/rate-budget.ts';
import { TARGET_NAMES, type TargetName } from '#targets/target.ts';

export interface CommonOptions {
  target: TargetName;
  baseUrl?: string;
  apiKeyEnv: string;
  /** ActuallyCare: the environment variable holding a signed-in session token (JWT) for contacts. */
  sessionTokenEnv: string;
  rate?: RateLimit;
  dataDir: string;
}

export const COMMON_OPTIONS = {
  target: { type: 'string', default: 'clarify' },
  'base-url': { type: 'string' },
  'api-key-env': { type: 'string' },
  'session-token-env': { type: 'string' },
  rate: { type: 'string' },
  'data-dir': { type: 'string', default: '.crm-import' },
} as const;

export function parse<T extends ParseArgsOptionsConfig>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true as const });
  } catch (error) {
    throw new JobError('CONFIG', (error as Error).message);
  }
}

export function commonOptions(values: Record<string, unknown>): CommonOptions {
  const target = String(values.target ?? 'clarify');
  if (!(TARGET_NAMES as readonly string[]).includes(target)) {
    throw new JobError('CONFIG', `--target '${target}' is not one of ${TARGET_NAMES.join(', ')}`);
  }
  return {
    target: target as TargetName,
    baseUrl: values['base-url'] as string | undefined,
    apiKeyEnv: (values['api-key-env'] as string | undefined) ?? `${target.toUpperCase()}_API_KEY`,
    sessionTokenEnv:
      (values['session-token-env'] as string | undefined) ?? `${target.toUpperCase()}_SESSION_TOKEN`,
    rate: values.rate === undefined ? undefined : parseRateLimit(String(values.rate)),
    dataDir: String(values['data-dir'] ?? '.crm-import'),
  };
}
