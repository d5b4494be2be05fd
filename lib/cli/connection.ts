import { JobError } from '#domain/errors.ts';
import { parseRateLimit, type RateLimit } from '#domain/rate-budget.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { profileOf } from '#targets/profiles.ts';
import type { CommonOptions } from './args.ts';

export interface Connection {
  baseUrl: string;
  apiKey: string;
  rate: RateLimit;
  /** The in-process sandbox, when no --base-url was given (the embedded default). */
  sandbox?: ClarifySandbox;
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
    return { baseUrl: options.baseUrl, apiKey, rate, close: async () => undefined };
  }
  const sandbox = await startClarifySandbox({ rate });
  return { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, rate, sandbox, close: () => sandbox.close() };
}
