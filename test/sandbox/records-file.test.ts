import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { startClarifySandbox } from '#sandbox/clarify/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-records-'));

const post = (url: string, headers: Record<string, string>, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The local target keeps its records in a file: a sandbox started again answers as the same workspace. */
describe('Sandboxes: records kept in a file across starts', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Clarify: records, a PATCH and a deal’s people come back; the unique index holds across starts', async () => {
    // Prepare
    const recordsFile = join(dir, 'clarify.ndjson');
    const first = await startClarifySandbox({ recordsFile });
    const auth = { authorization: `api-key ${first.apiKey}` };
    await post(`${first.baseUrl}/objects/company/records`, auth, {
      data: { type: 'company', attributes: { name: 'Acme', domains: { items: ['acme.com'] } } },
    });
    const person = await post(`${first.baseUrl}/objects/person/records`, auth, {
      data: {
        type: 'person',
        attributes: { name: { first_name: 'Jane' }, email_addresses: { items: ['jane@acme.com'] } },
      },
    });
    const deal = await post(`${first.baseUrl}/objects/deal/records`, auth, {
      data: { type: 'deal', attributes: { name: 'Acme Renewal' } },
    });
    const personId = ((await person.json()) as { data: { id: string } }).data.id;
    const dealId = ((await deal.json()) as { data: { id: string } }).data.id;
    await fetch(`${first.baseUrl}/objects/deal/records/${dealId}/relationships/people`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ data: [{ type: 'person', id: personId }] }),
    });
    const generation = first.generation;
    await first.close();

    // Act
    const second = await startClarifySandbox({ recordsFile });
    const again = await post(`${second.baseUrl}/objects/company/records`, auth, {
      data: { type: 'company', attributes: { name: 'Acme again', domains: { items: ['acme.com'] } } },
    });

    // Assess
    expect(second.generation).toBe(generation);
    expect(second.records('company').map((c) => c.attributes.name)).toEqual(['Acme']);
    expect(second.records('person').map((p) => p.id)).toEqual([personId]);
    expect(second.dealPeople(dealId)).toEqual([personId]);
    expect(again.status).toBeGreaterThanOrEqual(400);
    await second.close();
  });

  it('ActuallyCare: created, updated and deleted records come back as they were; a line cut short is ignored', async () => {
    // Prepare
    const recordsFile = join(dir, 'actuallycare.ndjson');
    const first = await startActuallyCareSandbox({ recordsFile });
    const key = { 'x-api-key': first.apiKey };
    const ann = (await (await post(`${first.baseUrl}/leads`, key, { name: 'Ann Lee' })).json()) as {
      data: { id: string };
    };
    const bob = (await (await post(`${first.baseUrl}/leads`, key, { name: 'Bob Ray' })).json()) as {
      data: { id: string };
    };
    await fetch(`${first.baseUrl}/leads/${ann.data.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...key },
      body: JSON.stringify({ email: 'ann@example.com' }),
    });
    await fetch(`${first.baseUrl}/leads/${bob.data.id}`, { method: 'DELETE', headers: key });
    await first.close();
    // a process killed in the middle of writing a line
    appendFileSync(recordsFile, '{"resource":"leads","record":{"id":"cut');

    // Act
    const second = await startActuallyCareSandbox({ recordsFile });
    await post(`${second.baseUrl}/leads`, key, { name: 'Cy Fox' });
    await second.close();
    const third = await startActuallyCareSandbox({ recordsFile });

    // Assess
    expect(third.records('leads').map((l) => [l.name, l.email])).toEqual([
      ['Ann Lee', 'ann@example.com'],
      ['Cy Fox', undefined],
    ]);
    expect(readFileSync(recordsFile, 'utf8')).toMatch(/"id":"cut\n/);
    await third.close();
  });
});
