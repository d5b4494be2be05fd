import { type DedupeCursor, dedupeCursorSchema } from '#domain/cursors.ts';
import { PacedCalls, type SlotSource } from '#domain/paced-calls.ts';

/**
 * A Task's calls on a read budget with `slots` requests left, paced at `perSecond` with `latencyMs`
 * round trips (which size how many go in flight).
 */
export function readCalls(slots: number, perSecond: number, latencyMs: number): PacedCalls {
  let left = slots;
  const source: SlotSource = {
    classOf: () => 'read',
    reserve: async (_endpointClass, want) => {
      const granted = Math.min(want, left);
      left -= granted;
      return granted;
    },
    pace: async () => ({ perSecond, latencyMs }),
  };
  return new PacedCalls(source, Date.now, { sent: 0, throttled: 0 });
}

/** The dedupe stage's cursor at the start of reading people, with `checked` preflight checks done. */
export const dedupeCursor = (checked: number, preflightDone: boolean): DedupeCursor =>
  dedupeCursorSchema.parse({
    kind: 'dedupe',
    entities: ['person'],
    entity: 0,
    next: null,
    page: 0,
    pages: 0,
    records: 0,
    checked,
    preflightDone,
    entityRecords: 0,
  });
