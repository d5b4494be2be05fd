import { JobError } from '#domain/errors.ts';
import { parseRateLimit, type RateLimit } from '#domain/rate-budget.ts';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { profileOf } from '#targets/profiles.ts';
import type { CommonOptions } from './args.ts';

export interface Connection {
  baseUrl: string;
  apiKey: string;
  rate: RateLimit;
  /** True when this is the in-process sandbox (no --base-url: the embedded default). */
  sandbox: boolean;
  close(): Promise<void>;
}

/** The real API given its URL and a key from the environment, or else a sandbox in this process. */
export async function connect(options: CommonOptions): Promise<Connection> {
  const rate = options.rate ?? parseRateLimit(profileOf(options.target).defaultRate);
  if (options.baseUrl) {
    const apiKey = process.env[options.apiKeyEnv]?.trim();
    if (!apiKey)
      throw new JobError(
        'AUTH_FAILED',
        `environment variable ${options.apiKeyEnv} is not set: it must hold the API key`,
      );
    return { baseUrl: options.baseUrl, apiKey, rate, sandbox: false, close: async () => undefined };
  }
  const sandbox =
    options.target === 'clarify'
      ? await startClarifySandbox({ rate })
      : await startActuallyCareSandbox({ rate });
  return {
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.apiKey,
    rate,
    sandbox: true,
    close: () => sandbox.close(),
  };
}
