import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse';
import { e164, firstPhone } from '#domain/phones.ts';
import { SPLIT_NODE_OPTIONS } from '#stacks/import-function.ts';
import { createS3Client } from '#storage/s3-client.ts';

/** One split of one file, from its worker process. */
export interface SplitRun {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Split Tasks the file took, and how long each ran. */
  tasks: number;
  secondsPerTask: number[];
  maxRssMB: number;
  /** CPU the split process used (every thread), and the collector's pauses on its main thread. */
  cpuSeconds: number;
  gcSeconds: number;
}

export interface SplitFigures {
  /** csv-parse alone on the 1M-row file, read from disk. */
  raw: {
    rows: number;
    megabytes: number;
    seconds: number;
    rowsPerSecond: number;
    megabytesPerSecond: number;
  };
  /**
   * csv-parse plus the phone rule (libphonenumber) on each row's phone, and nothing else: what split
   * could reach if reading, mapping, the other rules, merging and writing took no time at all.
   */
  phones: { rowsPerSecond: number; ratio: number };
  /** The real split on the same file, from the local S3 server, at the Lambda's MAX_TASK_MS. */
  small: SplitRun;
  large: SplitRun;
  /** The 1M-row file again with short Tasks: every stop saves a checkpoint and the next loads it. */
  resumed: SplitRun & { maxTaskMs: number };
  /** large rows/s / raw rows/s (target >= 0.6). */
  ratio: number;
  /** large peak RSS / small peak RSS (target within 10%, both < 300 MB). */
  rssRatio: number;
  maxTaskMs: number;
}

const BENCH = fileURLToPath(new URL('.', import.meta.url));

/**
 * Split at scale: generates people CSVs of ~200 bytes a row (100k and 1M rows, 1% duplicates), measures
 * csv-parse alone, then the real split (read, decode, parse, map, validate, merge, write chunks) against
 * a local S3 server in its own process, each split in a fresh process for its peak RSS.
 */
export async function measureSplit(
  options: { small?: number; large?: number; maxTaskMs?: number; resumedTaskMs?: number } = {},
): Promise<SplitFigures> {
  const { small = 100_000, large = 1_000_000, maxTaskMs = 60_000, resumedTaskMs = 5_000 } = options;
  return withLocalS3('split', async (endpoint, dir) => {
    const s3 = createS3Client({ endpoint });
    const upload = async (rows: number) => {
      const path = join(dir, `people-${rows}.csv`);
      await writePeople(path, rows);
      const key = `imports/people-${rows}.csv`;
      await s3.send(
        new PutObjectCommand({
          Bucket: 'bench',
          Key: key,
          Body: createReadStream(path),
          ContentLength: statSync(path).size,
        }),
      );
      return { path, key };
    };
    const smallFile = await upload(small);
    const largeFile = await upload(large);
    const raw = await parseOnly(largeFile.path);
    const phones = await parseAndPhones(largeFile.path);
    const run = (key: string, taskMs: number) => splitRun(endpoint, key, taskMs);
    const smallRun = await run(smallFile.key, maxTaskMs);
    const largeRun = await run(largeFile.key, maxTaskMs);
    const resumed = await run(largeFile.key, resumedTaskMs);
    return {
      raw,
      phones: { rowsPerSecond: phones, ratio: phones / raw.rowsPerSecond },
      small: smallRun,
      large: largeRun,
      resumed: { ...resumed, maxTaskMs: resumedTaskMs },
      ratio: largeRun.rowsPerSecond / raw.rowsPerSecond,
      rssRatio: largeRun.maxRssMB / smallRun.maxRssMB,
      maxTaskMs,
    };
  });
}

