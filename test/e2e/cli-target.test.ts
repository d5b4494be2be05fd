import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

/** Which CRM a job goes to is never a silent default: the files say it, or the user does. */
describe('CLI: --target', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-import-target-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses an ActuallyCare export without --target, in one line, before anything is uploaded', async () => {
    // Act
    const ran = await cli(['run', 'examples/actuallycare', '--data-dir', dataDir]);

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe(
      'crm-import run: the files do not say which target they are for: add --target clarify or --target actuallycare\n',
    );
    expect(ran.stdout).toBe('');
  });

  it('goes to the target the files name, and says so', async () => {
    // Prepare
    const job = writeJob({
      'clients.csv': csv([
        ['First Name', 'Last Name', 'Email', 'Client Type'],
        ['Ann', 'Lee', 'ann@example.com', 'buyer'],
      ]),
    });

    // Act
    const ran = await cli([
      'run',
      join(job, 'clients.csv'),
      '--rate',
      '30/3',
      '--json',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(ran.code, ran.stderr.slice(-1500)).toBe(0);
    expect(ran.stderr).toMatch(
      /^Target: actuallycare, as the files say: clients\.csv \(client rows, by its name\)\. Give --target to choose\.$/m,
    );
    expect(JSON.parse(ran.stdout).stages.client).toMatchObject({ rows: 1, created: 1 });
  });

  it('refuses files that name different targets', async () => {
    // Prepare
    const job = writeJob({
      'companies.csv': csv([
        ['Name', 'Domain'],
        ['Acme', 'acme.com'],
      ]),
      'clients.csv': csv([
        ['First Name', 'Last Name', 'Email', 'Client Type'],
        ['Ann', 'Lee', 'ann@example.com', 'buyer'],
      ]),
    });

    // Act
    const ran = await cli(['run', job, '--data-dir', dataDir]);

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(
      /^crm-import run: the files are for different targets \(clients\.csv is for actuallycare, companies\.csv is for clarify\): say which with --target clarify or --target actuallycare\n$/,
    );
  });

  it('up and retry, which have no files to tell by, need --target', async () => {
    // Act
    const up = await cli(['up', '--data-dir', dataDir]);
    const retry = await cli(['retry', '--data-dir', dataDir]);

    // Assess
    expect(up.code).toBe(1);
    expect(up.stderr).toBe('crm-import up: say which target: --target clarify or --target actuallycare\n');
    expect(retry.stderr).toBe(
      'crm-import retry: say which target: --target clarify or --target actuallycare\n',
    );
  });
});
