import { join } from 'node:path';
import { exitCodeOf } from '#domain/job-outcome.ts';
import { runImport } from '#runtime/run-import.ts';
import { RunRegistry } from '#runtime/run-registry.ts';
import { ExecutionView } from '#view/view.ts';
import { type FlagValues, type ParsedCommand, usageError } from './args.ts';
import { openSession } from './local-session.ts';
import { commonOptions } from './options.ts';
import { chooseTarget } from './target-choice.ts';

/**
 * Run one import on the local runtime. Exit code 0: every row created, updated, skipped or merged;
 * 2: finished, but some rows failed or are held (in a dry run: would); 1: the job could not run.
 */
export async function runCommand({ values, positionals }: ParsedCommand): Promise<number> {
  const manifest = manifestOptions(values);
  const choice = await chooseTarget('run', values, positionals);
  const options = commonOptions('run', values, choice.target);
  const session = await openSession(options);
  const { connection, runtime, dataDir } = session;
  try {
    const view = new ExecutionView({ out: process.stderr, rate: connection.rate });
    if (choice.inferred) view.note(choice.inferred);
    // The local sandbox keeps its records in the data dir, so a killed run resumes against it as against an API.
    const result = await runImport({
      registry: new RunRegistry(join(dataDir, 'runs')),
      destination: connection.destination,
      paths: positionals,
      runtime,
      outDir: dataDir,
      view,
      manifest,
      ...(connection.sandbox ? {} : { credential: `the key in ${options.apiKeyEnv}` }),
    });
    if (values.json) {
      const { jobId, executions, status, totals, stages, links, requests, report, outcome } = result;
      const line = {
        jobId,
        executions,
        status,
        outcome: { kind: outcome.kind, line: outcome.line },
        totals,
        stages,
        links,
        requests,
        report,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    // The API's own words last, under the outcome line that says what to do about them.
    if (result.summary.error) process.stderr.write(`crm-import: ${result.summary.error.message}\n`);
    return exitCodeOf(result.outcome);
  } finally {
    await session.close();
  }
}

/** --limit and --marker travel in the job's manifest, as a user dropping files would write them. */
function manifestOptions(values: FlagValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw usageError('run', `--limit '${values.limit}' is not a positive whole number`);
    out.limit = limit;
  }
  if (values.marker !== undefined) out.marker = values.marker;
  const onExisting = values['on-existing'];
  if (onExisting !== undefined) {
    if (onExisting !== 'skip' && onExisting !== 'update')
      throw usageError('run', `--on-existing '${onExisting}' is not skip or update`);
    out.onExisting = onExisting;
  }
  if (values.overwrite) out.overwrite = true;
  if (values['dry-run']) out.dryRun = true;
  return out;
}
