import { JobError } from '#domain/errors.ts';
import { parseRateLimit, type RateLimit } from '#domain/rate-budget.ts';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { profileOf } from '#targets/profiles.ts';
import type { CommonOptions } from './args.ts';

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
  close(): Promise<void>;
}

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
      close: async () => undefined,
    };
  }
  if (options.target === 'clarify') {
    const sandbox = await startClarifySandbox({ rate });
    return {
      baseUrl: sandbox.baseUrl,
      apiKey: sandbox.apiKey,
      credentialNames,
      rate,
      sandbox: true,
      close: () => sandbox.close(),
    };
  }
  const sandbox = await startActuallyCareSandbox({ rate });
  return {
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.apiKey,
    sessionToken: sandbox.sessionToken,
    credentialNames,
    rate,
    sandbox: true,
    close: () => sandbox.close(),
  };
}
