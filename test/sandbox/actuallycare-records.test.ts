import { describe, expect, it } from 'vitest';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { call, inspect, outcome, start, UUID, withBearer } from './actuallycare-http.ts';

/**
 * What each resource accepts on create, one test per fact (ids from
 * shared/contracts/actuallycare.md). Strict throughout: a field not listed for the resource is a
 * validation error naming it (unknown fields refused, assumed), as are `id` and nulls.
 */

const CLIENT = { first_name: 'Ann', last_name: 'Lee', client_type: 'buyer' };
const ESCROW = { property_address: '1 Main St', purchase_price: 450000, representation_type: 'buyer' };

describe('ActuallyCare sandbox: clients', () => {
  it('C3: a client needs first_name and last_name; one without last_name is refused naming it', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'POST', '/clients', { first_name: 'Ann', client_type: 'buyer' }),
      call(box, 'POST', '/clients', { last_name: 'Lee', client_type: 'buyer' }),
      call(box, 'POST', '/clients', { ...CLIENT, first_name: '  ' }),
      call(box, 'POST', '/clients', { ...CLIENT, last_name: 7 }),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['last_name']],
      [400, 'VALIDATION_ERROR', ['first_name']],
      [400, 'VALIDATION_ERROR', ['first_name']],
      [400, 'VALIDATION_ERROR', ['last_name']],
    ]);
    expect(answers[0]!.body.error?.details).toEqual([
      { field: 'last_name', message: 'last_name is required' },
    ]);
    expect(box.records('clients')).toEqual([]);
  });

  it('C3, C4: client_type is required, one of buyer, seller or both', async () => {
    // Prepare
    const box = await start();

    // Act
    const missing = await call(box, 'POST', '/clients', { first_name: 'Ann', last_name: 'Lee' });
    const wrong = await call(box, 'POST', '/clients', { ...CLIENT, client_type: 'Buyer' });
    const ok = await Promise.all(
      ['buyer', 'seller', 'both'].map((type) =>
        call(box, 'POST', '/clients', { ...CLIENT, client_type: type }),
      ),
    );

    // Assess
    expect(outcome(missing)).toEqual([400, 'VALIDATION_ERROR', ['client_type']]);
    expect(wrong.body.error?.details?.[0]?.message).toBe(
      'client_type must be one of buyer, seller, both; got "Buyer"',
    );
    expect(ok.map((answer) => answer.status)).toEqual([201, 201, 201]);
  });

  it('C3, C5, C6 (inferred): a client also takes email, phone, source, status, budget_min and budget_max', async () => {
    // Prepare
    const box = await start();
    const client = {
      ...CLIENT,
      email: 'ann@example.com',
      phone: '+1 555 0100',
      source: 'import-2026-06',
      status: 'active',
      budget_min: 300000,
      budget_max: 450000,
    };

    // Act
    const created = await call(box, 'POST', '/clients', client);
    const bad = await Promise.all([
      call(box, 'POST', '/clients', { ...CLIENT, status: 'archived' }),
      call(box, 'POST', '/clients', { ...CLIENT, budget_min: -1 }),
      call(box, 'POST', '/clients', { ...CLIENT, budget_max: '450000' }),
      call(box, 'POST', '/clients', { ...CLIENT, email: 'bob@' }),
    ]);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.stringMatching(UUID), ...client });
    expect(box.records('clients')).toEqual([created.body.data]);
    expect(bad.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['status']],
      [400, 'VALIDATION_ERROR', ['budget_min']],
      [400, 'VALIDATION_ERROR', ['budget_max']],
      [400, 'VALIDATION_ERROR', ['email']],
    ]);
  });
});

