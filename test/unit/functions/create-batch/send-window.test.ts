import { describe, expect, it } from 'vitest';
import type { SourceRow } from '#domain/entities.ts';
import type { WindowLedger } from '#domain/outcomes.ts';
import { budgetSlots, PacedCalls } from '#domain/paced-calls.ts';
import { RateBudget } from '#domain/rate-budget.ts';
import type { PlannedRow } from '#functions/create-batch/plan-window.ts';
import { sendWindow } from '#functions/create-batch/send-window.ts';
import { type ItemError, type NewRecord, type TargetAdapter, TargetError } from '#targets/target.ts';

/** Calls paced by a budget in memory, with a Task's share of it reserved. */
async function inMemoryCalls(): Promise<PacedCalls> {
  const budget = new RateBudget({ limit: 1000, windowSeconds: 1 });
  const calls = new PacedCalls(budgetSlots(budget, Date.now), Date.now, { sent: 0, throttled: 0 });
  await calls.reserve(budget.perTask);
  return calls;
}

/** A bulk endpoint that refuses any batch holding a bad email, pointing at it or not. */
function fakeTarget(options: { pointers: boolean }) {
  const batches: number[] = [];
  let next = 0;
  const target = {
    name: 'clarify',
    maxBatchSize: 25,
    entities: ['company', 'person', 'deal'],
    create: async (_entity: string, records: NewRecord[]) => {
      batches.push(records.length);
      const bad: ItemError[] = records.flatMap((r, index) =>
        String(r.fields.email).startsWith('bad') ? [{ index, message: 'invalid email' }] : [],
      );
      if (bad.length)
        throw new TargetError('REJECTED', '422 invalid', { status: 422, items: options.pointers ? bad : [] });
      return records.map(() => `rec_${next++}`);
    },
    tailCursor: () => '',
  } as unknown as TargetAdapter;
  return { target, batches };
}

const planned = (emails: string[]): PlannedRow[] =>
  emails.map((email, i) => {
    const row: SourceRow = {
      entity: 'person',
      file: 'people.csv',
      line: i + 2,
      key: `email:${email}`,
      fields: { first_name: 'A', email },
      refs: {},
      raw: { Email: email },
    };
    return { row, outcome: null, matchKey: row.key, record: { fields: row.fields } };
  });

const ledgerFor = (rows: PlannedRow[]): WindowLedger => ({
  entity: 'person',
  part: 0,
  start: 0,
  end: rows.length,
  outcomes: rows.map(() => null),
  attempts: 0,
});

async function send(emails: string[], pointers: boolean) {
  const rows = planned(emails);
  const ledger = ledgerFor(rows);
  const { target, batches } = fakeTarget({ pointers });
  const calls = await inMemoryCalls();
  const result = await sendWindow(ledger, rows, {
    entity: 'person',
    target,
    calls,
    save: async () => undefined,
    outOfTime: () => false,
    snapshotCount: async () => 0,
  });
  return { result, ledger, batches };
}

const emails = (bad: number[]) =>
  Array.from({ length: 25 }, (_, i) => (bad.includes(i) ? `bad${i}@` : `p${i}@x.com`));

describe('Function: sendWindow', () => {
  it('isolates the rows the API points at with one extra request, and creates the rest', async () => {
    // Act
    const { result, ledger, batches } = await send(emails([3, 17]), true);

    // Assess
    expect(result).toBe('settled');
    expect(batches).toEqual([25, 23]);
    expect(ledger.outcomes.filter((o) => o?.status === 'created')).toHaveLength(23);
    expect(ledger.outcomes[3]).toMatchObject({
      status: 'failed',
      code: 'REJECTED',
      retryable: false,
      message: '422 invalid email',
    });
    expect(ledger.sending).toBeUndefined();
  });

  it('ER3: names every field the API points at in a row, in one message', async () => {
    // Prepare: a validation error with two per-field problems in the same record
    const rows = planned(['ann@x.com']);
    const ledger = ledgerFor(rows);
    const items: ItemError[] = [
      { index: 0, field: 'last_name', message: 'last_name is required' },
      { index: 0, field: 'client_type', message: 'client_type is required' },
    ];
    const target = {
      create: async () => {
        throw new TargetError('REJECTED', '400 VALIDATION_ERROR', { status: 400, items });
      },
    } as unknown as TargetAdapter;
    const calls = await inMemoryCalls();

    // Act
    await sendWindow(ledger, rows, {
      entity: 'person',
      target,
      calls,
      save: async () => undefined,
      outOfTime: () => false,
      snapshotCount: async () => 0,
    });

    // Assess
    expect(ledger.outcomes[0]).toMatchObject({
      status: 'failed',
      message: '400 last_name is required (last_name); client_type is required (client_type)',
    });
  });

  it.each([
    [[12], 9],
    [[0, 24], 17],
  ])(
    'halves a batch without pointers until bad rows %j stand alone, in %i requests',
    async (bad, requests) => {
      // Act
      const { ledger, batches } = await send(emails(bad), false);

      // Assess: every good row created once, every bad row failed with the API's reason
      expect(batches).toHaveLength(requests);
      expect(ledger.outcomes.filter((o) => o?.status === 'created')).toHaveLength(25 - bad.length);
      for (const i of bad) expect(ledger.outcomes[i]).toMatchObject({ status: 'failed', code: 'REJECTED' });
    },
  );

  it('keeps the rows of a request whose answer was lost as in doubt, for the next Task to reconcile', async () => {
    // Prepare
    const rows = planned(emails([]));
    const ledger = ledgerFor(rows);
    const target = {
      create: async () => {
        throw new TargetError('NETWORK', 'POST failed: ECONNRESET', { inDoubt: true });
      },
    } as unknown as TargetAdapter;
    const calls = await inMemoryCalls();
    const saved: (number[] | undefined)[] = [];

    // Act
    const result = await sendWindow(ledger, rows, {
      entity: 'person',
      target,
      calls,
      save: async () => {
        saved.push(ledger.sending ? [...ledger.sending] : undefined);
      },
      outOfTime: () => false,
      snapshotCount: async () => 0,
    });

    // Assess: the intent was saved before the request, and stays after it
    expect(result).toBe('paused');
    expect(saved[0]).toHaveLength(25);
    expect(ledger.sending).toHaveLength(25);
    expect(ledger.attempts).toBe(1);
    expect(ledger.outcomes.every((o) => o === null)).toBe(true);
  });
});
