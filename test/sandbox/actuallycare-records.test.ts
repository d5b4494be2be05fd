import { afterEach, describe, expect, it } from 'vitest';
import {
  type ActuallyCareSandbox,
  type ActuallyCareSandboxOptions,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';

interface Answer {
  status: number;
  body: { data?: Record<string, unknown>; error?: { code: string; message: string; field?: string } };
}

const started: ActuallyCareSandbox[] = [];

const start = async (options: ActuallyCareSandboxOptions = {}): Promise<ActuallyCareSandbox> => {
  const box = await startActuallyCareSandbox(options);
  started.push(box);
  return box;
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((box) => box.close()));
});

async function call(box: ActuallyCareSandbox, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${box.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${box.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** Status, error code and field of each answer, for compact assertions. */
const outcomes = (answers: Answer[]) =>
  answers.map((answer) => [answer.status, answer.body.error?.code, answer.body.error?.field]);

describe('ActuallyCare sandbox', () => {
  it('creates one record per POST with a prefixed id, readable by id', async () => {
    // Prepare
    const box = await start();
    const lead = {
      name: 'Jane Doe',
      email: 'jane@example.com',
      source: 'import-2026-06',
      tags: ['import-2026-06'],
    };

    // Act
    const created = await call(box, 'POST', '/leads', lead);
    const id = String(created.body.data?.id);
    const read = await call(box, 'GET', `/leads/${id}`);
    const missing = await call(box, 'GET', '/leads/lead_aaaaaaaaaaaaaaaaaaaa');
    const others = await Promise.all([
      call(box, 'POST', '/clients', { first_name: 'Ann' }),
      call(box, 'POST', '/contacts', { first_name: 'Vic', contact_type: 'vendor' }),
      call(box, 'POST', '/escrows', { property_address: '1 Main St' }),
    ]);

    // Assess
    expect(created).toEqual({ status: 201, body: { data: { id, ...lead } } });
    expect(id).toMatch(/^lead_[a-z2-7]{20}$/);
    expect(read).toEqual({ status: 200, body: { data: { id, ...lead } } });
    expect(outcomes([missing])).toEqual([[404, 'not_found', undefined]]);
    expect(others.map((answer) => String(answer.body.data?.id).replace(/_.*/, ''))).toEqual([
      'cli',
      'con',
      'esc',
    ]);
    expect(box.records('leads')).toEqual([{ id, ...lead }]);
  });

  it('answers 422 naming the field when a required field is missing or misplaced', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'POST', '/leads', { email: 'a@b.co' }),
      call(box, 'POST', '/leads', { name: '  ' }),
      call(box, 'POST', '/leads', { first_name: 'Jane', last_name: 'Doe' }),
      call(box, 'POST', '/contacts', { contact_type: 'agent' }),
      call(box, 'POST', '/contacts', { first_name: 'Vic' }),
      call(box, 'POST', '/clients', { first_name: '', email: 'a@b.co' }),
      call(box, 'POST', '/clients', { name: 'Jane Doe' }),
      call(box, 'POST', '/escrows', { price: 10 }),
    ]);

    // Assess
    expect(outcomes(answers)).toEqual([
      [422, 'validation_error', 'name'],
      [422, 'validation_error', 'name'],
      [422, 'validation_error', 'first_name'],
      [422, 'validation_error', 'first_name'],
      [422, 'validation_error', 'contact_type'],
      [422, 'validation_error', 'first_name'],
      [422, 'validation_error', 'name'],
      [422, 'validation_error', 'property_address'],
    ]);
    expect(answers[2]!.body.error?.message).toMatch(/leads take a single name/);
    expect(box.records('leads')).toHaveLength(0);
  });

  it('answers 422 to an unknown field, an id, a bad email, a null and bad escrow values', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'POST', '/leads', { name: 'Jo', lead_source: 'web' }),
      call(box, 'POST', '/leads', { id: 'lead_x', name: 'Jo' }),
      call(box, 'POST', '/clients', { first_name: 'Jo', email: 'bob@' }),
      call(box, 'POST', '/clients', { first_name: 'Jo', phone: null }),
      call(box, 'POST', '/escrows', { property_address: '1 Main St', close_date: '30/06/2026' }),
      call(box, 'POST', '/escrows', { property_address: '1 Main St', price: -1 }),
      call(box, 'POST', '/escrows', { property_address: '1 Main St', client_id: 'cli_nope' }),
    ]);

    // Assess
    expect(outcomes(answers).map(([, , field]) => field)).toEqual([
      'lead_source',
      'id',
      'email',
      'phone',
      'close_date',
      'price',
      'client_id',
    ]);
    expect(answers.every((answer) => answer.status === 422)).toBe(true);
    expect(answers[0]!.body.error?.message).toBe("'lead_source' is not a field of leads");
  });

  it('answers 400 to an array body or malformed JSON, and stores nothing', async () => {
    // Prepare
    const box = await start();

    // Act
    const array = await call(box, 'POST', '/leads', [{ name: 'A' }, { name: 'B' }]);
    const malformed = await call(box, 'POST', '/leads', '{"name": ');
    const scalar = await call(box, 'POST', '/leads', '"Jane"');

    // Assess
    expect(outcomes([array, malformed, scalar])).toEqual([
      [400, 'bad_request', undefined],
      [400, 'bad_request', undefined],
      [400, 'bad_request', undefined],
    ]);
    expect(array.body.error?.message).toMatch(/one record per request/);
    expect(box.records('leads')).toEqual([]);
  });

  it('accepts duplicate emails: dedupe is the client’s job', async () => {
    // Prepare
    const box = await start({ seed: { leads: [{ name: 'Jane', email: 'jane@example.com' }] } });

    // Act
    const again = await call(box, 'POST', '/leads', { name: 'Jane D', email: 'jane@example.com' });

    // Assess
    expect(again.status).toBe(201);
    expect(box.records('leads').map((lead) => lead.email)).toEqual(['jane@example.com', 'jane@example.com']);
  });

  it('updates only the given fields on PATCH, under the same rules', async () => {
    // Prepare
    const box = await start({
      seed: { clients: [{ first_name: 'Ann', last_name: 'Lee', email: 'ann@x.co' }] },
    });
    const id = box.seeded.clients[0]!;

    // Act
    const patched = await call(box, 'PATCH', `/clients/${id}`, { phone: '+1 555 0100' });
    const rejected = await Promise.all([
      call(box, 'PATCH', `/clients/${id}`, { email: 'nope' }),
      call(box, 'PATCH', `/clients/${id}`, { first_name: '', last_name: '' }),
      call(box, 'PATCH', `/clients/${id}`, { id: 'cli_other' }),
      call(box, 'PATCH', '/clients/cli_missing', { phone: '1' }),
    ]);

    // Assess
    const expected = { id, first_name: 'Ann', last_name: 'Lee', email: 'ann@x.co', phone: '+1 555 0100' };
    expect(patched).toEqual({ status: 200, body: { data: expected } });
    expect(outcomes(rejected)).toEqual([
      [422, 'validation_error', 'email'],
      [422, 'validation_error', 'first_name'],
      [422, 'validation_error', 'id'],
      [404, 'not_found', undefined],
    ]);
    expect(box.records('clients')).toEqual([expected]);
  });

  it('seeds through the same validators, an escrow naming its client by position', async () => {
    // Prepare
    const seed = {
      clients: [{ first_name: 'Ann' }, { last_name: 'Lee' }],
      contacts: [{ first_name: 'Vic', contact_type: 'escrow_officer' }],
      escrows: [{ property_address: '1 Main St', client_id: 1, close_date: '2026-06-30', price: 450000 }],
    };

    // Act
    const box = await start({ seed });
    const listed = await fetch(new URL('/_sandbox/records?resource=escrows', box.baseUrl));
    const bad = startActuallyCareSandbox({ seed: { leads: [{ name: 'Ok' }, { name: 'Jo', email: 'x@' }] } });

    // Assess
    expect(box.seeded.clients).toHaveLength(2);
    expect(box.seeded.contacts).toEqual(box.records('contacts').map((contact) => contact.id));
    expect(box.records('escrows')[0]).toMatchObject({ client_id: box.seeded.clients[1], price: 450000 });
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual(box.records('escrows'));
    await expect(bad).rejects.toThrow("seed rejected: leads/1/email: 'x@' is not a valid email address");
  });
});
