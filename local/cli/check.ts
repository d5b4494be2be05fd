import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { NotCsvError } from '#csv/plain-bytes.ts';
import { readHeader } from '#csv/read-csv.ts';
import type { RecordEntity } from '#domain/entities.ts';
import { formatRateLimit, type RateLimitInfo } from '#domain/rate-budget.ts';
import { recognizeFile } from '#intake/job-files.ts';
import { planUpload } from '#runtime/upload.ts';
import { createTarget } from '#targets/index.ts';
import { profileOf, type TargetProfile } from '#targets/profiles.ts';
import type { AccessNeeds, ProbeResult, TargetAdapter, TargetWorkspace } from '#targets/target.ts';
import { describeWorkspace } from '#targets/workspace.ts';
import { type ParsedCommand, usageError } from './args.ts';
import { type Connection, connect } from './connection.ts';
import { type CommonOptions, commonOptions } from './options.ts';
import { chooseTarget } from './target-choice.ts';

/** What `check` found, as `--json` prints it. */
export interface CheckReport {
  target: string;
  baseUrl: string;
  sandbox: boolean;
  /** True when every check that matters for the job (or the whole target) passed. */
  usable: boolean;
  /** What the job needs, from its files; absent: everything the target offers was checked. */
  needs?: AccessNeeds;
  checks: Omit<ProbeResult, 'learned'>[];
  /** What is not usable, one line each, naming the resource and what to do. */
  problems: string[];
  warnings: string[];
  workspace?: TargetWorkspace;
  rateLimit?: RateLimitInfo & { configured: string };
  pageSize?: number;
  latencyMs?: { median: number; max: number };
}

/**
 * `crm-import check`: a read-only preflight against the target, the same checks a job makes before its
 * first write. Exit 0 when everything checked is usable, 1 otherwise, naming each resource that is not.
 */
