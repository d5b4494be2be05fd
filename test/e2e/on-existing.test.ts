import { afterEach, describe, expect, it } from 'vitest';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { firstItem, lifecycleOf, nameParts } from './clarify-records.ts';
import { csv, type Harness, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };
/** The file's statuses (Active, Lead) are values of the workspace's lifecycle. */
const ENUMS = { personLifecycle: ['Lead', 'Active', 'Customer', 'Inactive'] };

describe('Existing records: --on-existing update', () => {
  let sandbox: ClarifySandbox | undefined;
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.close();
    await sandbox?.close();
  });

  const people = () =>
    writeJob({
      'people.csv': csv([
        ['First Name', 'Last Name', 'Email', 'Status'],
        ['Janet', 'Doe', 'jane@acme.com', 'Active'],
        ['Bob', 'Ray', 'bob@acme.com', 'Lead'],
        ['Cy', 'New', 'cy@acme.com', 'Lead'],
      ]),
    });

  it.each([
    ['fills only the blanks by default', {}, { first_name: 'Jane', last_name: 'Doe', status: 'Lead' }],
    [
      'overwrites when asked',
      { overwrite: true },
      { first_name: 'Janet', last_name: 'Doe', status: 'Active' },
    ],
  ])('%s, never touching a field the file does not have', async (_case, options, jane) => {
    // Prepare: Jane exists without a last name; Bob exists exactly as the file has him
    sandbox = await startClarifySandbox({
      rate: RATE,
      enums: ENUMS,
      seed: {
        person: [
          { name: { first_name: 'Jane' }, email_addresses: { items: ['jane@acme.com'] }, stage: 'Lead' },
          {
            name: { first_name: 'Bob', last_name: 'Ray' },
            email_addresses: { items: ['bob@acme.com'] },
            stage: 'Lead',
          },
        ],
      },
    });
    harness = await startHarness(sandbox, RATE);

    // Act
    const result = await harness.run([people()], { onExisting: 'update', ...options });

    // Assess
    const byEmail = (email: string) =>
      sandbox?.records('person').find((p) => firstItem(p.attributes.email_addresses) === email)?.attributes;
    const janeNow = byEmail('jane@acme.com');
    expect({ ...nameParts(janeNow), status: lifecycleOf(janeNow, sandbox.variants) }).toEqual(jane);
    expect(byEmail('jane@acme.com')?.company_id).toBeUndefined();
    expect(sandbox.records('person')).toHaveLength(3);
    expect(result.stages.person).toMatchObject({ rows: 3, created: 1, updated: 1, skipped: 1 });
    const patches = sandbox.requests().filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
  });
});
