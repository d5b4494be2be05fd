import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { CONTROL_CHARACTER } from '../fixtures/control-characters.ts';
import { storedZip } from '../fixtures/office-files.ts';
import { workspaceOf } from './exports-workspace.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 3 };

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const writeGzip = (path: string, rows: string[][]) => writeFileSync(path, gzipSync(csv(rows)));
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('Files and values as people really drop them, end to end on the local runtime', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
    harness = undefined;
    sandbox = undefined;
  });

  const start = async () => {
    sandbox = await startClarifySandbox({ rate: RATE });
    harness = await startHarness(sandbox, RATE);
    return { sandbox, harness };
  };

  /** Everything the target holds, as JSON: what it was sent. */
  const everything = (s: ClarifySandbox) =>
    JSON.stringify(['company', 'person', 'deal'].map((o) => s.records(o as 'person')));

  it.each([
    [
      'a UTF-8 file with Latin-1 lines pasted in',
      [
        utf8('First Name,Last Name,Email\nZoë,Weiß,zoe@acme.com\n'),
        latin1('François,Gärtner,francois@acme.com\n'),
        utf8('José,Peña,jose@acme.com\n'),
        latin1('René,Müller,rene@acme.com\n'),
      ],
      'lines 3, 5 are not UTF-8: read as Windows-1252',
      3,
      'utf-8 and windows-1252',
    ],
    [
      'a file whose Latin-1 line comes first',
      [
        utf8('First Name,Last Name,Email\n'),
        latin1('François,Gärtner,francois@acme.com\n'),
        utf8('Zoë,Weiß,zoe@acme.com\nJosé,Peña,jose@acme.com\n'),
        latin1('René,Müller,rene@acme.com\n'),
      ],
      'lines 2, 5 are not UTF-8: read as Windows-1252',
      2,
      'utf-8 and windows-1252',
    ],
  ])('reads %s line by line, and names the Latin-1 lines', async (_case, parts, message, line, encoding) => {
    // Prepare
    const { sandbox, harness } = await start();
    const job = writeJob({});
    writeFileSync(join(job, 'people.csv'), Buffer.concat(parts));

    // Act
    const result = await harness.run([join(job, 'people.csv')]);

    // Assess: every name as it was written, and no replacement character anywhere in the target
    expect(
      workspaceOf(sandbox)
        .people.map((p) => p.name)
        .sort(),
    ).toEqual(['François Gärtner', 'José Peña', 'René Müller', 'Zoë Weiß']);
    expect(everything(sandbox)).not.toContain('\uFFFD');
    expect(result.status).toBe('succeeded');
    expect(result.summary.warnings).toContainEqual(
      expect.objectContaining({ file: 'people.csv', line, message }),
    );
    expect(result.summary.recognized).toEqual([expect.objectContaining({ file: 'people.csv', encoding })]);
  });

  it('reads a gzip-compressed CSV, refuses a workbook with one message, and imports the other files', async () => {
    // Prepare: a job whose people were saved as a workbook and whose deals were compressed
    const { sandbox, harness } = await start();
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name', 'Domain'],
        ['c1', 'Acme', 'acme.com'],
      ]),
    });
    writeFileSync(
      join(job, 'people.csv'),
      storedZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }),
    );
    writeGzip(join(job, 'deals.csv.gz'), [
      ['Deal ID', 'Deal Name', 'Company ID'],
      ['d1', 'Acme Renewal', 'c1'],
      ['d2', 'Acme Expansion', 'c1'],
    ]);

    // Act
    const result = await harness.run([job]);

    // Assess: the company and the compressed deals are in
    const w = workspaceOf(sandbox);
    expect(w.companies.map((c) => c.name)).toEqual(['Acme']);
    expect(w.deals.map((d) => [d.name, d.company])).toEqual([
      ['Acme Expansion', 'Acme'],
      ['Acme Renewal', 'Acme'],
    ]);
    expect(w.people).toEqual([]);
    // the workbook is one failure that says what to do, and the report accounts for it
    expect(result.summary.files).toContainEqual(
      expect.objectContaining({ file: 'people.csv', error: 'an Excel workbook: save it as CSV' }),
    );
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(failures).toMatch(
      /,people\.csv,0,NOT_CSV,people\.csv is an Excel workbook: save it as CSV,false,/,
    );
    expect(failures.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(failures).not.toMatch(CONTROL_CHARACTER);
    expect(result.status).toBe('completed_with_failures');
    expect(result.summary.accounted).toBe(true);
    expect(result.totals).toMatchObject({ rows: 4, created: 3, failed: 1 });
  });

  it('reads a lone gzip-compressed file whatever its name', async () => {
    // Prepare: compressed, and still named .csv
    const { sandbox, harness } = await start();
    const job = writeJob({});
    writeGzip(join(job, 'people.csv'), [
      ['First Name', 'Last Name', 'Email'],
      ['Zoë', 'Weiß', 'zoe@acme.com'],
    ]);

    // Act
    const result = await harness.run([join(job, 'people.csv')]);

    // Assess
    expect(result.status).toBe('succeeded');
    expect(workspaceOf(sandbox).people).toEqual([{ name: 'Zoë Weiß', email: 'zoe@acme.com' }]);
  });

  it('reads the first non-blank of two Email columns, says so, and finds those people again on a re-run', async () => {
    // Prepare: Ann's address is only in the second Email column
    const { sandbox, harness } = await start();
    const job = writeJob({
      'people.csv': csv([
        ['First Name', 'Email', 'Last Name', 'Email'],
        ['Ann', '', 'Lee', 'ann@acme.com'],
        ['Bob', 'bob@acme.com', 'Ray', 'robert@acme.com'],
      ]),
    });

    // Act
    const first = await harness.run([join(job, 'people.csv')]);
    const again = await harness.run([join(job, 'people.csv')]);

    // Assess
    expect(workspaceOf(sandbox).people).toEqual([
      { name: 'Ann Lee', email: 'ann@acme.com' },
      { name: 'Bob Ray', email: 'bob@acme.com' },
    ]);
    expect(first.summary.warnings).toContainEqual(
      expect.objectContaining({
        file: 'people.csv',
        line: 1,
        column: 'Email',
        message: "columns 2 and 4 are both named 'Email': each row reads the first of them that is not blank",
      }),
    );
    expect(again.stages.person).toMatchObject({ rows: 2, created: 0, skipped: 2 });
    expect(sandbox.records('person')).toHaveLength(2);
  });

  it('strips control characters with a warning, and fails values too long for the target, or holding \uFFFD, saying why', async () => {
    // Prepare
    const { sandbox, harness } = await start();
    const job = writeJob({
      'people.csv': csv([
        ['First Name', 'Last Name', 'Email'],
        ['Ann\u0000e', 'Lee', 'ann@acme.com'],
        ['Bob', 'L'.repeat(1_000_000), 'bob@acme.com'],
        ['Cy', 'Fox', `${'x'.repeat(65)}@acme.com`],
        ['Di', 'Ray', `${'a'.repeat(60)}@${'b'.repeat(250)}.com`],
        ['Eve\u0007', 'Doe\u001b[2J', 'eve@'],
        ['Fran\uFFFDois', 'Weiß', 'francois@acme.com'],
      ]),
    });

    // Act
    const result = await harness.run([join(job, 'people.csv')]);

    // Assess: the one good person went in without her NUL, and nothing of the rest reached the target
    expect(workspaceOf(sandbox).people).toEqual([{ name: 'Anne Lee', email: 'ann@acme.com' }]);
    expect(JSON.stringify(sandbox.records('person'))).not.toMatch(CONTROL_CHARACTER);
    expect(result.summary.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'people.csv',
          line: 2,
          column: 'First Name',
          message: 'control characters removed (NUL)',
        }),
        expect.objectContaining({
          line: 6,
          column: 'First Name',
          message: 'control characters removed (BEL)',
        }),
        expect.objectContaining({
          line: 6,
          column: 'Last Name',
          message: 'control characters removed (ESC)',
        }),
      ]),
    );
    expect(result.summary.cleaning).toMatchObject({ controlCharacters: 3 });

    // each failure says why, with the limit; failures.csv keeps the values, without a control byte
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(CONTROL_CHARACTER.test(failures)).toBe(false);
    const row = (line: number) =>
      failures.split('\r\n').find((l) => l.includes(`,people.csv,${line},`)) ?? '';
    const bob = row(3);
    // (the megabyte is checked as a boolean: a failing match would print it)
    expect(bob.startsWith(`Bob,${'L'.repeat(1_000_000)},bob@acme.com,person,`)).toBe(true);
    expect(bob.slice(1_000_000)).toContain(
      'people.csv line 3, column Last Name: 1,000,000 characters, more than the 255 assumed for last_name (raise it with ""fieldLimits"" in manifest.json if the target takes more)',
    );
    expect(row(4)).toMatch(
      /people\.csv line 4, column Email: 'x{60}…' is not an email address: its local part \(before @\) is 65 characters, more than 64 \(RFC 5321\)/,
    );
    expect(row(5)).toMatch(
      /people\.csv line 5, column Email: 'a{60}…' is not an email address: it is 315 characters, more than 254 \(RFC 5321\)/,
    );
    expect(row(6)).toMatch(
      /^Eve,Doe\[2J,eve@,person,people\.csv,6,INVALID_ROW,"people\.csv line 6, column Email: 'eve@' is not an email address"/,
    );
    // a character an earlier conversion lost is not sent either
    expect(row(7)).toContain(
      "people.csv line 7, column First Name: 'Fran\uFFFDois' holds \uFFFD, a character an earlier conversion of the file lost: write the value again",
    );
    expect(JSON.stringify(sandbox.records('person'))).not.toContain('\uFFFD');
    expect(result.stages.person).toMatchObject({ rows: 6, created: 1, failed: 5 });
    expect(result.summary.accounted).toBe(true);
  });

  it('takes a longer value when the manifest says the target takes it', async () => {
    // Prepare
    const { sandbox, harness } = await start();
    const job = writeJob({
      'people.csv': csv([
        ['First Name', 'Last Name', 'Email'],
        ['Bob', 'L'.repeat(300), 'bob@acme.com'],
      ]),
    });

    // Act
    const result = await harness.run([join(job, 'people.csv')], { fieldLimits: { last_name: 400 } });

    // Assess
    expect(result.stages.person).toMatchObject({ rows: 1, created: 1 });
    expect(workspaceOf(sandbox).people).toEqual([{ name: `Bob ${'L'.repeat(300)}`, email: 'bob@acme.com' }]);
  });
});
