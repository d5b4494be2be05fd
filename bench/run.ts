import { measurePacing } from './pacing.ts';

/**
 * `npm run bench`: generates its own data, runs it through the local runtime and the sandbox, and
 * prints each figure against its target. Benchmarks are not tests: they measure, they do not assert.
 */
const pacing = await measurePacing({ rows: 360, limit: 60, windowSeconds: 10, latencyMs: 20 });

const rows: [string, string, string, boolean][] = [
  [
    'pacing efficiency (ideal / actual time)',
    pacing.efficiency.toFixed(3),
    '>= 0.97',
    pacing.efficiency >= 0.97,
  ],
  ['requests (reads and writes)', String(pacing.requests), '>= 300', pacing.requests >= 300],
  ['429 answers', String(pacing.throttled), '0', pacing.throttled === 0],
  [
    `most requests in any ${10} s window`,
    String(pacing.maxInWindow),
    `<= ${pacing.limit}`,
    pacing.maxInWindow <= pacing.limit,
  ],
  [
    'actual / ideal seconds',
    `${pacing.actualSeconds.toFixed(1)} / ${pacing.idealSeconds.toFixed(1)}`,
    '',
    true,
  ],
];
const width = (i: number) => Math.max(...rows.map((r) => String(r[i]).length));
process.stdout.write(
  `crm-import benchmark (ActuallyCare sandbox, 60 requests per 10 s, 20 ms round trip)\n\n`,
);
for (const [name, value, target, pass] of rows) {
  const verdict = target ? (pass ? 'pass' : 'short') : '';
  process.stdout.write(
    `${name.padEnd(width(0))}  ${value.padStart(width(1))}  ${target.padEnd(width(2))}  ${verdict}\n`,
  );
}
