import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Summary } from '#domain/report.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { firstItem } from './clarify-records.ts';
import { cli, startCli, until } from './cli-process.ts';
import { csv, writeJob } from './local-harness.ts';

const DEALS = 60;

/** 2 companies, 60 people, 60 deals and a link from deal i to person i: one PATCH a deal. */
const linkedJob = () =>
  writeJob({
    'companies.csv': csv([
      ['Company ID', 'Name', 'Domain'],
      ['c1', 'Acme', 'acme.com'],
      ['c2', 'Globex', 'globex.io'],
    ]),
    'people.csv': csv([
      ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
      ...Array.from({ length: DEALS }, (_, i) => [
        `p${i}`,
        `P${i}`,
        'Test',
        `p${i}@acme.com`,
        `c${(i % 2) + 1}`,
      ]),
    ]),
    'deals.csv': csv([
      ['Deal ID', 'Deal Name', 'Company ID'],
      ...Array.from({ length: DEALS }, (_, i) => [`d${i}`, `Deal ${i}`, `c${(i % 2) + 1}`]),
    ]),
    'deal_people.csv': csv([
      ['Deal ID', 'Person ID'],
      ...Array.from({ length: DEALS }, (_, i) => [`d${i}`, `p${i}`]),
    ]),
  });

describe('CLI: a run killed while it links people to deals', () => {
  let sandbox: ClarifySandbox;
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-import-kill-links-'));

  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes and counts each link once', async () => {
    // Prepare: 60 link PATCHes at 10 per 2 s take several link Tasks
    sandbox = await startClarifySandbox({ rate: { limit: 10, windowSeconds: 2 } });
    const args = [
      'run',
      linkedJob(),
      '--target',
      'clarify',
      '--base-url',
      sandbox.baseUrl,
      '--api-key-env',
      'CLARIFY_KEY',
      '--rate',
      '10/2',
      '--json',
      '--data-dir',
      dataDir,
    ];
    const env = { CLARIFY_KEY: sandbox.apiKey };
    const patches = () => sandbox.requests().filter((r) => r.method === 'PATCH').length;

    // Act: kill -9 once some of the links are made, then run the same input again
    const first = startCli(args, env);
    await until(() => patches() >= 25, 120_000);
    first.child.kill('SIGKILL');
    await first.finished;
    const linkedBeforeKill = patches();
    const second = await cli(args, env);

    // Assess: the kill came mid-link; the resumed job counts every row once and accounts for all
    expect(linkedBeforeKill).toBeLessThan(DEALS);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out.stages.link).toEqual({
      rows: DEALS,
      created: DEALS,
      updated: 0,
      skipped: 0,
      merged: 0,
      failed: 0,
      held: 0,
    });
    expect(out.links).toMatchObject({ created: DEALS, failed: 0 });
    expect(out.totals).toMatchObject({ rows: 2 + 3 * DEALS, created: 2 + 3 * DEALS, failed: 0, held: 0 });
    const summary = JSON.parse(readFileSync(out.report.summary, 'utf8')) as Summary;
    expect(summary.accounted).toBe(true);
    // and in the target: every deal once, with its one person
    const people = new Map(
      sandbox.records('person').map((p) => [p.id, firstItem(p.attributes.email_addresses)]),
    );
    const deals = sandbox.records('deal');
    expect(deals).toHaveLength(DEALS);
    for (const deal of deals) {
      const i = String(deal.attributes.name).replace('Deal ', '');
      expect(sandbox.dealPeople(deal.id).map((id) => people.get(id))).toEqual([`p${i}@acme.com`]);
    }
  });
});
