import { join, resolve } from 'node:path';
import { JobError } from '#domain/errors.ts';
import { parseRateLimit, type RateLimit } from '#domain/rate-budget.ts';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { profileOf } from '#targets/profiles.ts';
import type { TargetName } from '#targets/target.ts';
import type { CommonOptions } from './options.ts';

export interface Connection {
  baseUrl: string;
  apiKey: string;
  /** ActuallyCare: a signed-in session token (JWT), the only credential its contacts take. */
  sessionToken?: string;
  /** Where the credentials came from, for messages: "CLARIFY_API_KEY". */
  credentialNames: { apiKey: string; sessionToken: string };
  rate: RateLimit;
  /** True when this is the in-process sandbox (no --base-url: the embedded default). */
  sandbox: boolean;
  /** What this target is, for telling runs apart: the URL, or the local sandbox and its records' generation. */
  destination: string;
  close(): Promise<void>;
}

/** Where the local sandbox of a target keeps its records, below the data dir. */
export const localSandboxFile = (dataDir: string, target: TargetName): string =>
  join(resolve(dataDir), 'sandbox', `${target}.ndjson`);

/** The real API given its URL and a key from the environment, or else a sandbox in this process. */
export async function connect(options: CommonOptions): Promise<Connection> {
  const rate = options.rate ?? parseRateLimit(profileOf(options.target).defaultRate);
  const credentialNames = {
    apiKey: `the key in ${options.apiKeyEnv}`,
    sessionToken: `the session token in ${options.sessionTokenEnv}`,
  };
  if (options.baseUrl) {
    const apiKey = process.env[options.apiKeyEnv]?.trim();
    if (!apiKey)
      throw new JobError(
        'AUTH_FAILED',
        `environment variable ${options.apiKeyEnv} is not set: it must hold the API key`,
      );
    const sessionToken = process.env[options.sessionTokenEnv]?.trim();
    return {
      baseUrl: options.baseUrl,
      apiKey,
      ...(sessionToken ? { sessionToken } : {}),
      credentialNames,
      rate,
      sandbox: false,
      destination: `${options.target} ${options.baseUrl}`,
      close: async () => undefined,
    };
  }
  // The embedded default remembers its records in the data dir, as a real workspace would.
  const recordsFile = localSandboxFile(options.dataDir, options.target);
  const sandbox =
    options.target === 'clarify'
      ? await startClarifySandbox({ rate, recordsFile })
      : await startActuallyCareSandbox({ rate, recordsFile });
  return {
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.apiKey,
    ...('sessionToken' in sandbox ? { sessionToken: sandbox.sessionToken } : {}),
    credentialNames,
    rate,
    sandbox: true,
    destination: `${options.target} local sandbox ${sandbox.generation}`,
    close: () => sandbox.close(),
  };
}
