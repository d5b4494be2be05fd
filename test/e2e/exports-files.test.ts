import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { workspaceOf } from './exports-workspace.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 3 };
/** The files' statuses (active, Lead, customer) are values of the workspace's lifecycle. */
const ENUMS = { personLifecycle: ['Lead', 'Active', 'Customer', 'Inactive'] };

/** People with accents, a quoted line break, a quoted separator and quotes inside a quoted field. */
const PEOPLE = [
  ['First Name', 'Last Name', 'Email', 'Status', 'Notes'],
  ['Zoë', 'Müller', 'zoe.mueller@example.de', 'active', 'Met at the fair\nwants a demo'],
  ['José', 'Peña, Jr.', 'jose.pena@example.es', 'Lead', ''],
  ['Søren', 'Kierkegaard', 'SOREN@example.dk', 'customer', 'He said "call me"'],
  ['Ann', 'Lee', 'ann.lee@example.com', '', 'Prefers email; no calls'],
];

const EXPECTED = [
  { name: 'Ann Lee', email: 'ann.lee@example.com' },
  { name: 'José Peña, Jr.', email: 'jose.pena@example.es', status: 'Lead' },
  { name: 'Søren Kierkegaard', email: 'soren@example.dk', status: 'Customer' },
  { name: 'Zoë Müller', email: 'zoe.mueller@example.de', status: 'Active' },
];

const quote = (cell: string, delimiter: string) =>
  cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
const text = (delimiter: string, eol: string) =>
  PEOPLE.map((row) => row.map((cell) => quote(cell, delimiter)).join(delimiter)).join(eol) + eol;
const utf16be = (value: string) => Buffer.from(value, 'utf16le').swap16();

interface Variant {
  name: string;
  bytes: Buffer;
  encoding: string;
  delimiter: string;
}

const VARIANTS: Variant[] = [
  { name: 'UTF-8, comma, LF', bytes: Buffer.from(text(',', '\n')), encoding: 'utf-8', delimiter: 'comma' },
  {
    name: 'UTF-8 with a BOM, semicolon, CRLF',
    bytes: Buffer.from(`\uFEFF${text(';', '\r\n')}`),
    encoding: 'utf-8 (BOM)',
    delimiter: 'semicolon',
  },
  {
    name: 'UTF-16 LE with a BOM, tab, CRLF (Excel "Unicode text")',
    bytes: Buffer.from(`\uFEFF${text('\t', '\r\n')}`, 'utf16le'),
    encoding: 'utf-16le',
    delimiter: 'tab',
  },
  {
    name: 'UTF-16 BE with a BOM, tab',
    bytes: utf16be(`\uFEFF${text('\t', '\n')}`),
    encoding: 'utf-16be',
    delimiter: 'tab',
  },
  {
    name: 'Windows-1252, semicolon, CRLF (European Excel)',
    bytes: Buffer.from(text(';', '\r\n'), 'latin1'),
    encoding: 'windows-1252',
    delimiter: 'semicolon',
  },
  {
    name: 'Windows-1252, comma, with a "sep=," line',
    bytes: Buffer.from(`sep=,\r\n${text(',', '\r\n')}`, 'latin1'),
    encoding: 'windows-1252',
    delimiter: 'comma',
  },
];

describe('Export files in every encoding and separator, end to end on the local runtime', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;
  const dirs: string[] = [];

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    harness = undefined;
    sandbox = undefined;
  });

  const start = async () => {
    sandbox = await startClarifySandbox({ rate: RATE, enums: ENUMS });
    harness = await startHarness(sandbox, RATE);
    return { sandbox, harness };
  };

  it.each(VARIANTS)('gives the same people from $name', async (variant) => {
    // Prepare
    const { sandbox, harness } = await start();
    const dir = mkdtempSync(join(tmpdir(), 'crm-import-encoding-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'people.csv'), variant.bytes);

    // Act
    const result = await harness.run([join(dir, 'people.csv')]);

    // Assess
    expect(workspaceOf(sandbox).people).toEqual(EXPECTED);
    expect(result.summary.recognized).toEqual([
      expect.objectContaining({
        file: 'people.csv',
        vendor: 'generic',
        entity: 'person',
        encoding: variant.encoding,
        delimiter: variant.delimiter,
      }),
    ]);
    expect(result.stages.person).toMatchObject({ rows: 4, created: 4, failed: 0 });
    expect(result.summary.cleaning).toMatchObject({ enumsCanonicalized: 2, emailsLowercased: 1 });
  });

  it('reports a malformed file by line and reason, and still imports the good rows and the other files', async () => {
    // Prepare
    const { sandbox, harness } = await start();
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Company Name', 'Website'],
        ['c1', 'Acme Corp', 'https://www.acme.com/about'],
        ['c2', 'Globex', 'globex.io'],
      ]),
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['p1', 'Jane', 'Doe', 'jane@acme.com', 'c1'],
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['p2', 'John', 'Roe', 'john@globex.io'],
      ]),
      'deals.csv': [
        'Deal ID,Deal Name,Amount,Stage,Company ID',
        'd1,Acme Renewal,50000,Negotiation,c1',
        'd2,Globex Pilot,12,500,Proposal,c2',
        'd3,Initech Expansion,8000,prospecting,c1',
        'd4,Vague Deal,100,Maybe,c2',
        'd5,"Umbrella Deal,9000,Proposal,c2',
        'd6,Hooli,100,Proposal,c1',
        '',
      ].join('\n'),
    });
    dirs.push(job);

    // Act
    const result = await harness.run([job]);

    // Assess: the good rows of every file are in the workspace
    const w = workspaceOf(sandbox);
    expect(w.companies.map((c) => c.name)).toEqual(['Acme Corp', 'Globex']);
    expect(w.people).toEqual([
      { name: 'Jane Doe', email: 'jane@acme.com', company: 'Acme Corp' },
      { name: 'John Roe', email: 'john@globex.io' },
    ]);
    // (Hooli's line follows the one whose quote never closes: only that line is lost)
    expect(w.deals.map((d) => [d.name, d.stage])).toEqual([
      ['Acme Renewal', 'Negotiation'],
      ['Hooli', 'Proposal'],
      ['Initech Expansion', 'Prospecting'],
    ]);

    // the bad ones are in failures.csv with file, line, column and reason; nothing is lost
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(failures).toMatch(
      /deals\.csv,3,MALFORMED_FILE,"deals\.csv line 3: 6 fields, but the header has 5; quote values that contain the separator"/,
    );
    expect(failures).toMatch(
      /deals\.csv,5,INVALID_ROW,"deals\.csv line 5, column Stage: 'Maybe' is not one of 'Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'/,
    );
    expect(failures).toMatch(
      /deals\.csv,6,MALFORMED_FILE,"deals\.csv line 6: a quote opens on this line and never closes: the line is skipped, the lines after it are read/,
    );
    expect(result.status).toBe('completed_with_failures');
    expect(result.summary.accounted).toBe(true);
    expect(result.stages.deal).toMatchObject({ rows: 6, created: 3, failed: 3 });
    // the repeated header is junk, the row without a company is short: neither fails
    expect(result.summary.cleaning).toMatchObject({ junkRows: 1, shortRows: 1 });
    expect(result.summary.warnings).toContainEqual({
      file: 'people.csv',
      line: 3,
      message: 'dropped: the row repeats the header',
      kind: 'junk row',
    });
  });
});
