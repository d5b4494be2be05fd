#!/usr/bin/env node
// The CLI runs the TypeScript sources directly (tsx), on the Node that npm/npx put first on PATH: the
// project's pinned node@22.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../local/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
