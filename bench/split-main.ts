import { measureSplit } from './split.ts';

/** `npx tsx bench/split-main.ts [large rows]`: the split figures alone, as JSON (bench/run.ts tabulates them). */
const large = Number(process.argv[2] ?? 1_000_000);
const figures = await measureSplit({ large, small: Math.min(100_000, large / 10) });
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
