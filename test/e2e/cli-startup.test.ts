import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildManifest, buildCli } from '../../bin/build-cli.ts';
import { cli } from './cli-process.ts';

/**
 * A Node `--import` that records every package the CLI loads, by name, in a file: which of the CLI's
 * dependencies a command really pulls in (the CDK and tsx are the slow ones).
 */
const SPY = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  import { appendFileSync } from 'node:fs';
  let file;
  export function initialize(data) { file = data.file; }
  export async function resolve(specifier, context, next) {
    if (file && !/^[.#/]|^node:|^file:|^data:/.test(specifier)) appendFileSync(file, specifier + '\\\\n');
    return next(specifier, context);
  }
\`), { data: { file: process.env.CRM_IMPORT_SPY_FILE } });
`;

describe('CLI: compiled at install time', () => {
  let dir: string;
  let dist: string;
  let manifest: BuildManifest;
  let spy: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-import-build-'));
    // Inside the project, as dist/cli is: the bundle finds its packages in node_modules from there.
    mkdirSync('dist', { recursive: true });
    dist = mkdtempSync(join('dist', 'test-build-'));
    manifest = await buildCli({ outdir: dist });
    // Others may edit the sources while these tests run: only the last test is about a stale build.
    writeFileSync(join(dist, 'build.json'), JSON.stringify({ ...manifest, builtAt: Date.now() + 3_600_000 }));
    spy = join(dir, 'spy.mjs');
    writeFileSync(spy, SPY);
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
    rmSync(`${dist}-stale`, { recursive: true, force: true });
  });

  /** Runs the CLI from a given build, recording which packages it loaded. */
  async function loaded(args: string[], distDir: string) {
    const file = join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, '');
    const ran = await cli(args, {
      CRM_IMPORT_DIST: `${resolve(distDir)}/`,
      CRM_IMPORT_SPY_FILE: file,
      NODE_OPTIONS: `--import ${spy}`,
    });
    return { ran, packages: new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean)) };
  }

  it('the build lists what it was built from: the CLI and everything of ours it imports', () => {
    // Assess
    expect(manifest.inputs).toEqual(
      expect.arrayContaining(['local/cli/main.ts', 'package.json', 'cdk.json']),
    );
    expect(manifest.inputs).toEqual(expect.arrayContaining(['lib/stacks/import-stack.ts']));
    expect(manifest.inputs.every((input) => !input.startsWith('node_modules/'))).toBe(true);
  });

  it('answers --help and --version from the build without loading tsx or the pipeline', async () => {
    // Act
    const help = await loaded(['--help'], dist);
    const version = await loaded(['--version'], dist);

    // Assess
    expect(help.ran.code, help.ran.stderr).toBe(0);
    expect(version.ran.stdout).toMatch(/^crm-import \d+\.\d+\.\d+ \(built \d{4}-\d\d-\d\dT/);
    for (const { packages } of [help, version]) {
      expect(
        [...packages].filter((p) => /^(tsx|aws-cdk-lib|@aws-sdk|s3rver|aws-local-stepfunctions)/.test(p)),
      ).toEqual([]);
    }
  });

  it('runs an import with the state machine synthesized at build: the CDK is never loaded', async () => {
    // Prepare
    const data = join(dir, 'data');

    // Act
    const { ran, packages } = await loaded(
      ['run', 'examples/clarify/companies.csv', '--target', 'clarify', '--rate', '30/3', '--data-dir', data],
      dist,
    );

    // Assess
    expect(ran.code, ran.stderr.slice(-1500)).toBe(0);
    expect(packages.has('aws-local-stepfunctions')).toBe(true);
    expect([...packages].filter((p) => p.startsWith('aws-cdk-lib') || p.startsWith('tsx'))).toEqual([]);
  });

  it('runs from the TypeScript sources when a file the build read changed after it', async () => {
    // Prepare: the same build, dated before the sources were last written
    const stale = `${dist}-stale`;
    cpSync(dist, stale, { recursive: true });
    writeFileSync(join(stale, 'build.json'), JSON.stringify({ ...manifest, builtAt: 0 }));

    // Act
    const { ran, packages } = await loaded(['--version'], stale);

    // Assess
    expect(ran.stdout).toMatch(/\(from the TypeScript sources, compiled on each run: npm run build/);
    expect(packages.has('tsx/esm/api')).toBe(true);
  });
});
