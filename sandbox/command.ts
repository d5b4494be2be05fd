import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { actuallyCareSeedSchema } from './actuallycare/seed.ts';
import {
  DEFAULT_RATE as ACTUALLYCARE_DEFAULT_RATE,
  ACTUALLYCARE_VARIANTS,
  type ActuallyCareSandbox,
  FULL_SCOPES,
  type Scopes,
  startActuallyCareSandbox,
} from './actuallycare/server.ts';
import { clarifySeedSchema } from './clarify/seed.ts';
import {
  CLARIFY_VARIANTS,
  type ClarifySandbox,
  DEFAULT_RATE,
  startClarifySandbox,
} from './clarify/server.ts';
import type { FaultRates } from './common/fault-plan.ts';
import type { RateLimit } from './common/sliding-window.ts';
import { resolveVariants, type VariantChoices } from './common/variants.ts';

/** Sandboxes the CLI can start. */
export type SandboxTarget = 'clarify' | 'actuallycare';

/** The variants each target offers (`--variant name=value,...`), the first value of each the default. */
export const SANDBOX_VARIANTS: Record<SandboxTarget, VariantChoices> = {
  actuallycare: ACTUALLYCARE_VARIANTS,
  clarify: CLARIFY_VARIANTS,
};

export interface RunSandboxOptions {
  target: SandboxTarget;
  port: number;
  apiKey?: string;
  rate?: RateLimit;
  /** ActuallyCare only: the key's scopes, e.g. `{"leads":["read","write"]}`; `{"all":[...]}` by default. */
  scopes?: Scopes;
  /** ActuallyCare only: the session token (JWT, `Authorization: Bearer`); the sandbox's default otherwise. */
  sessionToken?: string;
  /** Values of the target's variants (see `SANDBOX_VARIANTS`); the defaults for the rest. */
  variants?: Partial<Record<string, string>>;
  /** JSON file in the target's seed shape (`ClarifySeed` or `ActuallyCareSeed`). */
  seedFile?: string;
  /** Seeded fault injection (see `parseFaultRates` for the CLI form); none by default. */
  faults?: FaultRates;
  log?: (line: string) => void;
}

/** Starts a sandbox for the CLI and says where it listens; the caller keeps the process alive. */
export async function runSandbox(opts: RunSandboxOptions & { target: 'clarify' }): Promise<ClarifySandbox>;
export async function runSandbox(
  opts: RunSandboxOptions & { target: 'actuallycare' },
): Promise<ActuallyCareSandbox>;
export async function runSandbox(opts: RunSandboxOptions): Promise<ClarifySandbox | ActuallyCareSandbox>;
export async function runSandbox(opts: RunSandboxOptions): Promise<ClarifySandbox | ActuallyCareSandbox> {
  const log = opts.log ?? console.log;
  if (opts.target === 'actuallycare') {
    const variants = resolveVariants(ACTUALLYCARE_VARIANTS, opts.variants);
    const seed = opts.seedFile
      ? await readSeed(opts.seedFile, actuallyCareSeedSchema, 'an ActuallyCare')
      : undefined;
    const sandbox = await startActuallyCareSandbox({
      port: opts.port,
      apiKey: opts.apiKey,
      rate: opts.rate,
      scopes: opts.scopes,
      sessionTokens: opts.sessionToken === undefined ? undefined : [opts.sessionToken],
      variants,
      seed,
      faults: opts.faults,
    });
    const rate = opts.rate ?? ACTUALLYCARE_DEFAULT_RATE;
    log(
      `ActuallyCare sandbox listening: ${sandbox.baseUrl} (api key in X-API-Key: ${sandbox.apiKey}, scopes: ${JSON.stringify(opts.scopes ?? FULL_SCOPES)}, session token as Authorization: Bearer: ${sandbox.sessionToken}, rate: ${rate.limit} per ${rate.windowSeconds} s per IP, variants: ${formatVariants(variants)})`,
    );
    return sandbox;
  }
  if (opts.scopes !== undefined || opts.sessionToken !== undefined)
    throw new RangeError('scopes and a session token are for the actuallycare sandbox');
  const variants = resolveVariants(CLARIFY_VARIANTS, opts.variants);
  const seed = opts.seedFile ? await readSeed(opts.seedFile, clarifySeedSchema, 'a Clarify') : undefined;
  const sandbox = await startClarifySandbox({
    port: opts.port,
    apiKey: opts.apiKey,
    rate: opts.rate,
    variants,
    seed,
    faults: opts.faults,
  });
  const rate = opts.rate ?? DEFAULT_RATE;
  log(
    `Clarify sandbox listening: ${sandbox.baseUrl} (api key: ${sandbox.apiKey}, rate: ${rate.limit} per ${rate.windowSeconds} s, variants: ${formatVariants(variants)})`,
  );
  return sandbox;
}

/** `created=flat,validation=400,...`: every variant in force, in the target's order. */
export const formatVariants = (variants: Record<string, string>): string =>
  Object.entries(variants)
    .map(([name, value]) => `${name}=${value}`)
    .join(',');

async function readSeed<S extends z.ZodType>(file: string, schema: S, kind: string): Promise<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`seed file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = (path: PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(root)');
    const details = parsed.error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`);
    throw new Error(`seed file ${file} is not ${kind} seed: ${details.join('; ')}`);
  }
  return parsed.data;
}
