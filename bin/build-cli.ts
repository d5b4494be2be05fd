import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { synthesizeDefinition } from '#runtime/definition.ts';
import { TARGET_NAMES } from '#targets/index.ts';

/**
 * Compiles the CLI once, at install time (`npm ci` runs it as `prepare`; `npm run build` runs it again):
 * local/cli/main.ts and everything of ours it imports become one ES module and lazily loaded chunks in
 * dist/cli/, with the state machine synthesized from ImportStack for each target built in. Packages stay
 * in node_modules. bin/crm-import.js runs the bundle while none of the files it was built from changed
 * since, and the TypeScript sources (through tsx) otherwise.
 */

export const DIST = 'dist/cli';

/** What bin/crm-import.js checks: when the build read its sources, and which files they were. */
export interface BuildManifest {
  builtAt: number;
  inputs: string[];
}

/** Files that shape the bundle without being imported by it. */
const ALSO_READ = ['package.json', 'cdk.json'];

export async function buildCli(options: { root?: string; outdir?: string } = {}): Promise<BuildManifest> {
  const root = resolve(options.root ?? '.');
  const outdir = resolve(root, options.outdir ?? DIST);
  // Sources read after this moment may be newer than the bundle: they make it stale, never fresh.
  const builtAt = Date.now();
  const definitions = Object.fromEntries(
    TARGET_NAMES.map((target) => [target, synthesizeDefinition({ target })]),
  );
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(dirname(outdir), { recursive: true });
  const staging = mkdtempSync(`${outdir}-`);
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: { 'crm-import': 'local/cli/main.ts' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      packages: 'external',
      outdir: staging,
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
      logLevel: 'warning',
      define: {
        CRM_IMPORT_DEFINITIONS: JSON.stringify(definitions),
        CRM_IMPORT_BUILD: JSON.stringify({ version: pkg.version, builtAt: new Date(builtAt).toISOString() }),
      },
    });
    // The metafile also lists what `define` injected (`<define:…>`): not files.
    const sources = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('<'));
    const inputs = [...sources, ...ALSO_READ].sort();
    const manifest: BuildManifest = { builtAt, inputs };
    writeFileSync(join(staging, 'build.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // Swap the whole folder in, so a CLI starting meanwhile sees the old build or the new one, never half.
    const old = `${outdir}.old-${process.pid}`;
    if (exists(outdir)) renameSync(outdir, old);
    renameSync(staging, outdir);
    rmSync(old, { recursive: true, force: true });
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const exists = (path: string) => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const manifest = await buildCli();
  const files = readdirSync(DIST, { recursive: true }).length;
  process.stdout.write(
    `crm-import: built the CLI into ${relative('.', DIST)} (${files} files from ${manifest.inputs.length} sources) in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
  );
}
