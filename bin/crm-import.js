#!/usr/bin/env node
// The CLI runs from the bundle `npm ci` built (bin/build-cli.ts, into dist/cli) while none of the files it
// was built from has changed since; otherwise from the TypeScript sources through tsx, compiled on every
// run (seconds slower: `npm run build` brings the bundle up to date). Either way on the Node that npm/npx
// put first on PATH: the project's pinned node@22.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
// CRM_IMPORT_DIST: another build to run (the tests build their own).
const dist = new URL(process.env.CRM_IMPORT_DIST ?? 'dist/cli/', root);

/** The bundle, when it was built after the last change to every file it was built from. */
function freshBundle() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL('build.json', dist), 'utf8'));
    const stale = inputs.some((input) => statSync(new URL(input, root)).mtimeMs > builtAt);
    return stale ? undefined : new URL('crm-import.js', dist);
  } catch {
    return undefined;
  }
}

const bundle = freshBundle();
let main;
if (bundle) ({ main } = await import(bundle.href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../local/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
