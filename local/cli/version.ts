import { readFileSync } from 'node:fs';

/** Set by the build (bin/build-cli.ts) in the bundle it writes; absent when the CLI runs from its sources. */
declare const CRM_IMPORT_BUILD: { version: string; builtAt: string } | undefined;

export const BUILD = typeof CRM_IMPORT_BUILD === 'undefined' ? undefined : CRM_IMPORT_BUILD;

/** `crm-import --version`: the version, and whether this is the build `npm ci` made or the sources. */
export function versionLine(): string {
  if (BUILD) return `crm-import ${BUILD.version} (built ${BUILD.builtAt})`;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `crm-import ${pkg.version} (from the TypeScript sources, compiled on each run: npm run build makes it start faster)`;
}
