import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from '../bin/build-cli.ts';

/**
 * What a person waits for before anything is imported: the CLI's start-up (`--help`), and a run's fixed
 * overhead (a one-row import: start-up, the local S3 and coordinator servers, the state machine, the report),
 * from the build `npm ci` makes and from the TypeScript sources, and what npx adds on top.
 */
export interface StartupFigures {
  buildSeconds: number;
  help: { built: number; sources: number; npx: number };
  oneRow: { built: Run; sources: Run };
}

/** Wall time of a one-row run, and how much of it the import itself took (its summary's elapsed). */
interface Run {
  wallMs: number;
  importMs: number;
}

const CLI = resolve('bin/crm-import.js');
const TIMES = 5;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function timed(command: string, args: string[], env: Record<string, string>): { ms: number; stderr: string } {
  const started = performance.now();
  const ran = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (ran.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${ran.status}: ${ran.stderr}`);
  return { ms: performance.now() - started, stderr: ran.stderr };
}

const seconds = (text: string) => {
  const [, value] = /^elapsed +(\d+(?:\.\d+)?)s$/m.exec(text) ?? [];
  if (!value) throw new Error(`no elapsed line in:\n${text}`);
  return Number(value) * 1000;
};

export async function measureStartup(): Promise<StartupFigures> {
  mkdirSync('dist', { recursive: true });
  const dist = mkdtempSync(join('dist', 'bench-build-'));
  const data = mkdtempSync(join(tmpdir(), 'crm-import-bench-startup-'));
  try {
    const started = performance.now();
    const manifest = await buildCli({ outdir: dist });
    const buildSeconds = (performance.now() - started) / 1000;
    // Others may be editing the sources: this measures the build, not whether it is still fresh.
    writeFileSync(join(dist, 'build.json'), JSON.stringify({ ...manifest, builtAt: Date.now() + 3_600_000 }));
    const built = { CRM_IMPORT_DIST: `${resolve(dist)}/` };
    const sources = { CRM_IMPORT_DIST: `${resolve(data)}/no-build/` };
    const node = (args: string[], env: Record<string, string>) =>
      median(Array.from({ length: TIMES }, () => timed(process.execPath, [CLI, ...args], env).ms));
    const csv = join(data, 'companies.csv');
    writeFileSync(csv, 'Name,Domain\nAcme,acme.com\n');
    const oneRow = (env: Record<string, string>): Run => {
      const runs = Array.from({ length: TIMES }, (_, i) => {
        const dir = join(data, `run-${env.CRM_IMPORT_DIST?.length}-${i}`);
        const ran = timed(process.execPath, [CLI, 'run', csv, '--target', 'clarify', '--data-dir', dir], env);
        return { wallMs: ran.ms, importMs: seconds(ran.stderr) };
      });
      return { wallMs: median(runs.map((r) => r.wallMs)), importMs: median(runs.map((r) => r.importMs)) };
    };
    return {
      buildSeconds,
      help: {
        built: node(['--help'], built),
        sources: node(['--help'], sources),
        npx: median(Array.from({ length: TIMES }, () => timed('npx', ['crm-import', '--help'], built).ms)),
      },
      oneRow: { built: oneRow(built), sources: oneRow(sources) },
    };
  } finally {
    rmSync(dist, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
}
