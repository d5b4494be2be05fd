import { join } from 'node:path';
import { JobError } from '#domain/errors.ts';
import { runImport } from '#runtime/run-import.ts';
import { RunRegistry } from '#runtime/run-registry.ts';
import { ExecutionView } from '#view/view.ts';
import { COMMON_OPTIONS, commonOptions, parse } from './args.ts';
import { openSession } from './local-session.ts';

export const RUN_USAGE = `crm-import run <file-or-folder>... --target clarify|actuallycare [--base-url URL] [--api-key-env NAME] [--rate N/SECONDS] [--limit N] [--marker TAG] [--on-existing skip|update] [--overwrite] [--dry-run] [--json] [--data-dir DIR]`;

/**
 * Run one import on the local runtime. Exit code 0: every row created, updated, skipped or merged;
 * 2: finished, but some rows failed or are held; 1: the job could not run.
 */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...COMMON_OPTIONS,
    json: { type: 'boolean', default: false },
    limit: { type: 'string' },
    marker: { type: 'string' },
    'on-existing': { type: 'string' },
    overwrite: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  });
  const options = commonOptions(values);
  if (!positionals.length) throw new JobError('CONFIG', `usage: ${RUN_USAGE}`);
  const session = await openSession(options);
  const { connection, runtime, dataDir } = session;
  try {
    const view = new ExecutionView({ out: process.stderr });
    // Resuming only makes sense against a target that outlives this process (not the in-process sandbox).
    const registry = connection.sandbox ? undefined : new RunRegistry(join(dataDir, 'runs'));
    const result = await runImport({
      registry,
      destination: `${options.target} ${connection.sandbox ? 'sandbox' : connection.baseUrl}`,
      paths: positionals,
      runtime,
      outDir: dataDir,
      view,
      manifest: manifestOptions(values),
    });
    if (values.json) {
      const { jobId, executions, status, totals, stages, links, requests, report } = result;
      const line = { jobId, executions, status, totals, stages, links, requests, report };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    if (result.status === 'failed') {
      process.stderr.write(`crm-import: ${result.summary.error?.message ?? 'the import failed'}\n`);
      return 1;
    }
    return result.status === 'succeeded' ? 0 : 2;
  } finally {
    await session.close();
  }
}

/** --limit and --marker travel in the job's manifest, as a user dropping files would write them. */
function manifestOptions(values: {
  limit?: string;
  marker?: string;
  'on-existing'?: string;
  overwrite?: boolean;
  'dry-run'?: boolean;
}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new JobError('CONFIG', `--limit '${values.limit}' is not a positive whole number`);
    out.limit = limit;
  }
  if (values.marker !== undefined) out.marker = values.marker;
  const onExisting = values['on-existing'];
  if (onExisting !== undefined) {
    if (onExisting !== 'skip' && onExisting !== 'update')
      throw new JobError('CONFIG', `--on-existing '${onExisting}' is not skip or update`);
    out.onExisting = onExisting;
  }
  if (values.overwrite) out.overwrite = true;
  if (values['dry-run']) out.dryRun = true;
  return out;
}
