import { z } from 'zod';
import { HttpError } from '#sandbox/common/json-http.ts';
import type { ActuallyCareAccount, Fields } from './account.ts';
import { RESOURCES, type Resource } from './ids.ts';

/**
 * Pre-population. Seeds go through the same validators as `POST /v1/<resource>`, one record at a time,
 * so a seeded account is one an import could really meet. Ids only exist after creation, so an escrow
 * may name its client by position: a numeric `client_id` is an index into the seeded `clients`.
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
  // RESOURCES lists clients before escrows, so an escrow's client exists when it is created.
  for (const resource of RESOURCES) {
    for (const [index, fields] of (seed[resource] ?? []).entries()) {
      const created = attempt(`${resource}/${index}`, () =>
        account.create(resource, resolveClient(fields, seeded.clients, `${resource}/${index}`)),
      );
      seeded[resource].push(created.id);
    }
  }
  return seeded;
}

function resolveClient(fields: Fields, clients: string[], where: string): Fields {
  const ref = fields.client_id;
  if (typeof ref !== 'number') return fields;
  const id = clients[ref];
  if (id === undefined) {
    throw new SeedError(
      `${where}: client_id ${ref} refers to a seeded client, but ${clients.length} were seeded`,
    );
  }
  return { ...fields, client_id: id };
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
