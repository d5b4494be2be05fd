import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ActuallyCareSandbox,
  DEFAULT_API_KEY,
  DEFAULT_SESSION_TOKEN,
} from '#sandbox/actuallycare/server.ts';
import { runSandbox } from '#sandbox/command.ts';

describe('ActuallyCare sandbox from the CLI (runSandbox)', () => {
  let sandbox: ActuallyCareSandbox | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    sandbox = undefined;
    dir = undefined;
  });

  it('A1, S1, RL2: starts with a key, scopes, session token, rate, variants and seed, and says how to call it', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'actuallycare-seed-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({ leads: [{ name: 'Jane Doe', email: 'jane@example.com' }] }));
    const lines: string[] = [];

    // Act
    sandbox = await runSandbox({
      target: 'actuallycare',
      port: 0,
      apiKey: 'k1',
      rate: { limit: 30, windowSeconds: 3 },
      scopes: { leads: ['read'] },
      sessionToken: 'eyJ0.eyJ1.sig',
      variants: { created: 'wrapped', validation: '422' },
      seedFile,
      log: (line) => lines.push(line),
    });
    const list = await fetch(`${sandbox.baseUrl}/leads`, { headers: { 'x-api-key': 'k1' } });
    const denied = await fetch(`${sandbox.baseUrl}/leads`, {
      method: 'POST',
      headers: { 'x-api-key': 'k1', 'content-type': 'application/json' },
      body: '{"name":"Jo"}',
    });
    const asSession = await fetch(`${sandbox.baseUrl}/leads`, {
      method: 'POST',
      headers: { authorization: 'Bearer eyJ0.eyJ1.sig', 'content-type': 'application/json' },
      body: '{"name":"Jo"}',
    });

    // Assess
    expect(lines).toEqual([
      `ActuallyCare sandbox listening: ${sandbox.baseUrl} (api key in X-API-Key: k1, scopes: {"leads":["read"]}, session token as Authorization: Bearer: eyJ0.eyJ1.sig, rate: 30 per 3 s per IP, variants: created=wrapped,validation=422,rateHeaders=RateLimit)`,
    ]);
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(((await list.json()) as { data: { meta: { total: number } } }).data.meta.total).toBe(1);
    expect(denied.status).toBe(403);
    expect(asSession.status).toBe(201);
    expect(((await asSession.json()) as { data: { lead: { name: string } } }).data.lead.name).toBe('Jo');
    expect(sandbox.variants).toEqual({ created: 'wrapped', validation: '422', rateHeaders: 'RateLimit' });
  });

  it('uses the defaults: the 64-hex key, the constant session token, all scopes and the default variants', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    sandbox = await runSandbox({ target: 'actuallycare', port: 0, log: (line) => lines.push(line) });

    // Assess
    expect(sandbox.apiKey).toBe(DEFAULT_API_KEY);
    expect(sandbox.sessionToken).toBe(DEFAULT_SESSION_TOKEN);
    expect(lines[0]).toContain(`api key in X-API-Key: ${DEFAULT_API_KEY}, scopes: {"all":["read","write"]}`);
    expect(lines[0]).toContain(`session token as Authorization: Bearer: ${DEFAULT_SESSION_TOKEN}`);
    expect(lines[0]).toContain('rate: 500 per 900 s per IP');
    expect(lines[0]).toContain('variants: created=flat,validation=400,rateHeaders=RateLimit)');
  });

  it('refuses a variant the ActuallyCare sandbox does not offer', async () => {
    // Act
    const started = runSandbox({
      target: 'actuallycare',
      port: 0,
      variants: { names: 'flat' },
      log: () => {},
    });

    // Assess
    await expect(started).rejects.toThrow(/unknown variant 'names'/);
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
