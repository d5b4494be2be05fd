import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runPreflight } from '#functions/dedupe/preflight.ts';
import type { JobStore } from '#storage/job-store.ts';
import type { PreflightStep, ProbeResult, TargetAdapter } from '#targets/target.ts';
import { dedupeCursor, readCalls } from './fixtures.ts';

/** A target whose preflight is `answers.length` read probes, each answering what `answers` says. */
function fakeTarget(answers: ((attempt: number) => Partial<ProbeResult>)[]) {
  const sent: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const steps: PreflightStep[] = answers.map((answer, index) => ({
    check: `read ${index}`,
    run: async () => {
      sent.push(index);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(5 + ((index * 7) % 11));
      inFlight -= 1;
      return {
        check: `read ${index}`,
        ok: true,
        message: 'readable',
        ...answer(sent.filter((i) => i === index).length),
      };
    },
  }));
  const target = { preflight: () => steps } as unknown as TargetAdapter;
  return { target, sent, mostInFlight: () => mostInFlight };
}

/** The job's preflight.json in memory. */
function fakeJob() {
  const saved: { results?: ProbeResult[] } = {};
  const job = {
    findPreflight: async () => saved.results,
    putPreflight: async (results: ProbeResult[]) => {
      saved.results = structuredClone(results);
    },
    putWorkspace: async () => undefined,
  } as unknown as JobStore;
  return { job, saved };
}

const calls = () => readCalls(Number.POSITIVE_INFINITY, 100, 50);

const cursor = () => dedupeCursor(0, false);

const needs = { read: [], write: [] };
const ok = () => ({});

describe('Function: runPreflight (the checks before anything is written)', () => {
  it('sends the first check alone, then the rest several at a time, keeping their results in order', async () => {
    // Prepare
    const { target, sent, mostInFlight } = fakeTarget(Array.from({ length: 8 }, () => ok));
    const { job, saved } = fakeJob();
    const at = cursor();

    // Act
    const results = await runPreflight(target, needs, at, job, calls(), false);

    // Assess
    expect(sent[0]).toBe(0);
    expect(mostInFlight()).toBeGreaterThan(1);
    expect((results as ProbeResult[]).map((r) => r.check)).toEqual(
      Array.from({ length: 8 }, (_, i) => `read ${i}`),
    );
    expect(saved.results?.map((r) => r.check)).toEqual(Array.from({ length: 8 }, (_, i) => `read ${i}`));
    expect(at.checked).toBe(8);
  });

  it('a key refused on the first check stops the job after that one request', async () => {
    // Prepare
    const refused = () => ({
      ok: false,
      severity: 'fatal' as const,
      code: 'AUTH_FAILED' as const,
      message: '401',
    });
    const { target, sent } = fakeTarget([refused, ok, ok, ok]);
    const { job } = fakeJob();

    // Act
    const error = await runPreflight(target, needs, cursor(), job, calls(), false).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(sent).toEqual([0]);
  });

  it('a check the API fails transiently stops the Task with the checks before it kept; the next Task asks again from there', async () => {
    // Prepare: check 3 of 6 answers 503 the first time
    const unavailable = (attempt: number) =>
      attempt === 1
        ? { ok: false, severity: 'warning' as const, code: 'SERVER_ERROR' as const, message: '503' }
        : {};
    const { target, sent } = fakeTarget([ok, ok, ok, unavailable, ok, ok]);
    const { job, saved } = fakeJob();
    const at = cursor();

    // Act
    const first = await runPreflight(target, needs, at, job, calls(), false);

    // Assess
    expect(first).toMatchObject({ failed: { code: 'SERVER_ERROR' } });
    expect(at.checked).toBe(3);
    expect(saved.results?.map((r) => r.check)).toEqual(['read 0', 'read 1', 'read 2']);

    // Act: the next Task
    const again = await runPreflight(target, needs, at, job, calls(), false);

    // Assess: every check once in the results, in order; the ones from the failed one on asked again
    expect((again as ProbeResult[]).map((r) => r.check)).toEqual(
      Array.from({ length: 6 }, (_, i) => `read ${i}`),
    );
    expect(sent.filter((i) => i < 3)).toEqual([0, 1, 2]);
  });
});
