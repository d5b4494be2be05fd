import { describe, expect, it } from 'vitest';
import { describeErrors } from '#targets/clarify/adapter.ts';
import { fromAttributes, toAttributes } from '#targets/clarify/attributes.ts';
import { learnWorkspace, SCHEMA_CHECK, workspaceFromSchemas } from '#targets/clarify/schema.ts';
import type { TargetWorkspace } from '#targets/target.ts';

/** Clarify contract facts (shared/contracts/clarify.md) the adapter reads without a server. */

const personSchema = (lifecycle: Record<string, unknown>, name: 'nested' | 'flat' = 'nested') => ({
  type: 'object',
  properties: {
    ...(name === 'nested'
      ? {
          name: {
            type: 'object',
            properties: { first_name: { type: 'string' }, last_name: { type: 'string' } },
          },
        }
      : { first_name: { type: 'string' }, last_name: { type: 'string' } }),
    email_addresses: { type: 'object' },
    phone_numbers: { type: 'object' },
    ...lifecycle,
  },
});
const dealSchema = {
  type: 'object',
  properties: { stage: { type: 'string', enum: ['Prospecting', 'Won'] } },
};

describe('Clarify GET /schemas read into the workspace (SC1–SC4)', () => {
  it('SC2: the array of resources (the spec) and the object keyed by core/person (the docs) read the same', () => {
    // Prepare
    const person = personSchema({ stage: { type: 'string', enum: ['Lead', 'Qualified', 'Customer'] } });
    const array = {
      data: [
        { id: 'https://getclarify.ai/schemas/entities/person', type: 'schema', attributes: person },
        { id: 'https://getclarify.ai/schemas/entities/deal', type: 'schema', attributes: dealSchema },
      ],
      links: { next: null },
    };
    const keyed = { data: { 'core/person': person, 'core/deal': dealSchema } };

    // Act
    const fromArray = workspaceFromSchemas(array);
    const fromKeyed = workspaceFromSchemas(keyed);

    // Assess
    const expected: TargetWorkspace = {
      source: 'schemas',
      personName: 'nested',
      lifecycleField: 'stage',
      phoneField: 'phone_numbers',
      enums: { status: ['Lead', 'Qualified', 'Customer'], stage: ['Prospecting', 'Won'] },
      warnings: [],
    };
    expect(fromArray).toEqual(expected);
    expect(fromKeyed).toEqual(expected);
  });

  it('F1, F2, F7: flat names and a status field; SC3: a multi-select enum under properties.items.items', () => {
    // Prepare
    const status = {
      status: { type: 'object', properties: { items: { items: { enum: ['Active', 'Churned'] } } } },
    };

    // Act
    const workspace = workspaceFromSchemas({ data: { 'core/person': personSchema(status, 'flat') } });

    // Assess
    expect(workspace).toMatchObject({
      personName: 'flat',
      lifecycleField: 'status',
      enums: { status: ['Active', 'Churned'] },
    });
  });

  it('F7: a workspace without a lifecycle field leaves statuses out and says so', () => {
    // Act
    const workspace = workspaceFromSchemas({ data: { 'core/person': personSchema({}) } });

    // Assess
    expect(workspace?.lifecycleField).toBeUndefined();
    expect(workspace?.warnings.join()).toMatch(/no lifecycle field/);
  });

  it('without /schemas: a record it holds shows the shape; with none, the live shape is assumed, with a warning', () => {
    // Prepare
    const failed = { check: SCHEMA_CHECK, ok: false, severity: 'warning' as const, message: '404 Not found' };
    const flatRecord = {
      check: 'read person',
      ok: true,
      message: 'ok',
      learned: { attributes: { first_name: 'A', status: 'Lead' } },
    };

    // Act
    const fromRecord = learnWorkspace([failed, flatRecord]);
    const assumed = learnWorkspace([failed]);

    // Assess
    expect(fromRecord).toMatchObject({ source: 'records', personName: 'flat', lifecycleField: 'status' });
    expect(fromRecord.warnings[0]).toMatch(/GET \/schemas could not be read \(404 Not found\)/);
    expect(assumed).toMatchObject({
      source: 'assumed',
      personName: 'nested',
      phoneField: 'phone_numbers',
      enums: {},
    });
    expect(assumed.lifecycleField).toBeUndefined();
  });
});

describe('Clarify attributes in the workspace shape (F1–F4)', () => {
  const nested: TargetWorkspace = {
    source: 'schemas',
    personName: 'nested',
    lifecycleField: 'stage',
    phoneField: 'phone_numbers',
    enums: {},
    warnings: [],
  };

  it('F1, F3, F4: a person as name{}, email_addresses{items}, phone_numbers{items}, lifecycle in its field', () => {
    // Act
    const attributes = toAttributes(
      'person',
      {
        fields: {
          first_name: 'Ann',
          last_name: 'Lee',
          email: 'ann@acme.com',
          phone: '+14155550134',
          status: 'Lead',
        },
      },
      nested,
    );

    // Assess
    expect(attributes).toEqual({
      name: { first_name: 'Ann', last_name: 'Lee' },
      email_addresses: { items: ['ann@acme.com'] },
      phone_numbers: { items: ['+14155550134'] },
      stage: 'Lead',
    });
    expect(fromAttributes('person', attributes, nested)).toMatchObject({
      first_name: 'Ann',
      last_name: 'Lee',
      email: 'ann@acme.com',
      status: 'Lead',
      phone: '+14155550134',
    });
  });

  it('F2: flat names where the workspace declares them; no lifecycle field, no status sent', () => {
    // Act
    const attributes = toAttributes(
      'person',
      { fields: { first_name: 'Ann', status: 'Lead' } },
      { ...nested, personName: 'flat', lifecycleField: undefined },
    );

    // Assess
    expect(attributes).toEqual({ first_name: 'Ann' });
  });
});

describe('Clarify errors (ER1–ER3)', () => {
  it.each([
    [
      'ER2: status as a string',
      {
        errors: [
          {
            status: '422',
            title: 'Invalid',
            detail: 'bad email',
            source: { pointer: '/data/3/attributes/email_addresses' },
          },
        ],
      },
    ],
    [
      'ER2: status as a number',
      {
        errors: [
          {
            status: 422,
            title: 'Invalid',
            detail: 'bad email',
            source: { pointer: '/data/3/attributes/email_addresses' },
          },
        ],
      },
    ],
    [
      'ER3: NestJS style',
      { statusCode: 400, message: ['data.3.attributes.email_addresses: bad email'], error: 'Bad Request' },
    ],
  ])('%s points at the item and the field', (_label, body) => {
    // Act
    const { message, items } = describeErrors(body);

    // Assess
    expect(message).toMatch(/bad email/);
    expect(items).toEqual([expect.objectContaining({ index: 3, field: 'email_addresses' })]);
  });
});
