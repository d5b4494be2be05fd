import { join } from 'node:path';
import { jobOutcome } from '#domain/job-outcome.ts';
import type { Summary } from '#domain/report.ts';
import { retryDue } from '#functions/retry/retry.ts';
import { copyReport } from '#runtime/run-import.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ExecutionView } from '#view/view.ts';
import type { ParsedCommand } from './args.ts';
import { openSession } from './local-session.ts';
import { commonOptions, requiredTarget } from './options.ts';

/**
 * One pass of the retry schedule on the local runtime: every job whose retryable or held rows are due
 * (or the named job, now) is re-run, and its report rewritten. Exit 0 when nothing is left to re-run.
 */
export async function retryCommand({ values, positionals }: ParsedCommand): Promise<number> {
  const options = commonOptions('retry', values, requiredTarget('retry', values));
  const session = await openSession(options);
  const { runtime, store, dataDir } = session;
  try {
    const pass = await retryDue(session.retryDeps, positionals[0]);
    if (!pass.started.length) {
      const waiting = pass.waiting.length ? ` (waiting: ${pass.waiting.join(', ')})` : '';
      process.stderr.write(`Nothing is due for a re-run${waiting}.\n`);
      return 0;
    }
    let left = 0;
    for (const name of pass.started) {
      const execution = runtime.executions.get(name);
      if (!execution) continue;
      const view = new ExecutionView({ rate: session.connection.rate });
      await runtime.follow(execution, (each) => view.follow(each.eventLogs));
      const root = execution.input.retryOf ?? name;
      const summary = await store.findJson<Summary>(jobKeys(root).report.summaryJson);
      const dir = await copyReport(store, root, dataDir);
      left += (summary?.failures?.retryable ?? 0) + (summary?.failures?.held ?? 0);
      process.stderr.write(`Report of ${root} updated: ${dir}\n`);
      if (summary) view.printOutcome(jobOutcome(summary, { failuresFile: join(dir, 'failures.csv') }));
      else process.stderr.write('No report was written.\n');
    }
    return left ? 2 : 0;
  } finally {
    await session.close();
  }
}