describe('ActuallyCare sandbox: strict bodies', () => {
  it('I5: there is no tags field on any resource: tags is refused, naming it', async () => {
    // Prepare
    const box = await start();
    const session = withBearer(box.sessionToken);
    const tags = ['import-2026-06'];

    // Act
    const answers = await Promise.all([
      call(box, 'POST', '/clients', { ...CLIENT, tags }),
      call(box, 'POST', '/leads', { name: 'Jo', tags }),
      call(box, 'POST', '/contacts', { first_name: 'V', contact_type: 'vendor', tags }, session),
      call(box, 'POST', '/escrows', { ...ESCROW, tags }),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual(Array(4).fill([400, 'VALIDATION_ERROR', ['tags']]));
    expect(answers[0]!.body.error?.details?.[0]?.message).toBe("'tags' is not a field of clients");
  });

  it('unknown fields, id and nulls are refused naming the field (assumed: the sources are silent, C6)', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'POST', '/leads', { name: 'Jo', lead_source: 'web' }),
      call(box, 'POST', '/leads', { id: '00000000-0000-4000-8000-000000000000', name: 'Jo' }),
      call(box, 'POST', '/leads', { name: 'Jo', phone: null }),
      call(box, 'POST', '/clients', { ...CLIENT, notes: 'x' }),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['lead_source']],
      [400, 'VALIDATION_ERROR', ['id']],
      [400, 'VALIDATION_ERROR', ['phone']],
      [400, 'VALIDATION_ERROR', ['notes']],
    ]);
    expect(box.records('leads')).toEqual([]);
  });

  it('I2: duplicate emails are accepted: the API does not dedupe', async () => {
    // Prepare
    const box = await start({ seed: { leads: [{ name: 'Jane', email: 'jane@example.com' }] } });

    // Act
    const again = await call(box, 'POST', '/leads', { name: 'Jane D', email: 'jane@example.com' });

    // Assess
    expect(again.status).toBe(201);
    expect(box.records('leads').map((lead) => lead.email)).toEqual(['jane@example.com', 'jane@example.com']);
  });
});

describe('ActuallyCare sandbox: leads', () => {
  it('L3: a lead needs a name (its full name), not first_name/last_name', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'POST', '/leads', { email: 'a@b.co' }),
      call(box, 'POST', '/leads', { name: ' ' }),
      call(box, 'POST', '/leads', { first_name: 'Jane', last_name: 'Doe' }),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['name']],
      [400, 'VALIDATION_ERROR', ['name']],
      [400, 'VALIDATION_ERROR', ['first_name', 'last_name', 'name']],
    ]);
    expect(answers[2]!.body.error?.details?.[0]?.message).toMatch(/leads take a single name/);
  });

  it('L3, L4 (inferred): a lead takes email, phone and the example fields source, status, lead_type, interest_level, budget, timeline', async () => {
    // Prepare
    const box = await start();
    const lead = {
      name: 'Jane Doe',
      email: 'jane@example.com',
      phone: '555-0100',
      source: 'Website Form',
      status: 'new',
      lead_type: 'buyer',
      interest_level: 'warm',
      budget: 500000,
      timeline: '3-6 months',
    };

    // Act
    const created = await call(box, 'POST', '/leads', lead);
    const bad = await Promise.all([
      call(box, 'POST', '/leads', { name: 'Jo', status: 'open' }),
      call(box, 'POST', '/leads', { name: 'Jo', interest_level: 'lukewarm' }),
      call(box, 'POST', '/leads', { name: 'Jo', budget: 'lots' }),
    ]);

    // Assess
    expect(created.body.data).toEqual({ id: expect.stringMatching(UUID), ...lead });
    expect(bad.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['status']],
      [400, 'VALIDATION_ERROR', ['interest_level']],
      [400, 'VALIDATION_ERROR', ['budget']],
    ]);
  });
});

describe('ActuallyCare sandbox: contacts', () => {
  it('K4, K5: a contact needs first_name and contact_type, and takes the example fields', async () => {
    // Prepare
    const box = await start();
    const session = withBearer(box.sessionToken);
    const contact = {
      first_name: 'Vic',
      last_name: 'Stone',
      contact_type: 'escrow_officer',
      email: 'vic@acme.co',
      phone: '555-0101',
      company: 'Acme Escrow',
      license_number: 'CA-123',
      street_address: '2 Side St',
      city: 'Fresno',
      state: 'CA',
      zip_code: '93650',
    };

    // Act
    const created = await call(box, 'POST', '/contacts', contact, session);
    const bad = await Promise.all([
      call(box, 'POST', '/contacts', { contact_type: 'agent' }, session),
      call(box, 'POST', '/contacts', { first_name: 'Vic' }, session),
      call(box, 'POST', '/contacts', { first_name: 'Vic', contact_type: 'agent', full_name: 'V' }, session),
    ]);

    // Assess
    expect(created.body.data).toEqual({ id: expect.stringMatching(UUID), ...contact });
    expect(bad.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['first_name']],
      [400, 'VALIDATION_ERROR', ['contact_type']],
      [400, 'VALIDATION_ERROR', ['full_name']],
    ]);
  });
});

