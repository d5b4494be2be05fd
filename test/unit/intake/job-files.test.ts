import { describe, expect, it } from 'vitest';
import type { Entity } from '#domain/entities.ts';
import { type FileEntity, recognizeFile, splitOrder } from '#intake/job-files.ts';
import { PROFILES } from '#targets/profiles.ts';

describe('Function: recognizeFile', () => {
  it.each<[string, string[], Record<string, unknown>, string, FileEntity | undefined]>([
    ['Contact.csv', ['Id', 'AccountId', 'FirstName', 'Email'], {}, 'salesforce', 'person'],
    ['people.csv', ['First Name', 'Email'], {}, 'generic', 'person'],
    ['export.csv', ['Deal Name', 'Amount'], {}, 'generic', 'deal'],
    ['notes.csv', ['Note', 'Author'], {}, 'generic', undefined],
    // the manifest's entity wins; the vendor's columns serve only the entity they are for
    [
      'Contact.csv',
      ['Id', 'AccountId', 'FirstName', 'Email'],
      { entity: 'company' },
      'salesforce',
      'company',
    ],
    ['Contact.csv', ['Id', 'AccountId', 'FirstName', 'Email'], { vendor: 'generic' }, 'generic', 'person'],
  ])('reads %s %j (manifest %j) as %s %s', (file, headers, manifest, vendor, entity) => {
    // Act
    const found = recognizeFile({ key: `imports/x/${file}`, file, ...manifest }, headers, PROFILES.clarify);

    // Assess
    expect(found.vendor).toBe(vendor);
    expect(found.entity).toBe(entity);
  });

  it('uses the vendor columns only when the file is read as the entity they are for', () => {
    // Act
    const asCompany = recognizeFile(
      { key: 'k', file: 'Contact.csv', entity: 'company' },
      ['Id', 'AccountId', 'FirstName'],
      PROFILES.clarify,
    );
    const asPerson = recognizeFile(
      { key: 'k', file: 'Contact.csv' },
      ['Id', 'AccountId', 'FirstName'],
      PROFILES.clarify,
    );

    // Assess
    expect(asCompany.vendorExport).toMatchObject({ entity: 'company' });
    expect(asPerson.vendorExport?.synonyms.company).toEqual(['account id']);
  });

  it('reads every file as a plain CSV for ActuallyCare', () => {
    // Act
    const found = recognizeFile(
      { key: 'k', file: 'hubspot-crm-exports-all-contacts.csv' },
      ['Record ID', 'First Name', 'Email', 'Lifecycle Stage', 'Associated Deal IDs'],
      PROFILES.actuallycare,
    );

    // Assess: no vendor; the word "contacts" in its name says what it holds
    expect(found).toEqual({ vendor: 'generic', entity: 'contact' });
  });
});

describe('Function: splitOrder', () => {
  it.each<[(FileEntity | undefined)[], number[]]>([
    [
      ['link', 'deal', 'person', 'company'],
      [3, 2, 1, 0],
    ],
    [
      ['deal', undefined, 'company', 'person', 'deal'],
      [2, 3, 0, 4, 1],
    ],
    [
      ['person', 'person', 'company'],
      [2, 0, 1],
    ],
  ])('splits Clarify files %j in the order %j', (entities, expected) => {
    // Act, Assess
    expect(splitOrder(entities, PROFILES.clarify)).toEqual(expected);
  });

  it('splits a mixed ActuallyCare export before the escrows that point at its clients', () => {
    // Act, Assess
    expect(splitOrder(['escrow', 'mixed', 'lead'] as Entity[], PROFILES.actuallycare)).toEqual([1, 2, 0]);
  });
});
