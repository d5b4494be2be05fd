import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandHelp } from '#cli/help.ts';
import { variants } from '#cli/sandbox.ts';
import { JobError } from '#domain/errors.ts';
import { ACTUALLYCARE_VARIANTS } from '#sandbox/actuallycare/server.ts';
import { CLARIFY_VARIANTS, type ClarifySandbox } from '#sandbox/clarify/server.ts';
import { runSandbox, SANDBOX_VARIANTS } from '#sandbox/command.ts';
import { defaultVariants } from '#sandbox/common/variants.ts';

describe('Function: runSandbox', () => {
  let sandbox: ClarifySandbox | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    sandbox = undefined;
    dir = undefined;
  });

  it('starts a seeded Clarify sandbox and says where it listens, with the variants in force', async () => {
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

    // Assess
    const inForce = Object.entries(defaultVariants(CLARIFY_VARIANTS))
      .map(([name, value]) => `${name}=${value}`)
      .join(',');
    expect(lines).toEqual([
      `Clarify sandbox listening: ${sandbox.baseUrl} (api key: k1, rate: 30 per 3 s, variants: ${inForce})`,
    ]);
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/workspaces\/ws_local$/);
    expect(sandbox.seeded.company).toHaveLength(1);
  });

  it('passes Clarify variants through to the sandbox', async () => {
    // Prepare
    const [name, values] = Object.entries(CLARIFY_VARIANTS)[0]!;
    const lines: string[] = [];

    // Act
    sandbox = await runSandbox({
      target: 'clarify',
      port: 0,
      variants: { [name]: values[1]! },
      log: (line) => lines.push(line),
    });

    // Assess
    expect((sandbox.variants as Record<string, string>)[name]).toBe(values[1]);
    expect(lines[0]).toContain(`variants: ${name}=${values[1]},`);
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

describe('Function: variants (--variant)', () => {
  it("parses name=value,... against the target's choices", () => {
    // Act
    const parsed = variants('actuallycare', 'created=wrapped, validation=422');

    // Assess
    expect(parsed).toEqual({ created: 'wrapped', validation: '422', rateHeaders: 'RateLimit' });
    expect(SANDBOX_VARIANTS).toEqual({ actuallycare: ACTUALLYCARE_VARIANTS, clarify: CLARIFY_VARIANTS });
  });

  it('refuses an unknown name or value, and another target’s variant, as a CONFIG error', () => {
    // Act
    const attempts = ['created=nested', 'colour=red', 'created'].map(
      (text) => () => variants('actuallycare', text),
    );
    const otherTarget = () => variants('clarify', 'created=wrapped');

    // Assess
    for (const attempt of [...attempts, otherTarget]) {
      expect(attempt).toThrow(JobError);
      expect(attempt).toThrow(/^crm-import sandbox: --variant: /);
    }
  });

  it('its help lists --variant, and --session-token for actuallycare', () => {
    // Act
    const help = commandHelp('sandbox');

    // Assess
    expect(help).toMatch(/--variant NAME=VALUE,\.\.\. +Where the references conflict/);
    expect(help).toMatch(/--session-token TOKEN +ActuallyCare: the session token/);
  });
});