describe('ActuallyCare sandbox: escrows', () => {
  it('X4, X5 (inferred): an escrow needs property_address, purchase_price ≥ 0 and representation_type', async () => {
    // Prepare
    const box = await start();
    const escrow = { ...ESCROW, status: 'active', closing_date: '2026-06-30', city: 'Fresno', state: 'CA' };

    // Act
    const created = await call(box, 'POST', '/escrows', { ...escrow, zip_code: '93650' });
    const bad = await Promise.all([
      call(box, 'POST', '/escrows', { purchase_price: 1, representation_type: 'dual' }),
      call(box, 'POST', '/escrows', { ...ESCROW, purchase_price: -1 }),
      call(box, 'POST', '/escrows', { ...ESCROW, representation_type: 'both' }),
      call(box, 'POST', '/escrows', { ...ESCROW, status: 'open' }),
      call(box, 'POST', '/escrows', { ...ESCROW, closing_date: '30/06/2026' }),
      call(box, 'POST', '/escrows', { ...ESCROW, state: 'California' }),
    ]);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.stringMatching(UUID), ...escrow, zip_code: '93650' });
    expect(bad.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['property_address']],
      [400, 'VALIDATION_ERROR', ['purchase_price']],
      [400, 'VALIDATION_ERROR', ['representation_type']],
      [400, 'VALIDATION_ERROR', ['status']],
      [400, 'VALIDATION_ERROR', ['closing_date']],
      [400, 'VALIDATION_ERROR', ['state']],
    ]);
  });

  it('X5: the old guesses price, close_date and client_id are refused, naming the REST field', async () => {
    // Prepare
    const box = await start();

    // Act
    const old = await call(box, 'POST', '/escrows', {
      property_address: '1 Main St',
      price: 450000,
      close_date: '2026-06-30',
      client_id: '00000000-0000-4000-8000-000000000000',
    });

    // Assess
    expect(old.body.error?.details).toEqual([
      { field: 'price', message: 'escrows take purchase_price (X5), not price' },
      { field: 'close_date', message: 'escrows take closing_date (X5), not close_date' },
      { field: 'client_id', message: 'escrows have no client_id (X5)' },
      { field: 'purchase_price', message: 'purchase_price is required' },
      { field: 'representation_type', message: 'representation_type is required' },
    ]);
  });
});

describe('ActuallyCare sandbox: seeding', () => {
  it('seeds through the same validators as POST, in seed order', async () => {
    // Prepare
    const seed = {
      clients: [CLIENT, { ...CLIENT, first_name: 'Bo' }],
      contacts: [{ first_name: 'Vic', contact_type: 'escrow_officer' }],
      escrows: [ESCROW],
    };

    // Act
    const box = await start({ seed });
    const listed = await inspect(box, 'GET', '/records?resource=escrows');
    const bad = startActuallyCareSandbox({
      seed: { leads: [{ name: 'Ok' }, { name: 'Jo', email: 'x@' }] },
    });
    const noClientType = startActuallyCareSandbox({
      seed: { clients: [{ first_name: 'A', last_name: 'B' }] },
    });

    // Assess
    expect(box.seeded.clients).toEqual(box.records('clients').map((client) => client.id));
    expect(box.seeded.contacts).toEqual(box.records('contacts').map((contact) => contact.id));
    expect(box.records('escrows')).toEqual([{ id: box.seeded.escrows[0], ...ESCROW }]);
    expect(listed.body.data).toEqual(box.records('escrows'));
    await expect(bad).rejects.toThrow(
      "seed rejected: leads/1/email: email 'x@' is not a valid email address",
    );
    await expect(noClientType).rejects.toThrow(
      'seed rejected: clients/0/client_type: client_type is required',
    );
  });
});
