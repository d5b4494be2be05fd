import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '#cli/check.ts';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { storedZip } from '../fixtures/office-files.ts';
import { cli } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

/** `crm-import check`, run as a person runs it: read-only, a table or one JSON object, exit 0 or 1. */
describe('CLI: crm-import check', () => {
  let sandbox: ActuallyCareSandbox | ClarifySandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('checks everything the embedded Clarify sandbox offers: the schema, each read, the rate limit, the page size', async () => {
    // Act
    const ran = await cli(['check', '--target', 'clarify']);

    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/✔ workspace schema/);
    expect(ran.stdout).toMatch(/✔ read person/);
    expect(ran.stdout).toMatch(
      /Workspace: person name name\{first_name,last_name\}; lifecycle stage \(Lead, Qualified, Customer\)/,
    );
    expect(ran.stdout).toMatch(/Rate limit: the API says 3000 per window/);
    expect(ran.stdout).toMatch(/Page size: 500 accepted/);
    expect(ran.stdout).toMatch(/Usable: every check passed\. Nothing was written\./);
  });

  it('S5, S8, K1: names each resource a job cannot use, and which credential, reading nothing it does not need', async () => {
    // Prepare: the key cannot read clients, and no session token is set for the job's vendors
    sandbox = await startActuallyCareSandbox({ scopes: { leads: ['read', 'write'], clients: ['write'] } });
    const job = writeJob({
      'crm-export.csv': csv([
        ['Type', 'First Name', 'Last Name', 'Email', 'Client Type'],
        ['Lead', 'Ann', 'Lee', 'ann@example.com', ''],
        ['Past Client', 'Bo', 'Chen', 'bo@example.com', 'Buyer'],
        ['Vendor', 'Gus', 'Alvarez', 'gus@example.com', ''],
      ]),
    });

    // Act
    const ran = await cli(
      [
        'check',
        join(job, 'crm-export.csv'),
        '--target',
        'actuallycare',
        '--base-url',
        sandbox.baseUrl,
        '--json',
      ],
      { ACTUALLYCARE_API_KEY: sandbox.apiKey, ACTUALLYCARE_SESSION_TOKEN: '' },
    );

    // Assess
    expect(ran.code, ran.stderr).toBe(1);
    const report = JSON.parse(ran.stdout) as CheckReport;
    expect(report.usable).toBe(false);
    expect(report.needs).toEqual({
      read: ['lead', 'client', 'contact'],
      write: ['lead', 'client', 'contact'],
    });
    expect(report.problems).toEqual([
      expect.stringMatching(/^read clients: .*clients:read/),
      expect.stringMatching(/^read contacts: .*session token.*ACTUALLYCARE_SESSION_TOKEN/),
    ]);
    expect(report.checks.find((c) => c.check === 'read leads')).toMatchObject({
      ok: true,
      credential: 'api key',
    });
    // read-only, and nothing about escrows, which this job does not touch
    const requests = (sandbox as ActuallyCareSandbox).requests();
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    expect(requests.map((r) => r.path.split('?')[0])).toEqual(['/v1/leads', '/v1/clients']);
  });

  it('A1: a refused key says so in one line, with the variable it came from', async () => {
    // Prepare
    sandbox = await startClarifySandbox({});

    // Act
    const ran = await cli(
      ['check', '--target', 'clarify', '--base-url', sandbox.baseUrl, '--api-key-env', 'MY_KEY'],
      {
        MY_KEY: 'not-the-key',
      },
    );

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/✖ workspace schema .*the key in MY_KEY was refused/);
    expect(ran.stdout).toMatch(/Not usable/);
  });

  it('a workbook among the files is named in one line, not checked as a CSV', async () => {
    // Prepare: an Excel workbook saved under a .csv name, beside a real CSV
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name'],
        ['c1', 'Acme'],
      ]),
    });
    writeFileSync(
      join(job, 'people.csv'),
      storedZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }),
    );

    // Act
    const ran = await cli(['check', job, '--target', 'clarify']);

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim()).toBe('crm-import check: people.csv is an Excel workbook: save it as CSV');
  });
});
