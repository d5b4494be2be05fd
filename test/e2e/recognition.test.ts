import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { workspaceOf } from './exports-workspace.ts';
import { closedAfterEach, csv, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 3 };
const ENUMS = { personLifecycle: ['Lead', 'Customer'] };

/**
 * An export from a CRM no recogniser knows ("Orbit"): three files whose names carry extra words, with
 * columns HubSpot's exports also have (Record ID, Lifecycle Stage, Deal Stage, … owner), a deal's
 * contact by full name under a header no synonym knows, and columns no target field holds.
 */
const ORBIT = {
  'orbit-companies-2026.csv': csv([
    ['Record ID', 'Company', 'Web Address', 'Industry', 'Create Date'],
    ['C-1', 'Acme Corp', 'https://www.acme.com/', 'Retail', '2025-01-02'],
    ['C-2', 'Globex', 'globex.io', 'Logistics', '2025-02-03'],
    ['C-3', 'Initech', 'initech.co', 'Software', '2025-03-04'],
  ]),
  'Contacts (2).csv': csv([
    [
      'Record ID',
      'Full Name',
      'E-mail',
      'Job Title',
      'Company',
      'Work Phone',
      'Mobile',
      'Lifecycle Stage',
      'Contact owner',
      'Favourite Colour',
    ],
    [
      'P-1',
      'Jane Doe',
      'jane@acme.com',
      'CTO',
      'Acme Corp',
      '(206) 555-0143',
      '+1 206 555 0199',
      'Customer',
      'Dana Wells',
      'blue',
    ],
    ['P-2', 'John Roe', 'john@globex.io', 'Buyer', 'Globex', 'call reception', '', 'Lead', 'Dana Wells', ''],
    ['P-3', 'Ada Park', 'ada@initech.co', 'CEO', 'Initech', '', '', 'Lead', 'Dana Wells', 'green'],
    ['P-4', 'Max Roth', 'max@acme.com', 'Engineer', 'Acme Corp', '', '', 'Customer', 'Dana Wells', ''],
  ]),
  // A name that says nothing: its headers say it holds deals.
  'export-2.csv': csv([
    [
      'Record ID',
      'Deal',
      'Company',
      'Primary Person',
      'Deal Stage',
      'Deal Value',
      'Expected Close',
      'Deal owner',
      'Next Step',
    ],
    [
      'D-1',
      'Acme renewal',
      'Acme Corp',
      'Jane Doe',
      'Proposal',
      '$12,000',
      '2026-06-30',
      'Dana Wells',
      'send quote',
    ],
    ['D-2', 'Globex pilot', 'Globex', 'John Roe', 'Qualification', '4,500', '07/15/2026', 'Dana Wells', ''],
    ['D-3', 'Initech expansion', 'Initech', 'Ada Park', 'Prospecting', '30000', '', 'Dana Wells', 'demo'],
    ['D-4', 'Acme support', 'Acme Corp', 'Max Roth', 'Negotiation', '2000', '2026-09-01', 'Dana Wells', ''],
  ]),
};

const HEADERS = Object.fromEntries(
  Object.entries(ORBIT).map(([file, text]) => [file, (text.split('\n')[0] ?? '').split(',')]),
);

