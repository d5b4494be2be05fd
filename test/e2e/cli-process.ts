import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
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

/**
 * The CLI started as a user would start it, to watch or kill it mid-run: `output()` is what it has
 * printed so far, `finished` settles when it exits.
 */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => Omit<Ran, 'code'>; finished: Promise<Ran> } {
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
  return { child, output: () => ({ stdout, stderr }), finished };
}

/**
 * Waits until `condition` holds (polled every 25 ms), or fails after `timeoutMs`, the message ending
 * with what `context` says (e.g. what the CLI printed).
 */
export async function until(
  condition: () => boolean,
  timeoutMs: number,
  context: () => string = () => '',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met in time${context() ? `; ${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A port nothing listens on: taken from the system, then let go. */
export const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
