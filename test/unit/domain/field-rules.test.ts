import { describe, expect, it } from 'vitest';
import { CleaningLog } from '#domain/cleaning.ts';
import { resolveColumns } from '#domain/columns.ts';
import type { Entity } from '#domain/entities.ts';
import { ownKeys } from '#domain/references.ts';
import { linkRow, type RowRules, toSourceRow } from '#domain/rows.ts';
import type { Enums } from '#domain/value-maps.ts';

/** A workspace's declared vocabularies, as GET /schemas would give them (clarify.md SC3). */
const WORKSPACE_ENUMS: Enums = {
  status: ['Lead', 'Active', 'Customer', 'Inactive'],
  stage: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
};
const RULES: RowRules = { enums: WORKSPACE_ENUMS, phoneRegion: 'US' };

function map(entity: Entity, raw: Record<string, string>, rules: RowRules = RULES) {
  const log = new CleaningLog();
  const result = toSourceRow({
    entity,
    file: 'export.csv',
    line: 4,
    roles: resolveColumns(entity, Object.keys(raw)),
    raw,
    rules,
    sink: log,
  });
  return { result, log };
}

const person = (raw: Record<string, string>) => ({ 'First Name': 'Ann', ...raw });

describe('Cleaning rules: emails', () => {
  it.each<[string, string, Record<string, number>]>([
    ['ann@acme.com', 'ann@acme.com', {}],
    ['  Ann@Acme.COM ', 'ann@acme.com', { emailsLowercased: 1 }],
    ['ann@acme.com, ann@gmail.com', 'ann@acme.com', { firstOfList: 1 }],
    ['Ann@Acme.com; ann@gmail.com', 'ann@acme.com', { firstOfList: 1, emailsLowercased: 1 }],
  ])('reads %j as %j', (email, expected, counted) => {
    // Act
    const { result, log } = map('person', person({ Email: email }));

    // Assess
    expect(result).toMatchObject({
      ok: true,
      row: { fields: { email: expected }, key: `email:${expected}` },
    });
    expect(log.cleaning).toMatchObject({ emailsLowercased: 0, firstOfList: 0, ...counted });
  });

  it.each(['ann@', 'ann at acme.com', 'N/A, ann@acme.com'])(
    'fails the row for %j, naming the column',
    (email) => {
      // Act
      const { result } = map('person', person({ Email: email }));

      // Assess
      expect(result).toMatchObject({
        ok: false,
        failure: { column: 'Email', message: `'${email}' is not an email address` },
      });
    },
  );
});

describe('Cleaning rules: phones', () => {
  it.each<[string, RowRules['phoneRegion'], string]>([
    ['(415) 555-0134', 'US', '+14155550134'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['(860) 555-0112, (860) 555-0199', 'US', '+18605550112'],
  ])('writes %j (region %s) as %j', (phone, region, expected) => {
    // Act
    const { result, log } = map('lead', { Name: 'Ann Lee', Phone: phone }, { phoneRegion: region });

    // Assess
    expect(result).toMatchObject({ ok: true, row: { fields: { phone: expected } } });
    expect(log.cleaning.phonesNormalized).toBe(1);
  });

  it('leaves out a phone it cannot read, with a warning, and keeps the row', () => {
    // Act
    const { result, log } = map('person', person({ 'Mobile Phone Number': 'ask front desk' }));

    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.row.fields.phone).toBeUndefined();
    expect(log.cleaning.phonesDropped).toBe(1);
    expect(log.warnings).toEqual([
      {
        file: 'export.csv',
        line: 4,
        column: 'Mobile Phone Number',
        message: "'ask front desk' is not a phone number (read in region US): left out",
        kind: 'phone left out',
      },
    ]);
  });
});

describe('Cleaning rules: domains', () => {
  it.each<[string, string, number]>([
    ['acme.com', 'acme.com', 0],
    ['https://www.Acme.com/about', 'acme.com', 1],
    ['www.acme.com', 'acme.com', 1],
    ['acme.com; acme.io', 'acme.com', 0],
  ])('gives a company with website %j the domain %j', (website, domain, counted) => {
    // Act
    const { result, log } = map('company', { Name: 'Acme', Website: website });

    // Assess
    expect(result).toMatchObject({
      ok: true,
      row: { fields: { domains: [domain] }, key: `domain:${domain}` },
    });
    expect(log.cleaning.domainsFromWebsites).toBe(counted);
  });

  it('fails a website that is no domain, naming the column', () => {
    // Act
    const { result } = map('company', { Name: 'Acme', URL: 'see notes' });

    // Assess
    expect(result).toMatchObject({
      ok: false,
      failure: { column: 'URL', message: "'see notes' is not a domain or website" },
    });
  });
});

