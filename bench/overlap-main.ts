import { measureOneJob, measureOverlap } from './overlap.ts';

/** `npx tsx bench/overlap-main.ts`: two and four overlapping jobs against one job, as JSON. */
const rate = { limit: 600, windowSeconds: 60 };
const oneJobSeconds = await measureOneJob(400, rate, 20);
for (const jobs of [2, 4]) {
  const figures = await measureOverlap({
    jobs,
    distinct: 400,
    overlap: 60,
    rate,
    latencyMs: 20,
    oneJobSeconds,
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