/** Runs `measure` against a local S3 server in a process of its own (bucket `bench`), then stops it. */
export async function withLocalS3<T>(
  name: string,
  measure: (endpoint: string, dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `crm-import-bench-${name}-`));
  const server = spawnWorker('s3-worker.ts', [join(dir, 's3'), 'bench']);
  try {
    const { endpoint } = JSON.parse(await firstLine(server)) as { endpoint: string };
    return await measure(endpoint, dir);
  } finally {
    server.stdin?.end();
    await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** csv-parse and nothing else: the ceiling split is measured against. */
async function parseOnly(path: string): Promise<SplitFigures['raw']> {
  const started = performance.now();
  let rows = -1;
  for await (const _record of createReadStream(path).pipe(parse())) rows += 1;
  const seconds = (performance.now() - started) / 1000;
  const megabytes = statSync(path).size / 1e6;
  return { rows, megabytes, seconds, rowsPerSecond: rows / seconds, megabytesPerSecond: megabytes / seconds };
}

/** csv-parse, then each row's phone read as split reads it (the first of a list, E.164): rows per second. */
async function parseAndPhones(path: string): Promise<number> {
  const started = performance.now();
  let rows = -1;
  let column = -1;
  for await (const record of createReadStream(path).pipe(parse()) as AsyncIterable<string[]>) {
    rows += 1;
    if (column < 0) column = record.indexOf('Phone');
    else e164(firstPhone(record[column] ?? '').phone);
  }
  return rows / ((performance.now() - started) / 1000);
}

/** One split in a fresh process; by default with the split Lambda's own Node options, so it holds memory as deployed. */
export async function splitRun(
  endpoint: string,
  key: string,
  maxTaskMs: number,
  nodeOptions = SPLIT_NODE_OPTIONS,
): Promise<SplitRun> {
  const worker = spawnWorker('split-worker.ts', [endpoint, 'bench', key, String(maxTaskMs)], nodeOptions);
  const out = JSON.parse(await firstLine(worker)) as {
    ms: number;
    tasks: number[];
    rows: number;
    maxRssMB: number;
    cpuMs: number;
    gcMs: number;
  };
  await once(worker, 'exit');
  const seconds = out.ms / 1000;
  return {
    rows: out.rows,
    seconds,
    rowsPerSecond: out.rows / seconds,
    tasks: out.tasks.length,
    secondsPerTask: out.tasks.map((ms) => ms / 1000),
    maxRssMB: out.maxRssMB,
    cpuSeconds: out.cpuMs / 1000,
    gcSeconds: out.gcMs / 1000,
  };
}

export const spawnWorker = (file: string, args: string[], nodeOptions = ''): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', join(BENCH, file), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim() },
  });

/** The first line a worker prints (its figures, or its endpoint). */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      child.stdout?.off('data', onData);
      resolve(text.slice(0, end));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}`)));
  });
}

const FIRST = ['Ava', 'Liam', 'Zoë', 'José', 'Maya', 'Omar', 'Ann', 'Søren', 'Ida', 'Tom'];
const LAST = ['Okafor', 'Lindqvist', 'Müller', 'Peña', 'Haddad', 'Berg', 'Lee', 'Roux', 'Kim', 'Wu'];
const STATUS = ['Lead', 'Active', 'Customer', 'Inactive'];

/** A people export of ~200 bytes a row; every 100th row repeats an earlier person's email. */
export async function writePeople(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('Person ID,First Name,Last Name,Email,Phone,Company,Status,Street,City,Notes\n');
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const who = i % 100 === 99 ? i - 50 : i;
    const first = FIRST[who % FIRST.length] as string;
    const last = LAST[(who >> 3) % LAST.length] as string;
    batch +=
      `p${i},${first},${last},person${who}@company${who % 5000}.example.com,+1 415 555 ${String(i % 10_000).padStart(4, '0')},` +
      `Company ${who % 5000},${STATUS[i % 4]},"${100 + (i % 900)} Market Street, Suite ${i % 500}",San Francisco,` +
      `Met at the spring trade fair; wants a demo of the reporting module\n`;
    if (batch.length > 1 << 16) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}
