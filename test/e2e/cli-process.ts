import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve('bin/crm-import.js');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, on the Node running the tests (the project's pinned Node 22). */
export function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return startCli(args, env).finished;
}

/** The CLI started as a user would start it, to kill it mid-run; `finished` settles when it exits. */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; finished: Promise<Ran> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const finished = new Promise<Ran>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  return { child, finished };
}

/** Waits until `condition` holds (polled every 25 ms), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
