import { z } from 'zod';
import { HttpError } from '#sandbox/common/json-http.ts';
import { OBJECT_TYPES, type ObjectType } from './ids.ts';
import { MAX_BULK_ITEMS } from './routes.ts';
import type { Attributes } from './store.ts';
import type { ClarifyWorkspace } from './workspace.ts';

/**
 * Pre-population. Seeds go through the same bulk-create rules as the API (in batches of 25, plain
 * inserts), so a seeded workspace is one an import could really meet: attributes take the workspace's
 * shape (the `names` and `lifecycle` variants, its enums). Ids are only known after creation, so seeds
 * refer to each other by position: a numeric `company_id` is an index into `company`, a numeric
 * entry in `dealPeople` an index into `person`, and a numeric `dealPeople` key an index into `deal`.
 */

export const clarifySeedSchema = z.strictObject({
  company: z.array(z.record(z.string(), z.unknown())).optional(),
  person: z.array(z.record(z.string(), z.unknown())).optional(),
  deal: z.array(z.record(z.string(), z.unknown())).optional(),
  dealPeople: z.record(z.string(), z.array(z.union([z.string(), z.number().int().min(0)]))).optional(),
});

export type ClarifySeed = z.infer<typeof clarifySeedSchema>;
export type SeededIds = Record<ObjectType, string[]>;

export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

export function loadSeed(workspace: ClarifyWorkspace, seed: ClarifySeed = {}): SeededIds {
  const seeded: SeededIds = { company: [], person: [], deal: [] };
  for (const object of OBJECT_TYPES) {
    const list = (seed[object] ?? []).map((attributes) => resolveCompany(attributes, seeded.company));
    for (let start = 0; start < list.length; start += MAX_BULK_ITEMS) {
      const data = list
        .slice(start, start + MAX_BULK_ITEMS)
        .map((attributes) => ({ type: object, attributes }));
      const pointers = data.map((_, index) => `/data/${index}`);
      const created = attempt(object, start, () => workspace.create(object, data, pointers));
      seeded[object].push(...created.map((record) => record.id));
    }
  }
  for (const [dealRef, people] of Object.entries(seed.dealPeople ?? {})) {
    const dealId = /^\d+$/.test(dealRef) ? indexed(seeded.deal, Number(dealRef), 'deal') : dealRef;
    const data = people.map((ref) => ({
      type: 'person',
      id: typeof ref === 'number' ? indexed(seeded.person, ref, 'person') : ref,
    }));
    attempt(`dealPeople.${dealRef}`, 0, () => workspace.replaceDealPeople(dealId, data));
  }
  return seeded;
}

function resolveCompany(attributes: Attributes, companies: string[]): Attributes {
  const ref = attributes.company_id;
  return typeof ref === 'number'
    ? { ...attributes, company_id: indexed(companies, ref, 'company') }
    : attributes;
}

function indexed(ids: string[], index: number, object: string): string {
  const id = ids[index];
  if (id === undefined)
    throw new SeedError(`seed refers to ${object} #${index}, but only ${ids.length} were seeded`);
  return id;
}

/** Runs one seeding step, restating API problems in terms of the seed (`person/30/attributes/stage`). */
function attempt<T>(label: string, offset: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const where = (pointer = '') =>
      pointer.replace(/^\/data\/(\d+)/, (_match, index: string) => `/${label}/${offset + Number(index)}`);
    const details = error.problems.map((problem) => `${where(problem.pointer) || label}: ${problem.detail}`);
    throw new SeedError(`seed rejected: ${details.join('; ')}`, { cause: error });
  }
}
