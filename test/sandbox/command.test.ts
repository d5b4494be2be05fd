import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClarifySandbox } from '#sandbox/clarify/server.ts';
import { runSandbox } from '#sandbox/command.ts';

describe('Function: runSandbox', () => {
  let sandbox: ClarifySandbox | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    sandbox = undefined;
    dir = undefined;
  });

  it('starts a seeded Clarify sandbox and says where it listens', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'clarify-seed-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(
      seedFile,
      JSON.stringify({ company: [{ name: 'Acme', domains: { items: ['acme.com'] } }] }),
    );
    const lines: string[] = [];

    // Act
    sandbox = await runSandbox({
      target: 'clarify',
      port: 0,
      apiKey: 'k1',
      rate: { limit: 30, windowSeconds: 3 },
      seedFile,
      log: (line) => lines.push(line),
    });
    const response = await fetch(`${sandbox.baseUrl}/objects/company/resources`, {
      headers: { authorization: 'api-key k1' },
    });

    // Assess
    expect(lines).toEqual([`Clarify sandbox listening: ${sandbox.baseUrl} (api key: k1, rate: 30 per 3 s)`]);
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/workspaces\/ws_local$/);
    expect(((await response.json()) as { meta: { total: number } }).meta.total).toBe(1);
  });

  it('refuses a seed file that is not in the ClarifySeed shape', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'clarify-seed-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({ companies: [] }));

    // Act
    const started = runSandbox({ target: 'clarify', port: 0, seedFile, log: () => {} });

    // Assess
    await expect(started).rejects.toThrow(/not a Clarify seed/);
  });
});