export async function checkCommand({ values, positionals }: ParsedCommand): Promise<number> {
  const choice = await chooseTarget('check', values, positionals);
  const options = commonOptions('check', values, choice.target);
  const connection = await connect(options);
  try {
    const report = await runCheck(options, connection, positionals);
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${choice.inferred ? `${choice.inferred}\n` : ''}${formatCheck(report)}`);
    return report.usable ? 0 : 1;
  } finally {
    await connection.close();
  }
}

export async function runCheck(
  options: CommonOptions,
  connection: Connection,
  paths: string[],
): Promise<CheckReport> {
  const profile = profileOf(options.target);
  const needs = paths.length ? await needsOf(paths, profile) : undefined;
  const target = createTarget(options.target, connection);
  const results = await runSteps(target, needs);
  const workspace = target.learn?.(results);
  const problems = results
    .filter((r) => !r.ok && (r.severity === 'fatal' || r.severity === 'entity'))
    .map((r) => `${r.check}: ${r.message}`);
  const warnings = [
    ...results.filter((r) => !r.ok && r.severity === 'warning').map((r) => `${r.check}: ${r.message}`),
    ...(workspace?.source === 'schemas' ? workspace.warnings : []),
  ];
  const latencies = results
    .flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]))
    .sort((a, b) => a - b);
  const headers = results
    .map((r) => r.rateLimit)
    .filter((info) => info?.limit !== undefined)
    .at(-1);
  const pageSize = results.find((r) => r.pageSize !== undefined)?.pageSize;
  return {
    target: options.target,
    baseUrl: connection.baseUrl,
    sandbox: connection.sandbox,
    usable: problems.length === 0,
    ...(needs ? { needs } : {}),
    checks: results.map(({ learned: _learned, ...rest }) => rest),
    problems,
    warnings,
    ...(workspace ? { workspace } : {}),
    ...(headers ? { rateLimit: { ...headers, configured: formatRateLimit(connection.rate) } } : {}),
    ...(pageSize ? { pageSize } : {}),
    ...(latencies.length
      ? {
          latencyMs: {
            median: latencies[Math.floor(latencies.length / 2)] as number,
            max: latencies.at(-1) as number,
          },
        }
      : {}),
  };
}

/** Each step in turn; a 429 is waited out as its Retry-After says (a few times), never pushed through. */
async function runSteps(target: TargetAdapter, needs: AccessNeeds | undefined): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const step of target.preflight(needs)) {
    for (let attempt = 1; ; attempt++) {
      try {
        results.push(await step.run());
        break;
      } catch (error) {
        const e = error as { code?: string; retryAfterSeconds?: number; message: string };
        if (e.code !== 'RATE_LIMITED' || attempt >= 3) {
          results.push({
            check: step.check,
            ok: false,
            severity: 'fatal',
            code: 'RATE_LIMITED',
            message: e.message,
          });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, (e.retryAfterSeconds ?? 1) * 1000));
      }
    }
  }
  return results;
}

/** What a job of these files needs: read every entity it creates or points at, write the ones it creates. */
async function needsOf(paths: string[], profile: TargetProfile): Promise<AccessNeeds> {
  const plan = planUpload(paths, 'imports/');
  const write = new Set<RecordEntity>();
  for (const file of plan.files) {
    const head = await readHeader(createReadStream(file.path)).catch((error: unknown) => {
      // A workbook or other binary file: say which, as the import's report would.
      throw error instanceof NotCsvError ? usageError('check', error.of(basename(file.path))) : error;
    });
    if (!head) continue;
    const found = recognizeFile({ key: file.key, file: basename(file.path) }, head.headers, profile).entity;
    if (found === 'mixed') for (const e of profile.rowTypes) write.add(e);
    else if (found === 'link') for (const e of ['person', 'deal'] as const) write.add(e);
    else if (found && (profile.entities as readonly string[]).includes(found))
      write.add(found as RecordEntity);
  }
  const read = new Set(write);
  for (const entity of write) {
    const parent = profile.parents[entity];
    if (parent) read.add(parent);
  }
  const order = (set: Set<RecordEntity>) => profile.entities.filter((e) => set.has(e));
  return { read: order(read), write: order(write) };
}

const mark = (r: ProbeResult) => (r.ok ? '✔' : r.severity === 'warning' ? '!' : '✖');

/** The report as a person reads it: one line a check, then the limits, then what to do. */
export function formatCheck(report: CheckReport): string {
  const lines = [
    `Checking ${report.target} at ${report.baseUrl}${report.sandbox ? ' (in-process sandbox)' : ''}, read-only`,
    report.needs
      ? `This job reads ${report.needs.read.join(', ') || 'nothing'} and writes ${report.needs.write.join(', ') || 'nothing'}.`
      : 'No files named: checking everything the target offers.',
    '',
  ];
  const width = Math.max(...report.checks.map((c) => c.check.length), 10);
  for (const c of report.checks) {
    const ms = c.latencyMs === undefined ? '      ' : `${String(c.latencyMs).padStart(4)}ms`;
    const via = c.credential ? ` [${c.credential}]` : '';
    lines.push(`  ${mark(c as ProbeResult)} ${c.check.padEnd(width)} ${ms}  ${c.message}${via}`);
  }
  lines.push('');
  if (report.workspace) lines.push(`Workspace: ${describeWorkspace(report.workspace)}`);
  if (report.rateLimit) {
    const r = report.rateLimit;
    lines.push(
      `Rate limit: the API says ${r.limit ?? '?'} per window (${r.remaining ?? '?'} left, resets in ${r.resetSeconds ?? '?'} s); the budget is set to ${r.configured}`,
    );
    if (r.limit !== undefined && !r.configured.startsWith(`${r.limit} per `)) {
      lines.push(
        `! The API states a limit of ${r.limit}, the budget ${r.configured}: a job adopts the stated limit in the documented window; give --rate N/SECONDS if the window differs.`,
      );
    }
  } else lines.push('Rate limit: the API sent no rate-limit headers; the budget keeps its configured limit.');
  if (report.pageSize) lines.push(`Page size: ${report.pageSize} accepted`);
  if (report.latencyMs)
    lines.push(`Latency: ${report.latencyMs.median} ms median, ${report.latencyMs.max} ms max`);
  for (const warning of report.warnings) lines.push(`! ${warning}`);
  lines.push('');
  if (report.usable) lines.push('Usable: every check passed. Nothing was written.');
  else {
    lines.push(`Not usable (${report.problems.length}):`);
    for (const problem of report.problems) lines.push(`  ✖ ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
