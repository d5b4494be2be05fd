import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { runSandbox } from '#sandbox/command.ts';

describe('ActuallyCare sandbox', () => {
  let sandbox: ActuallyCareSandbox | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    sandbox = undefined;
    dir = undefined;
  });

  it('starts from the CLI with a key, scopes, rate and seed file, and says where it listens', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'actuallycare-seed-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({ leads: [{ name: 'Jane Doe', email: 'jane@example.com' }] }));
    const lines: string[] = [];
    const scopes = { leads: ['read' as const] };

    // Act
    sandbox = await runSandbox({
      target: 'actuallycare',
      port: 0,
      apiKey: 'k1',
      rate: { limit: 30, windowSeconds: 3 },
      scopes,
      seedFile,
      log: (line) => lines.push(line),
    });
    const headers = { authorization: 'Bearer k1', 'content-type': 'application/json' };
    const list = await fetch(`${sandbox.baseUrl}/leads`, { headers });
    const create = await fetch(`${sandbox.baseUrl}/leads`, {
      method: 'POST',
      headers,
      body: '{"name":"Jo"}',
    });

    // Assess
    expect(lines).toEqual([
      `ActuallyCare sandbox listening: ${sandbox.baseUrl} (api key: k1, scopes: {"leads":["read"]}, rate: 30 per 3 s)`,
    ]);
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(((await list.json()) as { data: { meta: { total: number } } }).data.meta.total).toBe(1);
    expect(create.status).toBe(403);
  });

  it('refuses a seed file that is not in the ActuallyCareSeed shape', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'actuallycare-seed-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({ people: [] }));

    // Act
    const started = runSandbox({ target: 'actuallycare', port: 0, seedFile, log: () => {} });

    // Assess
    await expect(started).rejects.toThrow(/not an ActuallyCare seed/);
  });
});
