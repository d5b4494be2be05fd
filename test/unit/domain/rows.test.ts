import { describe, expect, it } from 'vitest';
import { resolveColumns } from '#domain/columns.ts';
import type { Entity, SourceRow } from '#domain/entities.ts';
import {
  amountFrom,
  domainFrom,
  fillBlanks,
  firstEmail,
  type RowFailure,
  toSourceRow,
} from '#domain/rows.ts';

const rowOf = (entity: Entity, raw: Record<string, string>) =>
  toSourceRow({
    entity,
    file: `${entity}.csv`,
    line: 7,
    roles: resolveColumns(entity, Object.keys(raw)),
    raw,
  });

const ok = (entity: Entity, raw: Record<string, string>): SourceRow => {
  const result = rowOf(entity, raw);
  if (!result.ok) throw new Error(`expected a row, got: ${result.failure.message}`);
  return result.row;
};

const failed = (entity: Entity, raw: Record<string, string>): RowFailure => {
  const result = rowOf(entity, raw);
  if (result.ok) throw new Error('expected a failure');
  return result.failure;
};

describe('Function: domainFrom', () => {
  it.each<[string, string | undefined]>([
    ['acme.com', 'acme.com'],
    ['https://www.Acme.com/about', 'acme.com'],
    ['http://acme.co.uk:8080/x?y=1', 'acme.co.uk'],
    ['WWW.ACME.IO', 'acme.io'],
    ['acme.com.', 'acme.com'],
    ['sub.acme.com#top', 'sub.acme.com'],
    ['not a domain', undefined],
    ['localhost', undefined],
    ['bob@acme.com', undefined],
    ['-acme.com', undefined],
    ['', undefined],
  ])('turns %j into %j', (value, expected) => {
    // Act
    const domain = domainFrom(value);

    // Assess
    expect(domain).toBe(expected);
  });
});

describe('Function: firstEmail', () => {
  it.each([
    ['Bob@Acme.com', 'bob@acme.com'],
    ['a@x.com, b@y.com', 'a@x.com'],
    [' ; a@x.com;b@y.com', 'a@x.com'],
    ['', ''],
  ])('takes the first of %j', (value, expected) => {
    // Act
    const email = firstEmail(value);

    // Assess
    expect(email).toBe(expected);
  });
});

describe('Function: amountFrom', () => {
  it.each<[string, number | undefined]>([
    ['$1,200.50', 1200.5],
    ['1.5', 1.5],
    ['€ 1 000', 1000],
    ['1,200,000', 1_200_000],
    ['-5', -5],
    ['abc', undefined],
    ['12,34', undefined],
    ['1.2.3', undefined],
    ['', undefined],
  ])('reads %j as %j', (value, expected) => {
    // Act
    const amount = amountFrom(value);

    // Assess
    expect(amount).toBe(expected);
  });
});

describe('Function: toSourceRow', () => {
  it.each<[Entity, Record<string, string>, string, RegExp]>([
    ['person', { 'First Name': 'Bob', Email: 'bob@' }, 'Email', /'bob@' is not an email/],
    [
      'person',
      { 'First Name': '', 'Last Name': ' ', Email: 'a@x.com' },
      'First Name',
      /needs a first or last name/,
    ],
    ['person', { Name: '', Email: 'a@x.com' }, 'Name', /needs a first or last name/],
    ['company', { Name: '', Website: 'acme.com' }, 'Name', /needs a name/],
    ['company', { Name: 'Acme', Website: 'not a site' }, 'Website', /'not a site' is not a domain/],
    ['deal', { 'Deal Name': 'Big', Amount: 'lots' }, 'Amount', /'lots' is not an amount/],
    ['deal', { 'Deal Name': 'Big', Amount: '-10' }, 'Amount', /'-10' is not an amount/],
    ['deal', { 'Deal Name': '', Amount: '10' }, 'Deal Name', /needs a name/],
    ['link', { 'Deal ID': '', 'Contact Email': 'a@x.com' }, 'Deal ID', /needs a deal/],
    ['link', { 'Deal ID': 'D1', 'Contact Email': '' }, 'Contact Email', /needs a person/],
  ])('fails a %s row %j naming column %j', (entity, raw, column, message) => {
    // Act
    const failure = failed(entity, raw);

    // Assess
    expect(failure).toMatchObject({
      entity,
      file: `${entity}.csv`,
      line: 7,
      column,
      code: 'INVALID_ROW',
      raw,
    });
    expect(failure.message).toMatch(message);
  });

  it('splits a full name into first and last name', () => {
    // Act
    const row = ok('person', { 'Full Name': ' Jane  van Doe ', Email: 'Jane@Doe.com, jd@x.com' });

    // Assess
    expect(row.fields).toEqual({
      first_name: 'Jane',
      last_name: 'van Doe',
      email: 'jane@doe.com',
    });
    expect(row.key).toBe('email:jane@doe.com');
  });

  it('keeps a person without email, with no key, and refers to its company', () => {
    // Act
    const row = ok('person', { ID: 'P-9', 'First Name': 'Ann', Status: 'Lead', Company: 'Acme Inc' });

    // Assess
    expect(row).toMatchObject({
      ref: 'P-9',
      fields: { first_name: 'Ann', status: 'Lead' },
      refs: { company: 'Acme Inc' },
    });
    expect(row.key).toBeUndefined();
  });

  it.each<[Record<string, string>, string, Record<string, unknown>]>([
    [
      { Name: 'Acme', Website: 'https://www.acme.com/' },
      'domain:acme.com',
      { name: 'Acme', domains: ['acme.com'] },
    ],
    [{ Name: 'Acme Inc', Website: '' }, 'name:acme inc', { name: 'Acme Inc' }],
  ])('keys a company %j as %j', (raw, key, fields) => {
    // Act
    const row = ok('company', raw);

    // Assess
    expect(row.key).toBe(key);
    expect(row.fields).toEqual(fields);
  });

  it.each<[Record<string, string>, string]>([
    [{ 'Deal ID': 'D-1', 'Deal Name': 'Big', Company: 'Acme' }, 'ref:D-1'],
    [{ 'Deal Name': 'Big Deal', Company: 'ACME' }, 'deal:big deal|acme'],
  ])('keys a deal %j as %j', (raw, key) => {
    // Act
    const row = ok('deal', raw);

    // Assess
    expect(row.key).toBe(key);
    expect(row.refs).toEqual({ company: raw.Company });
  });

  it('reads a deal amount and stage', () => {
    // Act
    const row = ok('deal', { 'Deal Name': 'Big', Amount: '$1,200.50', Stage: 'Proposal' });

    // Assess
    expect(row.fields).toEqual({ name: 'Big', amount: 1200.5, stage: 'Proposal' });
  });

  it('links a deal to a person by their references', () => {
    // Act
    const row = ok('link', { 'Deal ID': 'D-1', 'Contact Email': 'Bob@X.com' });

    // Assess
    expect(row.refs).toEqual({ deal: 'D-1', person: 'Bob@X.com' });
    expect(row.key).toBe('link:d-1|bob@x.com');
  });

  it('carries the original columns and position', () => {
    // Prepare
    const raw = { Name: 'Acme', Website: 'acme.com', Notes: 'vip' };

    // Act
    const row = ok('company', raw);

    // Assess
    expect(row).toMatchObject({ entity: 'company', file: 'company.csv', line: 7, raw });
  });
});

