import { measureExistingReads } from './existing-reads.ts';

/** `npx tsx bench/existing-reads-main.ts [existing]`: the dedupe stage's reads of a full workspace, as JSON. */
const existing = Number(process.argv[2] ?? 100_000);
const figures = await measureExistingReads({
  existing,
  rate: { limit: 3000, windowSeconds: 60 },
  latencyMs: 150,
});
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
