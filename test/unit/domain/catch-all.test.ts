import { describe, expect, it } from 'vitest';
import { CatchAllAccounts } from '#domain/catch-all.ts';
import { CleaningLog, WARNINGS_LISTED, warningsByKind } from '#domain/cleaning.ts';
import { CompanyDomains } from '#domain/company-domains.ts';
import type { SourceRow } from '#domain/entities.ts';
import { workDomain } from '#domain/work-domains.ts';

describe('Class: CatchAllAccounts', () => {
  const accounts = new CatchAllAccounts(['Website Leads', 'Unknown Company']);

  it.each([
    ['Website Leads', true],
    ['website leads', true],
    ['WEBSITE-LEADS', true],
    ['Unknown Company', true],
    ['Unknown Company, Inc', false],
    ['Acme', false],
  ])('says %j is a catch-all: %s', (name, expected) => {
    // Act, Assess
    expect(accounts.isCatchAll(name)).toBe(expected);
  });

  it('covers references to a catch-all by its source id once it has been seen, and by its name', () => {
    // Prepare
    const local = new CatchAllAccounts(['Website Leads']);

    // Act
    const before = local.covers('001WEB');
    local.remember('001WEB');

    // Assess
    expect(before).toBe(false);
    expect(local.covers('001WEB')).toBe(true);
    expect(local.covers('Website Leads')).toBe(true);
    expect(local.covers('001ACME')).toBe(false);
  });

  it('covers nothing with an empty list', () => {
    // Act, Assess
    expect(new CatchAllAccounts([]).isCatchAll('Website Leads')).toBe(false);
  });
});

describe('Function: workDomain', () => {
  it.each([
    ['jane@acme.com', 'acme.com'],
    ['Jane@Sub.Acme.co.uk', 'sub.acme.co.uk'],
    ['jane@gmail.com', undefined],
    ['jane@outlook.com', undefined],
    ['jane@web.de', undefined],
    ['not an email', undefined],
  ])('reads the work domain of %j as %j', (email, expected) => {
    // Act, Assess
    expect(workDomain(email)).toBe(expected);
  });
});

const company = (ref: string, name: string, domains?: string[]): SourceRow => ({
  entity: 'company',
  file: 'companies.csv',
  line: 2,
  ref,
  key: domains ? `domain:${domains[0]}` : `name:${name.toLowerCase()}`,
  fields: { name, ...(domains ? { domains } : {}) },
  refs: {},
  raw: {},
});
const person = (email: string, companyRef: string): SourceRow => ({
  entity: 'person',
  file: 'people.csv',
  line: 2,
  fields: { email },
  refs: { company: companyRef },
  raw: {},
});

describe('Class: CompanyDomains', () => {
  it('gives a held company the one work domain its people share, by source id or by name', () => {
    // Prepare
    const domains = new CompanyDomains();
    domains.hold(company('c1', 'Harbor & Pine'));
    domains.hold(company('c2', 'Fernhill'));
    domains.hold(company('c3', 'Mixed'));
    domains.hold(company('c4', 'Freemail only'));

    // Act
    domains.observe(person('maya@harborpine.law', 'c1'));
    domains.observe(person('omar@harborpine.law', 'Harbor & Pine'));
    domains.observe(person('aisha@fernhill.com', 'fernhill'));
    domains.observe(person('a@one.com', 'c3'));
    domains.observe(person('b@two.com', 'c3'));
    domains.observe(person('x@gmail.com', 'c4'));
    domains.observe(person('y@other.com', 'c9'));
    const released = domains.release();

    // Assess
    expect(released.map((r) => [r.row.ref, r.domain])).toEqual([
      ['c1', 'harborpine.law'],
      ['c2', 'fernhill.com'],
      ['c3', undefined],
      ['c4', undefined],
    ]);
    expect(domains.release()).toEqual([]);
  });

  it('holds no company that has a domain, and none past its limit', () => {
    // Prepare
    const domains = new CompanyDomains(1);

    // Act, Assess
    expect(domains.hold(company('c1', 'Acme', ['acme.com']))).toBe(false);
    expect(domains.hold(company('c2', 'Globex'))).toBe(true);
    expect(domains.hold(company('c3', 'Initech'))).toBe(false);
  });
});

describe('Class: CleaningLog', () => {
  it('counts every warning and keeps the first ones', () => {
    // Prepare
    const log = new CleaningLog();

    // Act
    for (let line = 1; line <= WARNINGS_LISTED + 5; line++)
      log.warn({ file: 'a.csv', line, message: 'x', kind: 'phone left out' });
    log.warn({ file: 'b.csv', line: 3, message: 'y', kind: 'junk row' });
    log.count('junkRows');
    log.count('trimmed', 3);

    // Assess
    expect(log.cleaning).toMatchObject({ warnings: WARNINGS_LISTED + 6, junkRows: 1, trimmed: 3 });
    expect(log.warnings).toHaveLength(WARNINGS_LISTED);
    expect(log.warnings[0]).toEqual({ file: 'a.csv', line: 1, message: 'x', kind: 'phone left out' });
    // every warning is counted by file and kind, listed or not
    expect(log.cleaning.warningKinds).toEqual({
      'a.csv': { 'phone left out': WARNINGS_LISTED + 5 },
      'b.csv': { 'junk row': 1 },
    });
    expect(warningsByKind(log.cleaning)).toEqual({ 'phone left out': WARNINGS_LISTED + 5, 'junk row': 1 });
    expect(warningsByKind(log.cleaning, ['b.csv'])).toEqual({ 'junk row': 1 });
  });
});
