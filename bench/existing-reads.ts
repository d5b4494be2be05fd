import type { RateLimit } from '#domain/rate-budget.ts';
import { runImport } from '#runtime/run-import.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { csv } from '#sandbox/common/csv-text.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import { startBenchRun } from './local-run.ts';

export interface ExistingReadFigures {
  existing: number;
  pages: number;
  rate: RateLimit;
  latencyMs: number;
  /** First read of a page of people to the last one's answer. */
  seconds: number;
  /** The same pages one after another: pages × the round trip. */
  oneByOneSeconds: number;
  /** The pages at the read budget's rate ÷ the actual time (above 1: within a burst the budget allowed). */
  efficiency: number;
  idealSeconds: number;
  maxInWindow: number;
  mostInFlight: number;
}

/**
 * The dedupe stage reading a Clarify workspace that already holds `existing` people: how long the pages
 * take against one after another, and against the read budget's rate.
 */
export async function measureExistingReads(options: {
  existing: number;
  rate: RateLimit;
  latencyMs: number;
}): Promise<ExistingReadFigures> {
  const { rate, latencyMs } = options;
  const person = (i: number) => ({
    name: { first_name: `P${i}`, last_name: 'Existing' },
    email_addresses: { items: [`p${i}@example.com`] },
  });
  const sandbox = await startClarifySandbox({
    rate,
    latencyMs,
    seed: { person: Array.from({ length: options.existing }, (_, i) => person(i)) },
  });
  const run = await startBenchRun(sandbox, 'clarify', rate);
  try {
    // One new person: the job reads every existing one to know it is new.
    const job = run.writeJob({
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email'],
        ['new', 'New', 'Person', 'new@example.com'],
      ]),
    });
    const result = await runImport({ paths: [job], runtime: run.runtime, outDir: run.dir });
    if (result.status !== 'succeeded') throw new Error(`the benchmark import ended ${result.status}`);
    const pages = sandbox
      .requests()
      .filter((r) => r.method === 'GET' && r.path.includes('/person/resources') && r.status === 200)
      .filter((r) => !r.path.includes('page[limit]=1&'));
    const at = pages.map((r) => r.at).sort((a, b) => a - b);
    const seconds = ((at.at(-1) as number) - (at[0] as number) + latencyMs) / 1000;
    // As the throughput figures count an endpoint: its requests at the allowed rate.
    const idealSeconds = (pages.length * rate.windowSeconds) / rate.limit;
    return {
      existing: options.existing,
      pages: pages.length,
      rate,
      latencyMs,
      seconds,
      oneByOneSeconds: (pages.length * latencyMs) / 1000,
      efficiency: idealSeconds / seconds,
      idealSeconds,
      maxInWindow: maxInAnyWindow(
        pages.map((r) => r.at),
        rate.windowSeconds * 1000,
      ),
      // Each read is in flight at least `latencyMs` from when the sandbox took it up.
      mostInFlight: maxInAnyWindow(at, latencyMs),
    };
  } finally {
    await run.close();
  }
}
