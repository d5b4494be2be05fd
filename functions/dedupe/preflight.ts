import { isThrottle } from '#commons/paced-task.ts';
import type { DedupeCursor } from '#domain/cursors.ts';
import { type ImportError, isRetryableCode, JobError } from '#domain/errors.ts';
import type { PacedCalls } from '#domain/paced-calls.ts';
import type { JobStore } from '#storage/job-store.ts';
import type { AccessNeeds, PreflightStep, ProbeResult, TargetAdapter } from '#targets/target.ts';

type Answer = { result: ProbeResult } | 'paused' | { failed: ImportError };

/** A refused key is refused everywhere: no need to spend more of the budget to hear it again. */
const refusesKey = (result: ProbeResult) =>
  !result.ok && result.severity === 'fatal' && result.code === 'AUTH_FAILED';

/**
 * The read-only checks before anything is written: each a paced request (an answer that needs none is
 * not charged), its result kept in `preflight.json` so a Task that stops carries on where it was. The
 * first request goes alone, so a refused key stops the checks after one request, as before; the checks
 * after it are independent reads and go several at a time (`calls.inFlight('read')`). Their results keep
 * the steps' order, and the cursor moves only past a step whose result is kept and every step before it:
 * one answered after a step that stopped the Task is asked again by the next. A refused key heard while
 * others are in flight lets those finish (they are charged already) and sends no more. Once all have
 * answered: a refused key or a missing read scope fails the job, naming what to fix; what the answers
 * teach (Clarify's shapes and enums) is kept in `workspace.json` for the create stages.
 */
export async function runPreflight(
  target: TargetAdapter,
  needs: AccessNeeds,
  cursor: DedupeCursor,
  job: JobStore,
  calls: PacedCalls,
  /** The retry policy's last try: its answer is taken as it is, a warning or a reason to stop. */
  last: boolean,
): Promise<ProbeResult[] | 'paused' | { failed: ImportError }> {
  const steps = target.preflight(needs);
  const results = (await job.findPreflight()) ?? [];
  const answers = new Map<number, Answer>();
  let next = cursor.checked;
  let stopped = false;
  let thrown: unknown;
  const check = async (until: number): Promise<void> => {
    try {
      while (!stopped && next < Math.min(until, steps.length)) {
        const index = next++;
        const answer = await ask(steps[index] as PreflightStep, calls, last);
        answers.set(index, answer);
        if (typeof answer === 'string' || !('result' in answer) || refusesKey(answer.result)) stopped = true;
      }
    } catch (error) {
      stopped = true;
      thrown ??= error;
    }
  };
  const refusedBefore = results.slice(0, cursor.checked).some(refusesKey);
  if (!refusedBefore) {
    const asked = steps.slice(0, cursor.checked).some((step) => !step.offline);
    const first = asked ? -1 : steps.findIndex((step, index) => index >= cursor.checked && !step.offline);
    if (first >= 0) await check(first + 1);
    if (!stopped && next < steps.length)
      await Promise.all(Array.from({ length: await calls.inFlight('read') }, () => check(steps.length)));
  }
  if (thrown !== undefined) throw thrown;

  let refused = refusedBefore;
  for (let answer = answers.get(cursor.checked); answer; answer = answers.get(cursor.checked)) {
    if (typeof answer === 'string' || !('result' in answer)) {
      await job.putPreflight(results.slice(0, cursor.checked));
      return answer;
    }
    results[cursor.checked] = answer.result;
    cursor.checked += 1;
    refused ||= refusesKey(answer.result);
  }
  await job.putPreflight(results.slice(0, cursor.checked));
  if (cursor.checked < steps.length && !refused) return 'paused';

  const fatal = results.filter((r) => !r.ok && r.severity === 'fatal');
  if (fatal.length) {
    const first = fatal[0] as ProbeResult;
    const what = fatal.map((r) => `${r.check}: ${r.message}`).join('; ');
    throw new JobError(
      first.code ?? 'FORBIDDEN',
      `checked before writing anything, and nothing was written: ${what}`,
    );
  }
  if (target.learn) await job.putWorkspace(target.learn(results));
  return results;
}

/** One step: charged before its request leaves; a 429 pauses, a 5xx or a lost connection fails the Task. */
async function ask(step: PreflightStep, calls: PacedCalls, last: boolean): Promise<Answer> {
  if (step.offline) return { result: await step.run() };
  if (!(await calls.take('read'))) return 'paused';
  let result: ProbeResult;
  try {
    result = await calls.call(() => step.run(), 'read');
  } catch (error) {
    if (isThrottle(error)) return 'paused';
    throw error;
  }
  // A 5xx or a lost connection is asked again by the next Task, after a backoff, like any read.
  if (result.code && isRetryableCode(result.code) && !last)
    return { failed: new JobError(result.code, `${result.check}: ${result.message}`) };
  return { result };
}
