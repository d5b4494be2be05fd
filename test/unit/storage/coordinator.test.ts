import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateBudget } from '#domain/rate-budget.ts';
import { createDynamoClient, type LocalDynamo, startLocalDynamo } from '#runtime/dynamo-server.ts';
import { SharedBudget } from '#storage/budget-store.ts';
import { Coordinator } from '#storage/coordinator.ts';

const T0 = 1_800_000_000_000;
const RATE = { limit: 600, windowSeconds: 60 };

describe('Class: Coordinator (against dynalite)', () => {
  let dynamo: LocalDynamo;
  let coordinator: Coordinator;
  let keys = 0;
  const fresh = (what: string) => `${what}-${++keys}`;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    coordinator = new Coordinator(createDynamoClient(dynamo.endpoint), dynamo.tableName);
  });

  afterAll(async () => {
    await dynamo?.close();
  });

  describe('workspace leases', () => {
    it('gives a workspace to one job: a second is told who holds it, until the first releases it', async () => {
      // Prepare
      const workspace = fresh('ws');
      await coordinator.takeLease(workspace, 'job-a', T0, T0 + 60_000);

      // Act
      const refused = await coordinator.takeLease(workspace, 'job-b', T0 + 1000, T0 + 61_000);
      const renewed = await coordinator.takeLease(workspace, 'job-a', T0 + 2000, T0 + 62_000);
      const notYours = await coordinator.releaseLease(workspace, 'job-b');
      const released = await coordinator.releaseLease(workspace, 'job-a');
      const taken = await coordinator.takeLease(workspace, 'job-b', T0 + 3000, T0 + 63_000);

      // Assess
      expect(refused).toEqual({ held: false, lease: { holder: 'job-a', expiresAt: T0 + 60_000 } });
      expect(renewed.held).toBe(true);
      expect(notYours).toBe(false);
      expect(released).toBe(true);
      expect(taken).toEqual({ held: true, lease: { holder: 'job-b', expiresAt: T0 + 63_000 } });
    });

    it('lets the next job take a lease its holder stopped renewing, once it has run out', async () => {
      // Prepare: a job that was killed holds the workspace until T0 + 5 s
      const workspace = fresh('ws');
      await coordinator.takeLease(workspace, 'killed', T0, T0 + 5000);

      // Act
      const before = await coordinator.takeLease(workspace, 'next', T0 + 4999, T0 + 65_000);
      const after = await coordinator.takeLease(workspace, 'next', T0 + 5001, T0 + 65_000);

      // Assess
      expect(before.held).toBe(false);
      expect(after.held).toBe(true);
      expect(await coordinator.readLease(workspace)).toEqual({ holder: 'next', expiresAt: T0 + 65_000 });
    });

    it('takes a free workspace for exactly one of many jobs asking at once', async () => {
      // Prepare
      const workspace = fresh('ws');

      // Act
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => coordinator.takeLease(workspace, `job-${i}`, T0, T0 + 60_000)),
      );

      // Assess
      const winners = answers.filter((a) => a.held);
      expect(winners).toHaveLength(1);
      for (const loser of answers.filter((a) => !a.held))
        expect(loser.lease.holder).toBe(winners[0]?.lease.holder);
    });
  });

  describe('shared rate budgets', () => {
    const open = (fingerprint: string, endpointClass = 'all') =>
      SharedBudget.open({ coordinator, fingerprint, endpointClass, rate: RATE });

    it('refuses a write over a version someone else wrote since (no last writer wins)', async () => {
      // Prepare
      const key = `budget#${fresh('fp')}#all`;
      await coordinator.writeBudget(key, { log: [T0] }, 0, T0 + 60_000);

      // Act
      const stale = await coordinator.writeBudget(key, { log: [T0, T0 + 1] }, 0, T0 + 60_000);
      const current = await coordinator.writeBudget(key, { log: [T0, T0 + 2] }, 1, T0 + 60_000);

      // Assess
      expect(stale).toBe(false);
      expect(current).toBe(true);
      expect(await coordinator.readBudget(key)).toMatchObject({
        version: 2,
        snapshot: { log: [T0, T0 + 2] },
      });
    });

    it('never hands out more slots than the budget holds, however many Tasks reserve at once', async () => {
      // Prepare: ten Tasks of jobs that share one budget open it at the same moment
      const fingerprint = fresh('fp');
      const tasks = await Promise.all(Array.from({ length: 10 }, () => open(fingerprint)));
      const capacity = new RateBudget(RATE).perTask;

      // Act
      const granted = await Promise.all(tasks.map((task) => task.reserve(capacity, T0, T0 + 90_000)));

      // Assess: the bucket held one Task's share; every slot went to exactly one Task
      expect(granted.reduce((a, b) => a + b, 0)).toBe(capacity);
      const stored = await open(fingerprint);
      expect(stored.current.available(T0)).toBe(0);
    });

    it('settles a Task: its answers take the place of what it reserved, and what it did not send is given back', async () => {
      // Prepare
      const fingerprint = fresh('fp');
      const task = await open(fingerprint);
      const reserved = await task.reserve(12, T0, T0 + 90_000);

      // Act: 5 requests sent and answered; a 429 told the budget to wait 4 s
      const settled = await task.settle(
        {
          reserved,
          holdUntil: T0 + 90_000,
          answered: [T0 + 100, T0 + 200, T0 + 300, T0 + 400, T0 + 500],
          blockedUntil: T0 + 4500,
          latencyMs: 100,
        },
        T0 + 600,
      );

      // Assess: the next Task reads the same
      const next = (await open(fingerprint)).current;
      expect(next.snapshot().log).toEqual([T0 + 100, T0 + 200, T0 + 300, T0 + 400, T0 + 500]);
      expect(next.snapshot()).toEqual(settled.snapshot());
      expect(next.latency).toBe(100);
      expect(next.available(T0 + 600)).toBe(0);
      expect(next.available(T0 + 4500)).toBeGreaterThanOrEqual(reserved - 5);
    });

    it('keeps each endpoint class apart: spending one leaves the other whole', async () => {
      // Prepare
      const fingerprint = fresh('fp');
      const creates = await open(fingerprint, 'create');

      // Act
      await creates.reserve(1000, T0, T0 + 90_000);

      // Assess
      const reads = await open(fingerprint, 'read');
      expect((await open(fingerprint, 'create')).current.available(T0)).toBe(0);
      expect(reads.current.available(T0)).toBe(new RateBudget(RATE).perTask);
    });
  });
});
