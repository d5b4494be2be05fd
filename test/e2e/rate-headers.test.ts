import { afterEach, describe, expect, it } from 'vitest';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 20, windowSeconds: 4 };

const leads = csv([
  ['Name', 'Email'],
  ...Array.from({ length: 30 }, (_, i) => [`Lead ${i}`, `lead${i}@example.com`]),
]);

/**
 * Another client of the same account, from the same IP: the limit counts per client IP (RL2), so it and
 * the import share one window, and it spends most of it just before the import starts.
 */
async function spendOutsideTheImport(sandbox: ActuallyCareSandbox, requests: number) {
  for (let i = 0; i < requests; i++) {
    const res = await fetch(`${sandbox.baseUrl}/leads`, {
      headers: { 'x-api-key': sandbox.apiKey },
    });
    await res.body?.cancel();
    expect(res.status).toBe(200);
  }
}

describe('Pacing from what the API says of its window', () => {
  let sandbox: ActuallyCareSandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  it.each([
    [true, 'never trips a 429 when another client spent most of the window: it reads RateLimit-Remaining'],
    [false, 'without the headers, learns of the other client only from a 429 and its Retry-After'],
  ])('headers %j: %s', async (headers) => {
    // Prepare
    sandbox = await startActuallyCareSandbox({
      rate: RATE,
      variants: { rateHeaders: headers ? 'RateLimit' : 'none' },
    });
    harness = await startHarness(sandbox, RATE, {}, sandbox.apiKey, 'actuallycare');
    const job = writeJob({ 'leads.csv': leads });
    await spendOutsideTheImport(sandbox, 15);

    // Act
    const result = await harness.run([job]);

    // Assess: every lead in once either way; 429s only when the API did not say
    expect(result.status).toBe('succeeded');
    expect(sandbox.records('leads')).toHaveLength(30);
    const throttled = sandbox.requests().filter((r) => r.throttled).length;
    if (headers) expect(throttled).toBe(0);
    else expect(throttled).toBeGreaterThan(0);
  });
});
