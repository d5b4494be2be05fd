import { parseRateLimit, type RateLimit } from '#domain/rate-budget.ts';
import { TARGET_NAMES, type TargetName } from '#targets/index.ts';
import { type FlagValues, usageError } from './args.ts';
import type { CommandName } from './commands.ts';

export interface CommonOptions {
  target: TargetName;
  baseUrl?: string;
  apiKeyEnv: string;
  /** ActuallyCare: the environment variable holding a signed-in session token (JWT) for contacts. */
  sessionTokenEnv: string;
  rate?: RateLimit;
  dataDir: string;
}

export const DEFAULT_DATA_DIR = '.crm-import';

/** The target named by --target, checked; undefined when none was given. */
export function targetFlag(command: CommandName, values: FlagValues): TargetName | undefined {
  const target = values.target;
  if (target === undefined) return undefined;
  if (!(TARGET_NAMES as readonly unknown[]).includes(target))
    throw usageError(command, `--target '${String(target)}' is not one of ${TARGET_NAMES.join(', ')}`);
  return target as TargetName;
}

/** Commands with no files to tell the target by: it must be named. */
export function requiredTarget(command: CommandName, values: FlagValues): TargetName {
  const target = targetFlag(command, values);
  if (!target) throw usageError(command, `say which target: --target ${TARGET_NAMES.join(' or --target ')}`);
  return target;
}

export function commonOptions(command: CommandName, values: FlagValues, target: TargetName): CommonOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const rate = text('rate');
  return {
    target,
    baseUrl: text('base-url'),
    apiKeyEnv: text('api-key-env') ?? `${target.toUpperCase()}_API_KEY`,
    sessionTokenEnv: text('session-token-env') ?? `${target.toUpperCase()}_SESSION_TOKEN`,
    rate: rate === undefined ? undefined : rateFlag(command, rate),
    dataDir: text('data-dir') ?? DEFAULT_DATA_DIR,
  };
}

export function rateFlag(command: CommandName, text: string): RateLimit {
  try {
    return parseRateLimit(text);
  } catch {
    throw usageError(
      command,
      `--rate '${text}' is not N/SECONDS, e.g. --rate 500/900 (500 requests per 900 s)`,
    );
  }
}
