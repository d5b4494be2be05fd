import { readFile } from 'node:fs/promises';
import { type ClarifySeed, clarifySeedSchema } from './clarify/seed.ts';
import { type ClarifySandbox, DEFAULT_RATE, startClarifySandbox } from './clarify/server.ts';
import type { RateLimit } from './common/sliding-window.ts';

/** Sandboxes the CLI can start; ActuallyCare joins this union when its sandbox lands. */
export type SandboxTarget = 'clarify';

export interface RunSandboxOptions {
  target: SandboxTarget;
  port: number;
  apiKey?: string;
  rate?: RateLimit;
  /** JSON file in the `ClarifySeed` shape. */
  seedFile?: string;
  log?: (line: string) => void;
}

/** Starts a sandbox for the CLI and says where it listens; the caller keeps the process alive. */
export async function runSandbox(opts: RunSandboxOptions): Promise<ClarifySandbox> {
  const log = opts.log ?? console.log;
  const seed = opts.seedFile ? await readSeed(opts.seedFile) : undefined;
  const sandbox = await startClarifySandbox({ port: opts.port, apiKey: opts.apiKey, rate: opts.rate, seed });
  const rate = opts.rate ?? DEFAULT_RATE;
  log(
    `Clarify sandbox listening: ${sandbox.baseUrl} (api key: ${sandbox.apiKey}, rate: ${rate.limit} per ${rate.windowSeconds} s)`,
  );
  return sandbox;
}

async function readSeed(file: string): Promise<ClarifySeed> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`seed file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = clarifySeedSchema.safeParse(json);
  if (!parsed.success) {
    const where = (path: PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(root)');
    const details = parsed.error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`);
    throw new Error(`seed file ${file} is not a Clarify seed: ${details.join('; ')}`);
  }
  return parsed.data;
}
