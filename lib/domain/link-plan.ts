import { z } from 'zod';
import { type SourceRow, sourceRowSchema } from './entities.ts';
import { type Outcome, outcomeSchema, withSource } from './outcomes.ts';
import { ambiguity, askOf, type ReferenceAsk, type ReferenceIndex, type Resolution } from './references.ts';

/** All the people one deal gets, in one request: PATCH replaces the deal's whole set. */
export const dealLinksSchema = z.object({
  dealId: z.string(),
  /** The deal was already in the target: read its people first and keep them. */
  existed: z.boolean(),
  rows: z.array(z.object({ row: sourceRowSchema, personId: z.string() })),
});
export type DealLinks = z.infer<typeof dealLinksSchema>;

/** The link stage's plan (`jobs/<job>/link-plan.json`), made by its first Task. */
export const linkPlanSchema = z.object({
  groups: z.array(dealLinksSchema),
  /** Rows settled without a request: a deal or person that is missing, failed or held. */
  settled: z.array(outcomeSchema),
});
export type LinkPlan = z.infer<typeof linkPlanSchema>;

/** Group link rows by deal, resolving both ends through this job's outcomes and the target's records. */
export function planLinks(
  rows: SourceRow[],
  refs: { deals: ReferenceIndex; people: ReferenceIndex; createdDeals: ReadonlySet<string> },
): LinkPlan {
  const groups = new Map<string, DealLinks>();
  const settled: Outcome[] = [];
  for (const row of rows) {
    const asks = { deal: askOf(row, 'deal'), person: askOf(row, 'person') };
    const deal = refs.deals.resolve(asks.deal ?? '');
    const person = refs.people.resolve(asks.person ?? '');
    // A reference split rewrote to a duplicate's surviving row is named as the file gave it.
    const given = (ask: ReferenceAsk | undefined) => ask?.aliased?.id ?? ask?.value;
    const problem =
      describe('deal', given(asks.deal), deal) ?? describe('person', given(asks.person), person);
    if (problem || deal.kind !== 'found' || person.kind !== 'found') {
      const outcome: Outcome = {
        entity: 'link',
        file: row.file,
        line: row.line,
        raw: row.raw,
        ...(problem ?? { status: 'failed' }),
      };
      settled.push(withSource(outcome, row));
      continue;
    }
    const group = groups.get(deal.id) ?? {
      dealId: deal.id,
      existed: !refs.createdDeals.has(deal.id),
      rows: [],
    };
    group.rows.push({ row, personId: person.id });
    groups.set(deal.id, group);
  }
  return { groups: [...groups.values()], settled };
}

function describe(
  what: string,
  value: string | undefined,
  found: Resolution,
): Omit<Outcome, 'entity' | 'file' | 'line'> | undefined {
  if (found.kind === 'found') return undefined;
  if (found.kind === 'ambiguous') {
    return {
      status: 'failed',
      code: 'AMBIGUOUS_REFERENCE',
      retryable: false,
      message: ambiguity(what, value ?? '', found.by),
    };
  }
  if (found.kind === 'missing') {
    return {
      status: 'failed',
      code: 'REFERENCE_NOT_FOUND',
      retryable: false,
      message: `${what} '${value}' is neither in the export nor in the target`,
    };
  }
  const by = found.by;
  // Behind a row that failed for its data, a link waits for the user, not for the schedule.
  return {
    status: 'held',
    code: 'DEPENDENCY_FAILED',
    retryable: by.retryable !== false,
    message: `waits for ${what} '${value}' (${by.file} line ${by.line}), which ${by.status === 'held' ? 'is held' : 'failed'}`,
  };
}