describe("Cleaning rules: the target's vocabularies", () => {
  it.each<[Entity, Record<string, string>, string, string, keyof CleaningLog['cleaning']]>([
    ['person', person({ Status: 'active' }), 'status', 'Active', 'enumsCanonicalized'],
    ['person', person({ 'Lifecycle Stage': 'marketingqualifiedlead' }), 'status', 'Lead', 'valuesMapped'],
    ['deal', { 'Deal Name': 'Renewal', Stage: 'closed won' }, 'stage', 'Closed Won', 'enumsCanonicalized'],
    [
      'deal',
      { 'Deal Name': 'Renewal', 'Deal Stage': 'contractsent' },
      'stage',
      'Negotiation',
      'valuesMapped',
    ],
    // a won / lost status says more than the stage the deal stopped at
    [
      'deal',
      { Title: 'Renewal', Stage: 'Proposal Made', Status: 'Won' },
      'stage',
      'Closed Won',
      'valuesMapped',
    ],
    [
      'deal',
      { Title: 'Renewal', Stage: 'Proposal Made', Status: 'Open' },
      'stage',
      'Proposal',
      'valuesMapped',
    ],
  ])('reads a %s row %j', (entity, raw, field, expected, counter) => {
    // Act
    const { result, log } = map(entity, raw);

    // Assess
    expect(result).toMatchObject({ ok: true, row: { fields: { [field]: expected } } });
    expect(log.cleaning[counter]).toBe(1);
  });

  it.each<[Entity, Record<string, string>, string, RegExp]>([
    [
      'person',
      person({ Status: 'VIP' }),
      'Status',
      /'VIP' is not one of 'Lead', 'Active', 'Customer', 'Inactive'/,
    ],
    [
      'deal',
      { 'Deal Name': 'Renewal', Stage: 'Maybe' },
      'Stage',
      /'Maybe' is not one of 'Prospecting', .*'Closed Lost'/,
    ],
  ])(
    "fails a %s row whose value is not the target's, with the allowed values",
    (entity, raw, column, message) => {
      // Act
      const { result } = map(entity, raw);

      // Assess
      expect(result).toMatchObject({
        ok: false,
        failure: { code: 'INVALID_ROW', column, message: expect.stringMatching(message) },
      });
    },
  );

  it("applies the manifest's value maps", () => {
    // Act
    const { result } = map('person', person({ Status: 'Hot' }), {
      ...RULES,
      valueMaps: { status: { hot: 'Active' } },
    });

    // Assess
    expect(result).toMatchObject({ ok: true, row: { fields: { status: 'Active' } } });
  });
});

describe('Cleaning rules: references and associations', () => {
  it('links a person to the first of several companies, with a warning', () => {
    // Act
    const { result, log } = map('person', person({ 'Associated Company IDs': '5501;5502' }));

    // Assess
    expect(result).toMatchObject({ ok: true, row: { refs: { company: '5501' } } });
    expect(log.warnings[0]).toMatchObject({
      column: 'Associated Company IDs',
      message: "2 companies listed: linked to the first, '5501'",
    });
  });

  it.each<[Entity, Record<string, string>, { deal: string; person: string }[]]>([
    [
      'person',
      person({ 'Record ID': '7101', Email: 'ann@acme.com', 'Associated Deal IDs': '9001;9002; 9001' }),
      [
        { deal: '9001', person: '7101' },
        { deal: '9002', person: '7101' },
      ],
    ],
    // without a source id a person is named by email
    [
      'person',
      person({ Email: 'ann@acme.com', 'Associated Deal IDs': '9001' }),
      [{ deal: '9001', person: 'ann@acme.com' }],
    ],
    [
      'deal',
      { 'Record ID': '9001', 'Deal Name': 'Renewal', 'Associated Contact IDs': '7101;7102' },
      [
        { deal: '9001', person: '7101' },
        { deal: '9001', person: '7102' },
      ],
    ],
    // Pipedrive names the contact person; a deal without an id is named by its name
    ['deal', { Title: 'Renewal', 'Contact person': 'Ann Lee' }, [{ deal: 'Renewal', person: 'Ann Lee' }]],
    ['person', person({ Email: 'ann@acme.com' }), []],
  ])('reads the associations of a %s row %j', (entity, raw, expected) => {
    // Act
    const { result } = map(entity, raw);

    // Assess
    expect(result).toMatchObject({ ok: true, associations: expected });
  });

  it('makes a link row at the line of the row it came from, its columns naming the pair', () => {
    // Prepare
    const { result } = map('person', person({ 'Record ID': '7101', 'Associated Deal IDs': '9001' }));
    if (!result.ok) throw new Error('expected a row');

    // Act
    const link = linkRow(result.row, { deal: '9001', person: '7101' });

    // Assess
    expect(link).toEqual({
      entity: 'link',
      file: 'export.csv',
      line: 4,
      key: 'link:9001|7101',
      fields: {},
      refs: { deal: '9001', person: '7101' },
      raw: { ...result.row.raw, 'link deal': '9001', 'link person': '7101' },
    });
  });

  it('names a person without id or email by its full name, which is also a key it answers to', () => {
    // Act
    const { result } = map('person', person({ 'Last Name': 'Lee', 'Associated Deal IDs': '9001' }));
    if (!result.ok) throw new Error('expected a row');

    // Assess: a deal's "Contact person: Ann Lee" finds the same row
    expect(result.associations).toEqual([{ deal: '9001', person: 'Ann Lee' }]);
    expect(ownKeys(result.row)).toContain('name:ann lee');
    expect(ownKeys({ fields: { first_name: 'Sofia', last_name: 'Marin' } })).toEqual(['name:sofia marin']);
  });
});
