import { join } from 'node:path';
import { jobOutcome } from '#domain/job-outcome.ts';
import type { Summary } from '#domain/report.ts';
import { retryDue } from '#functions/retry/retry.ts';
import { copyReport, preflightLines } from '#runtime/run-import.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { wrapWords } from '#view/format.ts';
import { ExecutionView } from '#view/view.ts';
import { type ParsedCommand, usageError } from './args.ts';
import { openSession } from './local-session.ts';
import { commonOptions, requiredTarget } from './options.ts';
import { untilSignal } from './sandbox.ts';

/**
 * `crm-import up`: the local runtime kept running. Any S3 client can drop files into the bucket; each upload
 * under imports/ starts an import, shown as it runs, with its report written back to the bucket and to disk.
 */
export async function upCommand({ values }: ParsedCommand): Promise<number> {
  const options = commonOptions('up', values, requiredTarget('up', values));
  const s3Port = wholeNumber(values['s3-port'] ?? '4569', '--s3-port');
  const retryEvery = wholeNumber(values['retry-every'] ?? '15', '--retry-every');
  const session = await openSession(options, s3Port);
  const { connection, runtime, store, dataDir } = session;
  const words = connection.sandbox ? {} : { credential: `the key in ${options.apiKeyEnv}` };
  let queue = Promise.resolve();
  runtime.on('execution', (execution) => {
    // A long import's later executions (<job>-2, …) are shown in its first one's view.
    if (execution.name !== execution.input.jobId) return;
    // One view at a time: imports are shown in the order they started.
    queue = queue.then(async () => {
      process.stderr.write(
        `\nImport ${execution.name} started by s3://${runtime.bucket}/${execution.input.source.key}\n`,
      );
      const view = new ExecutionView({ rate: session.connection.rate });
      await runtime.follow(execution, (each) => view.follow(each.eventLogs));
      const root = execution.input.retryOf ?? execution.input.jobId;
      const summary = await store.findJson<Summary>(jobKeys(root).report.summaryJson);
      if (summary) {
        const dir = await copyReport(store, root, dataDir);
        const width = view.width && view.width - 1;
        for (const note of preflightLines(summary))
          for (const line of wrapWords(note, width)) process.stderr.write(`${line}\n`);
        process.stderr.write(`Report: s3://${runtime.bucket}/reports/${root}/ and ${dir}\n`);
        view.printOutcome(jobOutcome(summary, { ...words, failuresFile: join(dir, 'failures.csv') }));
      }
    });
  });
  // The pipeline's own writes (jobs/, reports/, budgets/) are no news; a drop that started nothing is.
  runtime.on('ignored', (result) => {
    const reason = 'reason' in result ? result.reason : '';
    if (!reason.includes(' is not under ')) process.stderr.write(`(not an import: ${reason})\n`);
  });
  process.stdout.write(
    [
      `crm-import is up. Local S3: ${runtime.s3.endpoint}  bucket: ${runtime.bucket}`,
      `Target: ${options.target} at ${connection.baseUrl}${connection.sandbox ? ' (in-process sandbox)' : ''}`,
      'Drop files to start an import, for example:',
      // Two lines joined by the shell: one was 130 columns, and a terminal broke it in the bucket's name.
      '  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \\',
      `    aws --endpoint-url ${runtime.s3.endpoint} s3 cp people.csv s3://${runtime.bucket}/imports/`,
      'Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  // The schedule: re-run retryable and held rows that are due, as EventBridge Scheduler does on AWS.
  const every = retryEvery * 60_000;
  const schedule = setInterval(() => {
    retryDue(session.retryDeps).catch((error: unknown) =>
      process.stderr.write(`retry schedule: ${(error as Error).message}\n`),
    );
  }, every);
  await untilSignal();
  clearInterval(schedule);
  await session.close();
  return 0;
}

function wholeNumber(value: string | boolean, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw usageError('up', `${flag} '${String(value)}' is not a whole number`);
  return n;
}
