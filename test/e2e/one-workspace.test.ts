import { afterEach, describe, expect, it } from 'vitest';
import type { LocalExecution } from '#runtime/runtime.ts';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { servedTimestamps } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { until } from './cli-process.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

/**
 * Jobs that write into the same workspace, as users drop them (an export in parts, the same file twice):
 * one at a time holds the workspace, so the next one's snapshot sees what the one before created, and
 * ActuallyCare, which does not refuse a duplicate email, never gets one.
 */

const RATE = { limit: 20, windowSeconds: 2 };

/** Leads `from` to `to - 1`, in one folder job. */
const leads = (from: number, to: number) =>
  writeJob({
    'leads.csv': csv([
      ['Name', 'Email'],
      ...Array.from({ length: to - from }, (_, i) => [`Lead ${from + i}`, `lead${from + i}@example.com`]),
    ]),
  });

const MANIFEST = { marker: 'import-workspace-test' };

const leadEmails = (sandbox: ActuallyCareSandbox) => sandbox.records('leads').map((r) => String(r.email));

describe('One workspace, one job at a time (ActuallyCare sandbox, local runtime)', () => {
  let sandbox: ActuallyCareSandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  it('two overlapping files dropped together: no duplicate, nothing missing, the second waits and says why', async () => {
    // Prepare: 60 leads each, 20 in both
    sandbox = await startActuallyCareSandbox({ rate: RATE });
    harness = await startHarness(sandbox, RATE, {}, sandbox.apiKey, 'actuallycare');
    const [first, second] = [leads(0, 60), leads(40, 100)];

    // Act: both uploads at the same moment
    const [a, b] = await Promise.all([harness.run([first], MANIFEST), harness.run([second], MANIFEST)]);

    // Assess: every lead once
    const emails = leadEmails(sandbox);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `lead${i}@example.com`).sort());

    // the job that waited skipped the 20 the other had just created, and said whom it waited for
    const [ran, waited] = a.viewText.includes('Wait for the workspace') ? [b, a] : [a, b];
    expect(waited.viewText).toContain(`Wait for the workspace`);
    expect(waited.viewText).toContain(`import ${ran.jobId} is running`);
    expect(waited.viewText).not.toMatch(/waiting 0 s/);
    expect(ran.viewText).not.toContain('Wait for the workspace');
    expect(ran.totals).toMatchObject({ rows: 60, created: 60, failed: 0 });
    expect(waited.totals).toMatchObject({ rows: 60, created: 40, skipped: 20, failed: 0 });

    // and the one budget of the IP was never overspent
    const served = servedTimestamps(sandbox.requests());
    expect(sandbox.requests().filter((r) => r.status === 429)).toEqual([]);
    expect(maxInAnyWindow(served, RATE.windowSeconds * 1000)).toBeLessThanOrEqual(RATE.limit);
  });

  it('a lease left by a killed job runs out, and the next job proceeds', async () => {
    // Prepare: a lease outlives its last renewal by 3 s (Tasks of 2 s); a job of 80 leads is killed in its
    // create stage
    sandbox = await startActuallyCareSandbox({ rate: RATE });
    harness = await startHarness(
      sandbox,
      RATE,
      { leaseSeconds: 3, maxTaskMs: 2000 },
      sandbox.apiKey,
      'actuallycare',
    );
    const box = sandbox;
    const running = harness;
    const killed = new Promise<LocalExecution>((resolve) => running.runtime.once('execution', resolve));
    const firstRun = running.run([leads(0, 80)], MANIFEST).catch((error: unknown) => error);
    const execution = await killed;
    await until(() => leadEmails(box).length >= 10, 30_000);
    execution.abort();
    await firstRun;
    const createdBeforeKill = leadEmails(box).length;

    // Act: the same export dropped again
    const next = await running.run([leads(0, 80)], MANIFEST);

    // Assess: it waited for the killed job's lease, then finished what that one had not (the killed job's
    // Task in flight may have sent a few more before it ended: those are skipped too, never doubled)
    expect(next.viewText).toContain(`import ${execution.name} is running`);
    expect(next.status).toBe('succeeded');
    const emails = leadEmails(box);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails).toHaveLength(80);
    expect(next.totals).toMatchObject({ rows: 80, failed: 0 });
    expect(next.totals.skipped).toBeGreaterThanOrEqual(createdBeforeKill);
    expect(next.totals.created + next.totals.skipped).toBe(80);
  });
});