describe('Recognition of an export no recogniser knows, end to end on the local runtime', () => {
  const opened = closedAfterEach();

  const startClarify = async () => {
    const clarify = opened(await startClarifySandbox({ rate: RATE, enums: ENUMS }));
    const harness = opened(await startHarness(clarify, RATE));
    return { sandbox: clarify, harness };
  };

  it('lands a fourth CRM’s companies, contacts and deals with no manifest, the links by full name included', async () => {
    // Prepare
    const { sandbox, harness } = await startClarify();
    const job = writeJob(ORBIT);

    // Act
    const result = await harness.run([job]);

    // Assess: every record and every deal's person, though no header named the link
    expect(result.status).toBe('succeeded');
    const w = workspaceOf(sandbox);
    expect(w.companies.map((c) => [c.name, c.domains])).toEqual([
      ['Acme Corp', ['acme.com']],
      ['Globex', ['globex.io']],
      ['Initech', ['initech.co']],
    ]);
    expect(w.people).toEqual([
      { name: 'Ada Park', email: 'ada@initech.co', status: 'Lead', company: 'Initech' },
      { name: 'Jane Doe', email: 'jane@acme.com', status: 'Customer', company: 'Acme Corp' },
      { name: 'John Roe', email: 'john@globex.io', status: 'Lead', company: 'Globex' },
      { name: 'Max Roth', email: 'max@acme.com', status: 'Customer', company: 'Acme Corp' },
    ]);
    expect(w.deals.map((d) => [d.name, d.amount, d.stage, d.company, d.people])).toEqual([
      ['Acme renewal', 12000, 'Proposal', 'Acme Corp', ['Jane Doe']],
      ['Acme support', 2000, 'Negotiation', 'Acme Corp', ['Max Roth']],
      ['Globex pilot', 4500, 'Qualification', 'Globex', ['John Roe']],
      ['Initech expansion', 30000, 'Prospecting', 'Initech', ['Ada Park']],
    ]);
    expect(result.stages.link).toMatchObject({ rows: 4, created: 4, failed: 0 });
    // the fields the target has: a job title, two phones, a close date
    const jane = sandbox.records('person').find((p) => p.attributes.job_title === 'CTO');
    expect(jane?.attributes.phone_numbers).toEqual({ items: ['+12065550143', '+12065550199'] });
    const closes = sandbox
      .records('deal')
      .map((d) => d.attributes.close_date)
      .sort();
    expect(closes).toEqual(['2026-06-30', '2026-07-15', '2026-09-01', undefined]);

    // the files: plain exports (not HubSpot's), their entities from their names, then headers
    const recognized = [...(result.summary.recognized ?? [])].sort((a, b) => a.file.localeCompare(b.file));
    expect(recognized.map((r) => [r.file, r.vendor, r.entity])).toEqual([
      ['Contacts (2).csv', 'generic', 'person'],
      ['export-2.csv', 'generic', 'deal'],
      ['orbit-companies-2026.csv', 'generic', 'company'],
    ]);
    // every column is accounted for in the plan, in header order
    for (const r of result.summary.recognized ?? [])
      expect(r.mapping?.map((m) => m.column)).toEqual(HEADERS[r.file]);
    const deals = recognized[1]?.mapping ?? [];
    expect(deals.find((m) => m.column === 'Primary Person')).toMatchObject({
      use: 'reference',
      by: 'values',
      detail: 'its values name rows of Contacts (2).csv',
    });
    expect(deals.find((m) => m.column === 'Next Step')).toMatchObject({
      use: 'not imported',
      reason: 'no field',
      samples: ['send quote', 'demo'],
    });

    // the terminal shows the warnings by kind and the first with file, line and column
    expect(result.viewText).toMatch(/Warnings: 1 warning: 1 phone left out/);
    expect(result.viewText).toContain(
      "Contacts (2).csv line 3, column Work Phone: 'call reception' is not a phone number (read in region US): left out",
    );
  });

  it('previews the mapping of a dry run: one table per file, every column, what becomes of it, two values', async () => {
    // Prepare
    const { sandbox, harness } = await startClarify();
    const job = writeJob(ORBIT);

    // Act
    const result = await harness.run([job], { dryRun: true });

    // Assess: nothing written, and the preview lists every column of every file
    expect(sandbox.records('person')).toEqual([]);
    const view = result.viewText;
    expect(view).toMatch(
      /Recognised Contacts \(2\)\.csv: generic person \(utf-8, comma\); 1 warning: 1 phone left out/,
    );
    expect(view).toMatch(/Recognised export-2\.csv: generic deal \(utf-8, comma\); no warnings/);
    for (const headers of Object.values(HEADERS))
      for (const header of headers)
        expect(view).toMatch(new RegExp(`^ {2}${header.replace(/[()]/g, '\\$&')} `, 'm'));
    expect(view).toMatch(
      /^ {2}Primary Person +reference +people \(its values name rows of Contacts \(2\)\.csv\) +'Jane Doe', 'John Roe'$/m,
    );
    expect(view).toMatch(
      /^ {2}Favourite Colour +not imported +no field: Clarify's person has no field for it +'blue', 'green'$/m,
    );
    expect(view).toMatch(/^ {2}Expected Close +field +close_date +'2026-06-30', '07\/15\/2026'$/m);
    // the preview comes before the counts, and summary.txt carries the same tables
    expect(view.indexOf('Recognised orbit-companies-2026.csv')).toBeLessThan(
      view.indexOf('every row accounted for'),
    );
    const text = readFileSync(result.report.summary.replace('summary.json', 'summary.txt'), 'utf8');
    expect(text).toMatch(
      /^ {2}Industry +not imported +no field: Clarify's company has no field for it +'Retail', 'Logistics'$/m,
    );
  });

  it('fails links whose id names two rows, or whose name two people share, naming both lines', async () => {
    // Prepare: P92 is Ana's id and also that of Bo's duplicate row (line 4, merged into line 3); two
    // Jane Does, one at Acme and one at Globex
    const { sandbox, harness } = await startClarify();
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name', 'Domain'],
        ['c1', 'Acme', 'acme.com'],
        ['c2', 'Globex', 'globex.io'],
      ]),
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['P92', 'Ana', 'Lima', 'ana@acme.com', 'c1'],
        ['P10', 'Bo', 'Chen', 'bo@globex.io', 'c2'],
        ['P92', 'Bo', 'Chen', 'BO@globex.io', 'c2'],
        ['P20', 'Jane', 'Doe', 'jane@acme.com', 'c1'],
        ['P21', 'Jane', 'Doe', 'jane@globex.io', 'c2'],
      ]),
      'deals.csv': csv([
        ['Deal ID', 'Deal Name', 'Company ID', 'Contact person'],
        ['d1', 'Acme renewal', 'c1', 'Jane Doe'],
        ['d2', 'Side project', '', 'Jane Doe'],
      ]),
      'deal_people.csv': csv([
        ['Deal ID', 'Person ID'],
        ['d1', 'P92'],
        ['d2', 'P10'],
      ]),
    });

    // Act
    const result = await harness.run([job]);

    // Assess: the company tells Acme's Jane apart; nothing else is guessed
    const w = workspaceOf(sandbox);
    expect(w.deals.map((d) => [d.name, d.people])).toEqual([
      ['Acme renewal', ['Jane Doe']],
      ['Side project', ['Bo Chen']],
    ]);
    const acme = w.people.find((p) => p.name === 'Jane Doe' && p.company === 'Acme');
    expect(acme).toBeDefined();
    expect(result.stages.link).toMatchObject({ rows: 4, created: 2, failed: 2 });
    const failures = readFileSync(result.report.failures, 'utf8');
    expect(failures).toContain(
      "AMBIGUOUS_REFERENCE,\"person 'P92' names two different rows, people.csv line 2 and people.csv line 4",
    );
    expect(failures).toContain(
      "AMBIGUOUS_REFERENCE,\"person 'Jane Doe' names two different rows, people.csv line 5 and people.csv line 6",
    );
  });

  it('tells ActuallyCare files by the words of their names, and the rest by their headers', async () => {
    // Prepare
    const actuallycare = opened(await startActuallyCareSandbox({ rate: { limit: 12, windowSeconds: 2 } }));
    const { baseUrl, apiKey, sessionToken } = actuallycare;
    const harness = opened(
      await startHarness({ baseUrl, apiKey, sessionToken }, RATE, {}, apiKey, 'actuallycare'),
    );
    const job = writeJob({
      'clients-a.csv': csv([
        ['First Name', 'Last Name', 'Email', 'Client Type', 'Budget Min', 'Budget Max'],
        ['Ana', 'Lima', 'ana@example.com', 'Buyer', '$300,000', '450000'],
      ]),
      'past_clients_2024.csv': csv([
        ['First Name', 'Last Name', 'Email', 'Client Type'],
        ['Bo', 'Chen', 'bo@example.com', 'Seller'],
      ]),
      'Contacts (2).csv': csv([
        ['First Name', 'Last Name', 'Email', 'Contact Type'],
        ['Gus', 'Alvarez', 'gus@inspect.com', 'inspector'],
      ]),
      'export-2.csv': csv([
        ['Type', 'Name', 'Email', 'Lead Source', 'Lead Type', 'Budget'],
        ['Lead', 'Marisol Vega', 'marisol@example.com', 'Open house', 'buyer', '650000'],
      ]),
    });

    // Act
    const result = await harness.run([job]);

    // Assess
    expect(result.status).toBe('succeeded');
    const recognized = (result.summary.recognized ?? []).map((r) => [r.file, r.entity]);
    expect(recognized.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['clients-a.csv', 'client'],
      ['Contacts (2).csv', 'contact'],
      ['export-2.csv', 'mixed'],
      ['past_clients_2024.csv', 'client'],
    ]);
    const box = actuallycare as ActuallyCareSandbox;
    expect(box.records('clients').map((c) => [c.email, c.budget_min, c.budget_max])).toEqual([
      ['ana@example.com', 300000, 450000],
      ['bo@example.com', undefined, undefined],
    ]);
    expect(box.records('leads').map((l) => [l.email, l.source, l.lead_type, l.budget])).toEqual([
      ['marisol@example.com', 'Open house', 'buyer', 650000],
    ]);
    expect(box.records('contacts').map((c) => c.email)).toEqual(['gus@inspect.com']);
  });
});
