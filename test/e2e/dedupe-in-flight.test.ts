import { describe, expect, it } from 'vitest';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { clarifyCallKind } from '#sandbox/clarify/call-kind.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import type { RequestLogEntry } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { closedAfterEach, csv, startHarness, writeJob } from './local-harness.ts';

/**
 * The dedupe stage reads what the target already holds several pages at a time: offset (Clarify [Q3])
 * and page-number (ActuallyCare [P1]) lists can be addressed directly, and both say how many records
 * they hold ([Q6], [P3]). Rates are scaled down so the reads need more than one window.
 */

const LATENCY_MS = 150;

/** The most requests the log shows in flight at once: each takes `LATENCY_MS` from when it was taken up. */
const mostInFlight = (log: RequestLogEntry[]) =>
  maxInAnyWindow(
    log.map((r) => r.at),
    LATENCY_MS,
  );

const people = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ first: `P${i}`, last: 'Existing', email: `p${i}@acme.com` }));

describe('Existing records read several pages at a time (local runtime)', () => {
  const opened = closedAfterEach();

  it('Clarify: 4,600 existing people in 10 pages of 500 are read with reads in flight together, each page once, within the read limit, and every one is found', async () => {
    // Prepare: the workspace holds 4,600 people; the job brings the same people again
    const rate = { limit: 12, windowSeconds: 2 };
    const existing = people(4_600);
    const clarify = opened(
      await startClarifySandbox({
        rate,
        latencyMs: LATENCY_MS,
        seed: {
          person: existing.map((p) => ({
            name: { first_name: p.first, last_name: p.last },
            email_addresses: { items: [p.email] },
          })),
        },
      }),
    );
    const harness = opened(await startHarness(clarify, rate));
    const job = writeJob({
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email'],
        ...existing.map((p, i) => [`p${i}`, p.first, p.last, p.email]),
      ]),
    });

    // Act
    const result = await harness.run([job]);

    // Assess: every existing person found, so nothing created
    expect(result.status).toBe('succeeded');
    expect(result.totals).toMatchObject({ rows: 4_600, skipped: 4_600, created: 0 });
    expect(clarify.records('person')).toHaveLength(4_600);
    const log = clarify.requests().filter((r) => r.status !== 0);
    expect(log.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(log.filter((r) => r.status === 429)).toEqual([]);

    // each page of people read once, none past the end (the API gave the total)
    const pages = log.filter(
      (r) => r.path.includes('/person/resources') && r.path.includes('page[limit]=500'),
    );
    const offsets = pages.map((r) => Number(/page\[offset\]=(\d+)/.exec(r.path)?.[1]));
    expect(offsets.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i * 500));

    // reads were in flight together, and no window held more reads than the limit
    expect(mostInFlight(pages)).toBeGreaterThan(1);
    const reads = log.filter((r) => clarifyCallKind(r) === 'read').map((r) => r.at);
    expect(reads.length).toBeGreaterThan(rate.limit);
    expect(maxInAnyWindow(reads, rate.windowSeconds * 1000)).toBeLessThanOrEqual(rate.limit);
  });

  it('ActuallyCare: 950 existing leads in 10 pages of 100 are read with reads in flight together, each page once, within its one budget, and every one is found', async () => {
    // Prepare: the account holds 950 leads; the job brings the same leads again
    const rate = { limit: 8, windowSeconds: 2 };
    const existing = people(950);
    const actuallyCare = opened(
      await startActuallyCareSandbox({
        rate,
        latencyMs: LATENCY_MS,
        seed: { leads: existing.map((p) => ({ name: `${p.first} ${p.last}`, email: p.email })) },
      }),
    );
    const { baseUrl, apiKey, sessionToken } = actuallyCare;
    const harness = opened(
      await startHarness({ baseUrl, apiKey, sessionToken }, rate, {}, apiKey, 'actuallycare'),
    );
    const job = writeJob({
      'crm-export.csv': csv([
        ['Type', 'First Name', 'Last Name', 'Email'],
        ...existing.map((p) => ['Lead', p.first, p.last, p.email]),
      ]),
    });

    // Act
    const result = await harness.run([job]);

    // Assess: every existing lead found, so nothing created
    expect(result.status).toBe('succeeded');
    expect(result.totals).toMatchObject({ rows: 950, skipped: 950, created: 0 });
    expect(actuallyCare.records('leads')).toHaveLength(950);
    const log = actuallyCare.requests();
    expect(log.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(log.filter((r) => r.throttled)).toEqual([]);

    // each page of leads read once, none past the end (the API gave the total)
    const pages = log.filter((r) => r.path.startsWith('/v1/leads?') && r.path.includes('limit=100'));
    const numbers = pages.map((r) => Number(/[?&]page=(\d+)/.exec(r.path)?.[1]));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));

    // reads were in flight together, and no window of the one budget held more than its limit
    expect(mostInFlight(pages)).toBeGreaterThan(1);
    expect(log.length).toBeGreaterThan(rate.limit);
    expect(
      maxInAnyWindow(
        log.map((r) => r.at),
        rate.windowSeconds * 1000,
      ),
    ).toBeLessThanOrEqual(rate.limit);
  });
});
