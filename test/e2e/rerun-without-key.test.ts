import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';
import { personName } from './clarify-records.ts';
import { closedAfterEach, csv, startHarness, writeJob } from './local-harness.ts';

const RATE = { limit: 30, windowSeconds: 2 };

/**
 * A person without an email has no match key: a second run of the same job must not create it again.
 * The target cannot hold a source id for it, so a record of the same name within the same company is
 * taken as a possible earlier copy: the row fails with DUPLICATE and its reason, and nothing is created.
 */
describe('A second run of a job with people who have no email', () => {
  const opened = closedAfterEach();

  it('Clarify: creates them once, and fails them on the re-run with the reason', async () => {
    // Prepare: Ann Lee at Acme and Bo Chen at no company have no email; Cy Diaz has one
    const clarify = opened(await startClarifySandbox({ rate: RATE }));
    const harness = opened(await startHarness(clarify, RATE));
    const job = writeJob({
      'companies.csv': csv([
        ['Company ID', 'Name', 'Domain'],
        ['c1', 'Acme', 'acme.com'],
      ]),
      'people.csv': csv([
        ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
        ['p1', 'Ann', 'Lee', '', 'c1'],
        ['p2', 'Bo', 'Chen', '', ''],
        ['p3', 'Cy', 'Diaz', 'cy@acme.com', 'c1'],
      ]),
    });

    // Act
    const first = await harness.run([job]);
    const second = await harness.run([job]);

    // Assess: three people, each once
    expect(first.stages.person).toMatchObject({ rows: 3, created: 3, failed: 0 });
    const names = clarify.records('person').map((p) => personName(p.attributes));
    expect(names.sort()).toEqual(['Ann Lee', 'Bo Chen', 'Cy Diaz']);
    // the re-run created nothing: the emailless two failed with the reason, the other was skipped
    expect(second.jobId).not.toBe(first.jobId);
    expect(second.stages.person).toMatchObject({ rows: 3, created: 0, skipped: 1, failed: 2 });
    expect(second.summary.accounted).toBe(true);
    const failures = readFileSync(second.report.failures, 'utf8');
    expect(failures).toMatch(/DUPLICATE.*'Ann Lee'.*no email/);
    expect(failures).toMatch(/DUPLICATE.*'Bo Chen'.*no email/);
  });

  it('ActuallyCare: creates an emailless lead once, and fails it on the re-run with the reason', async () => {
    // Prepare
    const actuallyCare = opened(await startActuallyCareSandbox({ rate: RATE }));
    const harness = opened(await startHarness(actuallyCare, RATE, {}, actuallyCare.apiKey, 'actuallycare'));
    const job = writeJob({
      'leads.csv': csv([
        ['Name', 'Email'],
        ['Dee Ford', ''],
        ['Eli Gray', 'eli@example.com'],
      ]),
    });

    // Act
    const first = await harness.run([job]);
    const second = await harness.run([job]);

    // Assess
    expect(first.stages.lead).toMatchObject({ rows: 2, created: 2 });
    expect(
      actuallyCare
        .records('leads')
        .map((l) => l.name)
        .sort(),
    ).toEqual(['Dee Ford', 'Eli Gray']);
    expect(second.stages.lead).toMatchObject({ rows: 2, created: 0, skipped: 1, failed: 1 });
    expect(readFileSync(second.report.failures, 'utf8')).toMatch(/DUPLICATE.*'Dee Ford'.*no email/);
  });
});
