import type { SourceRow } from '#domain/entities.ts';
import { type Outcome, withSource } from '#domain/outcomes.ts';
import type { ReferenceIndex, Resolution } from '#domain/references.ts';

/** All the people one deal gets, in one request: PATCH replaces the deal's whole set. */
export interface DealLinks {
  dealId: string;
  /** The deal was already in the target: read its people first and keep them. */
  existed: boolean;
  rows: { row: SourceRow; personId: string }[];
}

export interface LinkPlan {
  groups: DealLinks[];
  /** Rows settled without a request: a deal or person that is missing, failed or held. */
  settled: Outcome[];
}

/** Group link rows by deal, resolving both ends through this job's outcomes and the target's records. */
export function planLinks(
  rows: SourceRow[],
  refs: { deals: ReferenceIndex; people: ReferenceIndex; createdDeals: ReadonlySet<string> },
): LinkPlan {
  const groups = new Map<string, DealLinks>();
  const settled: Outcome[] = [];
  for (const row of rows) {
    const deal = refs.deals.resolve(row.refs.deal ?? '');
    const person = refs.people.resolve(row.refs.person ?? '');
    const problem = describe('deal', row.refs.deal, deal) ?? describe('person', row.refs.person, person);
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
  if (found.kind === 'missing') {
    return {
      status: 'failed',
      code: 'REFERENCE_NOT_FOUND',
      retryable: false,
      message: `${what} '${value}' is neither in the export nor in the target`,
    };
  }
  const by = found.by;
  return {
    status: 'held',
    code: 'DEPENDENCY_FAILED',
    retryable: true,
    message: `waits for ${what} '${value}' (${by.file} line ${by.line}), which ${by.status === 'held' ? 'is held' : 'failed'}`,
  };
}
