import { measureThroughput } from './throughput.ts';

/** `npx tsx bench/throughput-main.ts [companies]`: the Clarify throughput run alone, as JSON. */
const companies = Number(process.argv[2] ?? 200);
const figures = await measureThroughput({
  size: { companies, people: companies * 5, deals: companies, links: companies * 2 },
  rate: { limit: 3000, windowSeconds: 60 },
  latencyMs: 150,
});
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
