import type { Node } from 'constructs';
import type { RecordEntity } from '#domain/entities.ts';
import { TARGET_NAMES, type TargetName } from '#targets/index.ts';
import { PROFILES } from '#targets/profiles.ts';

/** What a deployment can choose; anything left out falls back to the target's defaults. */
export interface ImportStackSettings {
  target: TargetName;
  /** The target API's base URL, e.g. https://api.clarify.ai/v1/workspaces/<workspace>. */
  targetBaseUrl?: string;
  /** Requests per window the API key may spend, as 'N/SECONDS' (e.g. '100/10'). */
  rateLimit?: string;
  /** Where uploads start jobs; must end in '/'. */
  importsPrefix?: string;
  /** How often the schedule looks for retryable and held rows to re-run, in minutes (default 15). */
  retryIntervalMinutes?: number;
  /** Re-runs of one job before its remaining rows are left to the user (default 5). */
  retryMaxAttempts?: number;
}

export interface ResolvedSettings {
  target: TargetName;
  targetBaseUrl: string;
  /** True when no base URL was given and the placeholder is in use: the stack warns at synth. */
  baseUrlIsPlaceholder: boolean;
  rateLimit: string;
  importsPrefix: string;
  entities: readonly RecordEntity[];
  retryIntervalMinutes: number;
  retryMaxAttempts: number;
}

interface TargetDefaults {
  baseUrl: string;
  rateLimit: string;
  /** Stage order: every entity after the ones it references. */
  entities: readonly RecordEntity[];
}

export const TARGET_DEFAULTS: Record<TargetName, TargetDefaults> = {
  clarify: {
    // The workspace id is the user's own; synth warns until -c baseUrl=... names it.
    baseUrl: 'https://api.clarify.ai/v1/workspaces/YOUR_WORKSPACE_ID',
    rateLimit: PROFILES.clarify.defaultRate,
    entities: PROFILES.clarify.entities,
  },
  actuallycare: {
    baseUrl: 'https://api.actuallycare.com/v1',
    rateLimit: PROFILES.actuallycare.defaultRate,
    entities: PROFILES.actuallycare.entities,
  },
};

/** Working prefixes the pipeline writes to; an upload there must never start a job. */
export const PREFIXES = {
  jobs: 'jobs/',
  reports: 'reports/',
  retries: 'retries/',
} as const;

export const DEFAULT_IMPORTS_PREFIX = 'imports/';

export class StackSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackSettingsError';
  }
}

const RATE_LIMIT = /^([1-9]\d*)\/([1-9]\d*)$/;

const checkTarget = (value: string): TargetName => {
  const known: readonly string[] = TARGET_NAMES;
  if (!known.includes(value)) {
    throw new StackSettingsError(`Unknown target '${value}': expected one of ${TARGET_NAMES.join(', ')}`);
  }
  return value as TargetName;
};

const checkRateLimit = (value: string): string => {
  if (!RATE_LIMIT.test(value)) {
    throw new StackSettingsError(`rateLimit '${value}' must look like 'N/SECONDS', e.g. '100/10'`);
  }
  return value;
};

const checkBaseUrl = (value: string): string => {
  const url = URL.parse(value);
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new StackSettingsError(`baseUrl '${value}' must be an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
};

const checkImportsPrefix = (value: string): string => {
  if (!/^[^/].*\/$/.test(value)) {
    throw new StackSettingsError(
      `importsPrefix '${value}' must be a folder like 'imports/' (no leading '/')`,
    );
  }
  for (const working of Object.values(PREFIXES)) {
    if (value.startsWith(working) || working.startsWith(value)) {
      // The pipeline's own writes would otherwise start new jobs, forever.
      throw new StackSettingsError(
        `importsPrefix '${value}' overlaps the pipeline's working prefix '${working}'`,
      );
    }
  }
  return value;
};

/** Fills in the target's defaults and rejects settings that would deploy a broken pipeline. */
export const resolveSettings = (settings: ImportStackSettings): ResolvedSettings => {
  const target = checkTarget(settings.target);
  const defaults = TARGET_DEFAULTS[target];
  return {
    target,
    targetBaseUrl: checkBaseUrl(settings.targetBaseUrl ?? defaults.baseUrl),
    baseUrlIsPlaceholder: settings.targetBaseUrl === undefined,
    rateLimit: checkRateLimit(settings.rateLimit ?? defaults.rateLimit),
    importsPrefix: checkImportsPrefix(settings.importsPrefix ?? DEFAULT_IMPORTS_PREFIX),
    entities: defaults.entities,
    retryIntervalMinutes: checkPositive('retryIntervalMinutes', settings.retryIntervalMinutes ?? 15),
    retryMaxAttempts: checkPositive('retryMaxAttempts', settings.retryMaxAttempts ?? 5),
  };
};

const checkPositive = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1)
    throw new StackSettingsError(`${name} must be a whole number of at least 1`);
  return value;
};

const contextNumber = (node: Node, key: string): number | undefined => {
  const text = contextString(node, key);
  return text === undefined ? undefined : Number(text);
};

const contextString = (node: Node, key: string): string | undefined => {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new StackSettingsError(`Context '${key}' must be a string`);
  return value;
};

/** Reads `-c target=clarify -c baseUrl=https://… -c rateLimit=100/10 -c importsPrefix=imports/`. */
export const settingsFromContext = (node: Node): ImportStackSettings => ({
  target: checkTarget(contextString(node, 'target') ?? 'clarify'),
  targetBaseUrl: contextString(node, 'baseUrl'),
  rateLimit: contextString(node, 'rateLimit'),
  importsPrefix: contextString(node, 'importsPrefix'),
  retryIntervalMinutes: contextNumber(node, 'retryIntervalMinutes'),
  retryMaxAttempts: contextNumber(node, 'retryMaxAttempts'),
});