describe('Function: fillBlanks', () => {
  it('fills only missing and blank fields and returns what it filled', () => {
    // Prepare
    const into = { first_name: 'Ann', last_name: '', email: 'a@x.com' };

    // Act
    const filled = fillBlanks(into, { first_name: 'Anna', last_name: 'Lee', status: 'Lead' });

    // Assess
    expect(filled).toEqual({ last_name: 'Lee', status: 'Lead' });
    expect(into).toEqual({ first_name: 'Ann', last_name: 'Lee', email: 'a@x.com', status: 'Lead' });
  });
});

describe('ActuallyCare rows as its reference requires them', () => {
  it.each([
    ['Buyer', 'buyer'],
    ['seller', 'seller'],
    ['Buyer & Seller', 'both'],
    ['buy/sell', 'both'],
    ['Both', 'both'],
    ['Listing side', 'seller'],
    ['Purchaser', 'buyer'],
  ])('C3, C4: the client type %j is %s', (text, type) => {
    // Act
    const row = ok('client', { 'First Name': 'Ann', 'Last Name': 'Lee', 'Client Type': text });

    // Assess
    expect(row.fields).toMatchObject({ first_name: 'Ann', last_name: 'Lee', client_type: type });
  });

  it('C3: a client without a last name, or without a client type, fails naming the column and the fix', () => {
    // Act
    const noLast = failed('client', { 'First Name': 'Ann', 'Last Name': '', 'Client Type': 'buyer' });
    const noType = failed('client', { 'First Name': 'Ann', 'Last Name': 'Lee', 'Client Type': '' });
    const noColumn = failed('client', { 'First Name': 'Ann', 'Last Name': 'Lee' });

    // Assess
    expect(noLast).toMatchObject({
      column: 'Last Name',
      message: expect.stringMatching(/first and a last name/),
    });
    expect(noType).toMatchObject({
      column: 'Client Type',
      message: expect.stringMatching(/fill it in.*"client_type"/),
    });
    expect(noColumn.message).toMatch(/add a Client Type column/);
  });

  it('C3: a manifest default gives the client type the file lacks', () => {
    // Act
    const result = toSourceRow({
      entity: 'client',
      file: 'past_clients.csv',
      line: 2,
      roles: resolveColumns('client', ['First Name', 'Last Name']),
      raw: { 'First Name': 'Ann', 'Last Name': 'Lee' },
      defaults: { client_type: 'Seller' },
    });

    // Assess
    expect(result.ok && result.row.fields.client_type).toBe('seller');
  });

  it('X4, X5: an escrow carries purchase_price, representation_type, closing_date and a known status', () => {
    // Act
    const row = ok('escrow', {
      'Property Address': '12 Elm St',
      'Purchase Price': '$750,000',
      Representation: 'Dual',
      'Closing Date': '6/30/2026',
      Status: 'Pending',
    });
    const noPrice = failed('escrow', { 'Property Address': '9 Oak Ave', Representation: 'buyer' });

    // Assess
    expect(row.fields).toEqual({
      property_address: '12 Elm St',
      purchase_price: 750000,
      representation_type: 'dual',
      closing_date: '2026-06-30',
      status: 'pending',
    });
    expect(noPrice.message).toMatch(/purchase price/);
  });
});

describe('A mixed ActuallyCare export whose Type column is all it has', () => {
  it('C3: "Buyer" and "Seller" say the side; "Past Client" does not, and says how to give it', () => {
    // Act
    const buyer = ok('client', { Type: 'Buyer', 'First Name': 'Ann', 'Last Name': 'Lee' });
    const past = failed('client', { Type: 'Past Client', 'First Name': 'Bo', 'Last Name': 'Chen' });

    // Assess
    expect(buyer.fields.client_type).toBe('buyer');
    expect(past).toMatchObject({
      column: 'Type',
      message: expect.stringMatching(/'Past Client' does not say.*client_type/),
    });
  });
});
