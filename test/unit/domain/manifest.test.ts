import { describe, expect, it } from 'vitest';
import { JobError } from '#domain/errors.ts';
import { parseManifest } from '#domain/manifest.ts';

const NAME = 'imports/acme/manifest.json';

const problemOf = (text: string): JobError => {
  try {
    parseManifest(text, NAME);
  } catch (error) {
    if (error instanceof JobError) return error;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
};

describe('Function: parseManifest', () => {
  it('reads files, entities and explicit column mappings', () => {
    // Prepare
    const text = JSON.stringify({
      files: [
        { file: 'accounts.csv', entity: 'company' },
        { file: 'contacts.csv', entity: 'person', columns: { Vorname: 'first_name', 'E-Mail': 'email' } },
        { file: 'deals.csv' },
      ],
    });

    // Act
    const manifest = parseManifest(text, NAME);

    // Assess
    expect(manifest.files).toEqual([
      { file: 'accounts.csv', entity: 'company' },
      { file: 'contacts.csv', entity: 'person', columns: { Vorname: 'first_name', 'E-Mail': 'email' } },
      { file: 'deals.csv' },
    ]);
  });

  it.each(['', '   \n', '{}'])('takes %j as "every CSV in the folder"', (text) => {
    // Act
    const manifest = parseManifest(text, NAME);

    // Assess
    expect(manifest).toEqual({});
    expect(manifest.files).toBeUndefined();
  });

  it('names the file when the text is not JSON', () => {
    // Act
    const error = problemOf('{"files": [');

    // Assess
    expect(error.code).toBe('BAD_MANIFEST');
    // The name is the code: it is all of the error a Step Functions Catch passes on (with the message).
    expect(error.name).toBe('BAD_MANIFEST');
    expect(error).toBeInstanceOf(JobError);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^imports\/acme\/manifest\.json line 1, column 12: not valid JSON \(/);
  });

  it.each([
    ['{\n  "files": [\n    { "file": "a.csv", }\n  ]\n}', 3, 24, /\(Expected double-quoted property name\)$/],
    ['{\n  "limit": 5\n  "marker": "x"\n}', 3, 3, /after property value\)$/],
    ['{\r\n  "limit": 5,\r\n', 3, 1, /property name\)$/],
    ['\uFEFF{"limit": 5', 1, 12, /after property value\)$/],
    ['{"files": [', 1, 12, /\(unexpected end of the text\)$/],
  ])('names the line and column where %j stops being JSON', (text, line, column, reason) => {
    // Act
    const error = problemOf(text);

    // Assess
    expect(error.code).toBe('BAD_MANIFEST');
    expect(error.message).toMatch(
      new RegExp(`^imports/acme/manifest\\.json line ${line}, column ${column}: not valid JSON`),
    );
    expect(error.message).toMatch(reason);
  });

  it.each([
    [
      { files: [{ file: 'a.csv' }, { file: 'b.csv', entity: 'widget' }] },
      /: files\[1\]\.entity: .*"company"/,
    ],
    [{ files: [{ file: 'a.csv', columns: { Mail: 'e-mail' } }] }, /: files\[0\]\.columns\.Mail: .*"email"/],
    [{ files: [{ file: 'a.csv', entty: 'person' }] }, /: files\[0\]: Unrecognized key: "entty"/],
    [{ file: 'a.csv' }, /: \(root\): Unrecognized key: "file"/],
    [{ files: [{ file: '' }] }, /: files\[0\]\.file: /],
    [{ files: 'a.csv' }, /: files: /],
    [[], /: \(root\): /],
  ])('rejects %j with a message naming the field', (json, message) => {
    // Act
    const error = problemOf(JSON.stringify(json));

    // Assess
    expect(error.code).toBe('BAD_MANIFEST');
    expect(error.message.startsWith(`${NAME}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('lists every problem in one message', () => {
    // Act
    const error = problemOf(
      JSON.stringify({
        files: [
          { file: 'a.csv', entity: 'x' },
          { file: 'b.csv', entity: 'y' },
        ],
      }),
    );

    // Assess
    expect(error.message).toMatch(/files\[0\]\.entity: .*; files\[1\]\.entity: /);
  });
});

describe('Function: parseManifest, the overrides of issue 4', () => {
  it('reads value maps (job-wide and per file), enums, catch-all accounts, the phone region and vendors', () => {
    // Prepare
    const json = {
      files: [
        {
          file: 'people.csv',
          vendor: 'pipedrive',
          columns: { 'Person - Label': 'status', Deals: 'deals' },
          valueMaps: { status: { 'Hot lead': 'Active' } },
        },
        { file: 'deals.csv', columns: { Contacts: 'people' } },
      ],
      valueMaps: { status: { Hot: 'Active' }, stage: { 'Verbal yes': 'Negotiation' } },
      enums: { stage: ['Open', 'Won', 'Lost'] },
      catchAllAccounts: ['Website Leads', 'No Company'],
      phoneRegion: 'GB',
      fieldLimits: { notes: 50_000, '*': 500 },
      limit: 5,
      marker: 'import-2026-06',
    };

    // Act
    const manifest = parseManifest(JSON.stringify(json), NAME);

    // Assess
    expect(manifest).toEqual(json);
  });

  it.each([
    [{ phoneRegion: 'XX' }, /: phoneRegion: not a region code libphonenumber knows/],
    [{ phoneRegion: 'us' }, /: phoneRegion: not a region code/],
    [{ fieldLimits: { surname: 80 } }, /: fieldLimits: Unrecognized key: "surname"/],
    [{ fieldLimits: { notes: 0 } }, /: fieldLimits\.notes: /],
    [{ valueMaps: { color: { red: 'Red' } } }, /: valueMaps: Unrecognized key: "color"/],
    [{ valueMaps: { status: { Hot: '' } } }, /: valueMaps\.status\.Hot: /],
    [{ valueMaps: { status: ['Active'] } }, /: valueMaps\.status: /],
    [{ enums: { status: [] } }, /: enums\.status: /],
    [{ enums: { priority: ['High'] } }, /: enums: Unrecognized key: "priority"/],
    [{ catchAllAccounts: 'Website Leads' }, /: catchAllAccounts: /],
    [{ catchAllAccounts: [''] }, /: catchAllAccounts\[0\]: /],
    [{ files: [{ file: 'a.csv', vendor: 'zoho' }] }, /: files\[0\]\.vendor: .*"hubspot"/],
    [{ files: [{ file: 'a.csv', valueMaps: { stage: { a: 1 } } }] }, /: files\[0\]\.valueMaps\.stage\.a: /],
    [
      { files: [{ file: 'a.csv', columns: { Deals: 'deal_ids' } }] },
      /: files\[0\]\.columns\.Deals: .*"deals"/,
    ],
  ])('rejects %j with a message naming the field', (json, message) => {
    // Act
    const error = problemOf(JSON.stringify(json));

    // Assess
    expect(error.code).toBe('BAD_MANIFEST');
    expect(error.message).toMatch(message);
  });
});
