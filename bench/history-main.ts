import { measureHistory } from './history.ts';

/** `npx tsx bench/history-main.ts`: the history figures alone, as JSON (bench/run.ts prints the table). */
const figures = await measureHistory();
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
