import { describe, expect, it } from 'vitest';
import { canonicalValue, type Enums, vocabularyKey } from '#domain/value-maps.ts';

/** A workspace's declared vocabularies, as GET /schemas would give them (clarify.md SC3). */
const WORKSPACE_ENUMS: Enums = {
  status: ['Lead', 'Active', 'Customer', 'Inactive'],
  stage: ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
};
const CLARIFY: Enums = WORKSPACE_ENUMS;

describe('Function: canonicalValue', () => {
  it.each([
    // HubSpot lifecycle stages, as labels and as internal names
    ['subscriber', 'Lead'],
    ['Subscriber', 'Lead'],
    ['lead', 'Lead'],
    ['marketingqualifiedlead', 'Lead'],
    ['Marketing Qualified Lead', 'Lead'],
    ['salesqualifiedlead', 'Lead'],
    ['Sales Qualified Lead', 'Lead'],
    ['opportunity', 'Active'],
    ['customer', 'Customer'],
    ['Evangelist', 'Customer'],
    ['other', 'Inactive'],
    // Salesforce lead statuses
    ['Open - Not Contacted', 'Lead'],
    ['Working - Contacted', 'Lead'],
    ['Closed - Converted', 'Active'],
    ['Closed - Not Converted', 'Inactive'],
    // the target's own words, any case
    ['Active', 'Active'],
    ['active', 'Active'],
    ['  INACTIVE ', 'Inactive'],
  ])('reads the person status %j as %j', (value, expected) => {
    // Act
    const result = canonicalValue('status', value, { enums: CLARIFY });

    // Assess
    expect(result).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    // HubSpot's default pipeline
    ['appointmentscheduled', 'Prospecting'],
    ['qualifiedtobuy', 'Qualification'],
    ['presentationscheduled', 'Proposal'],
    ['decisionmakerboughtin', 'Negotiation'],
    ['Decision maker bought-In', 'Negotiation'],
    ['contractsent', 'Negotiation'],
    ['closedwon', 'Closed Won'],
    ['closedlost', 'Closed Lost'],
    // Salesforce StageName
    ['Prospecting', 'Prospecting'],
    ['Qualification', 'Qualification'],
    ['Needs Analysis', 'Qualification'],
    ['Value Proposition', 'Proposal'],
    ['Id. Decision Makers', 'Qualification'],
    ['Perception Analysis', 'Qualification'],
    ['Proposal/Price Quote', 'Proposal'],
    ['Negotiation/Review', 'Negotiation'],
    ['Closed Won', 'Closed Won'],
    ['Closed Lost', 'Closed Lost'],
    // Pipedrive's default pipeline, and its won / lost status
    ['Lead In', 'Prospecting'],
    ['Qualified', 'Qualification'],
    ['Contact Made', 'Qualification'],
    ['Demo Scheduled', 'Qualification'],
    ['Proposal Made', 'Proposal'],
    ['Negotiations Started', 'Negotiation'],
    ['Won', 'Closed Won'],
    ['lost', 'Closed Lost'],
    ['closed won', 'Closed Won'],
  ])('reads the deal stage %j as %j', (value, expected) => {
    // Act
    const result = canonicalValue('stage', value, { enums: CLARIFY });

    // Assess
    expect(result).toMatchObject({ ok: true, value: expected });
  });

  it.each<[string, string, 'as is' | 'case' | 'mapped']>([
    ['Active', 'Active', 'as is'],
    ['active', 'Active', 'case'],
    ['evangelist', 'Customer', 'mapped'],
  ])('says how %j became %j (%s), for the cleaning counters', (value, expected, how) => {
    // Act
    const result = canonicalValue('status', value, { enums: CLARIFY });

    // Assess
    expect(result).toEqual({ ok: true, value: expected, how });
  });

  it('lets the manifest map win over the built-in map, in any case and spacing', () => {
    // Act
    const result = canonicalValue('status', 'HOT  lead', {
      enums: CLARIFY,
      valueMaps: { status: { 'Hot lead': 'active', customer: 'Inactive' } },
    });
    const overridden = canonicalValue('status', 'customer', {
      enums: CLARIFY,
      valueMaps: { status: { customer: 'Inactive' } },
    });

    // Assess
    expect(result).toEqual({ ok: true, value: 'Active', how: 'mapped' });
    expect(overridden).toEqual({ ok: true, value: 'Inactive', how: 'mapped' });
  });

  it('fails a value nothing maps, naming the allowed values and how to map it', () => {
    // Act
    const result = canonicalValue('status', 'VIP', { enums: CLARIFY });

    // Assess
    expect(result).toEqual({
      ok: false,
      message:
        "'VIP' is not one of 'Lead', 'Active', 'Customer', 'Inactive'; map it in manifest.json \"valueMaps\": {\"status\": {\"VIP\": \"...\"}}",
    });
  });

  it('fails a manifest map that sends a value outside the enum', () => {
    // Act
    const result = canonicalValue('stage', 'Hot', { enums: CLARIFY, valueMaps: { stage: { Hot: 'Warm' } } });

    // Assess
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringMatching(/sends 'Hot' to 'Warm', which is not one of 'Prospecting'/),
    });
  });

  it('uses a workspace whose enums differ (manifest "enums"), built-in maps only where they fit', () => {
    // Prepare
    const enums: Enums = { stage: ['Open', 'Won', 'Lost'] };

    // Act
    const won = canonicalValue('stage', 'closedwon', { enums });
    const open = canonicalValue('stage', 'open', { enums });

    // Assess: the built-in map says 'Closed Won', which this workspace lacks
    expect(won).toMatchObject({ ok: false });
    expect(open).toEqual({ ok: true, value: 'Open', how: 'case' });
  });

  it('keeps any value for a target without an enum for the field, after the manifest map', () => {
    // Act
    const plain = canonicalValue('status', 'Under contract', {});
    const mapped = canonicalValue('status', 'UC', { valueMaps: { status: { uc: 'Under contract' } } });

    // Assess
    expect(plain).toEqual({ ok: true, value: 'Under contract', how: 'as is' });
    expect(mapped).toEqual({ ok: true, value: 'Under contract', how: 'mapped' });
  });
});

describe('Function: vocabularyKey', () => {
  it.each([
    ['Marketing Qualified Lead', 'marketingqualifiedlead'],
    ['Proposal/Price Quote', 'proposalpricequote'],
    ['Id. Decision Makers', 'iddecisionmakers'],
    ['Négociation', 'négociation'],
  ])('reduces %j to %j', (value, expected) => {
    // Act, Assess
    expect(vocabularyKey(value)).toBe(expected);
  });
});
