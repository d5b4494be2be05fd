import { z } from 'zod';
import { HttpError } from '#sandbox/common/json-http.ts';
import type { ActuallyCareAccount } from './account.ts';
import { RESOURCES, type Resource } from './ids.ts';

/**
 * Pre-population. Seeds go through the same validators as `POST /v1/<resource>`, one record at a time,
 * so a seeded account is one an import could really meet. Records reference nothing by id (escrows have
 * no `client_id`, X5), so the order of resources does not matter.
 */

const records = z.array(z.record(z.string(), z.unknown())).optional();

export const actuallyCareSeedSchema = z.strictObject({
  leads: records,
  clients: records,
  contacts: records,
  escrows: records,
});

export type ActuallyCareSeed = z.infer<typeof actuallyCareSeedSchema>;
export type SeededIds = Record<Resource, string[]>;

export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

export function loadSeed(account: ActuallyCareAccount, seed: ActuallyCareSeed = {}): SeededIds {
  const seeded: SeededIds = { leads: [], clients: [], contacts: [], escrows: [] };
  for (const resource of RESOURCES) {
    for (const [index, fields] of (seed[resource] ?? []).entries()) {
      const created = attempt(`${resource}/${index}`, () => account.create(resource, fields));
      seeded[resource].push(created.id);
    }
  }
  return seeded;
}

/** Runs one seeding step, restating the API's answer in terms of the seed (`leads/3/email: ...`). */
function attempt<T>(where: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const details = error.problems.map((problem) => `${where}${problem.pointer ?? ''}: ${problem.detail}`);
    throw new SeedError(`seed rejected: ${details.join('; ')}`, { cause: error });
  }
}
