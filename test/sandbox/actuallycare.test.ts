import { describe, expect, it } from 'vitest';
import {
  ACTUALLYCARE_VARIANTS,
  DEFAULT_API_KEY,
  DEFAULT_SESSION_TOKEN,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';
import { servedTimestamps } from '#sandbox/common/request-log.ts';
import { maxInAnyWindow } from '#sandbox/common/sliding-window.ts';
import {
  type Answer,
  call,
  ISO_TIME,
  inspect,
  outcome,
  start,
  UUID,
  withBearer,
  withKey,
} from './actuallycare-http.ts';

/**
 * The ActuallyCare sandbox against the published references, one test per fact (ids from
 * shared/contracts/actuallycare.md). Rate limits are scaled down, never off.
 */

const RATE = { limit: 5, windowSeconds: 2 };
const CLIENT = { first_name: 'Ann', last_name: 'Lee', client_type: 'buyer' };
const ESCROW = { property_address: '1 Main St', purchase_price: 450000, representation_type: 'buyer' };

const statuses = (answers: Answer[]) => answers.map((answer) => answer.status);

describe('ActuallyCare sandbox: authentication', () => {
  it('A1: the key goes in X-API-Key; as Bearer it gets 401 UnauthorizedError', async () => {
    // Prepare
    const box = await start();

    // Act
    const asHeader = await call(box, 'GET', '/leads');
    const asBearer = await call(box, 'GET', '/leads', undefined, withBearer(box.apiKey));

    // Assess
    expect(asHeader.status).toBe(200);
    expect(outcome(asBearer)).toEqual([401, 'UnauthorizedError', undefined]);
    expect(asBearer.body.success).toBe(false);
    expect(box.apiKey).toBe(DEFAULT_API_KEY);
    expect(box.apiKey).toMatch(/^[0-9a-f]{64}$/); // A4
  });

  it('A2: the API-Key header is an alias of X-API-Key', async () => {
    // Prepare
    const box = await start();

    // Act
    const alias = await call(box, 'GET', '/clients', undefined, { 'api-key': box.apiKey });

    // Assess
    expect(alias.status).toBe(200);
  });

  it('A11: a missing or wrong credential gets 401 with the class-style code UnauthorizedError', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'GET', '/leads', undefined, {}),
      call(box, 'GET', '/leads', undefined, withKey('0'.repeat(64))),
      call(box, 'GET', '/leads', undefined, withBearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')),
      call(box, 'GET', '/leads', undefined, { authorization: `api-key ${box.apiKey}` }),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual(Array(4).fill([401, 'UnauthorizedError', undefined]));
    expect(answers[0]!.body.error?.message).toBe('No authentication token provided');
    expect(answers[1]!.body.error?.message).toBe('Invalid API key');
    expect(box.requests().map((entry) => entry.status)).toEqual([401, 401, 401, 401]);
  });

  it('A6, K1: /v1/contacts takes only a JWT: an X-API-Key gets 401, the session token works', async () => {
    // Prepare
    const box = await start();
    const contact = { first_name: 'Vic', contact_type: 'vendor' };

    // Act
    const keyed = await Promise.all([
      call(box, 'GET', '/contacts'),
      call(box, 'POST', '/contacts', contact),
      call(box, 'GET', '/contacts/00000000-0000-4000-8000-000000000000'),
    ]);
    const created = await call(box, 'POST', '/contacts', contact, withBearer(box.sessionToken));
    const listed = await call(box, 'GET', '/contacts', undefined, withBearer(box.sessionToken));

    // Assess
    expect(keyed.map(outcome)).toEqual(Array(3).fill([401, 'UnauthorizedError', undefined]));
    expect(keyed[0]!.body.error?.message).toBe('No authentication token provided');
    expect(created.status).toBe(201);
    expect(listed.body.data.contacts).toEqual([created.body.data]);
    expect(box.sessionToken).toBe(DEFAULT_SESSION_TOKEN);
    expect(box.sessionToken).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('A3, A5: a session token acts as the user: every resource, no scopes applied', async () => {
    // Prepare
    const box = await start({ scopes: {} });
    const session = withBearer(box.sessionToken);

    // Act
    const withNoScopes = await call(box, 'GET', '/clients');
    const answers = await Promise.all([
      call(box, 'POST', '/clients', CLIENT, session),
      call(box, 'POST', '/leads', { name: 'Jo' }, session),
      call(box, 'POST', '/escrows', ESCROW, session),
      call(box, 'GET', '/escrows', undefined, session),
    ]);

    // Assess
    expect(withNoScopes.status).toBe(403);
    expect(statuses(answers)).toEqual([201, 201, 201, 200]);
  });

  it('A11: an expired session token gets 401 "jwt expired" (POST /_sandbox/expire-session)', async () => {
    // Prepare
    const box = await start({ sessionTokens: ['tok.one.a', 'tok.two.b'] });

    // Act
    const before = await call(box, 'GET', '/clients', undefined, withBearer('tok.one.a'));
    const expired = await inspect(box, 'POST', '/expire-session', { token: 'tok.one.a' });
    const one = await call(box, 'GET', '/clients', undefined, withBearer('tok.one.a'));
    const two = await call(box, 'GET', '/clients', undefined, withBearer('tok.two.b'));
    const all = await inspect(box, 'POST', '/expire-session');
    const twoAfter = await call(box, 'GET', '/clients', undefined, withBearer('tok.two.b'));
    const unknown = await inspect(box, 'POST', '/expire-session', { token: 'nope' });
    const key = await call(box, 'GET', '/clients');

    // Assess
    expect(box.sessionToken).toBe('tok.one.a');
    expect(before.status).toBe(200);
    expect(expired.body.data).toEqual({ expired: ['tok.one.a'] });
    expect(outcome(one)).toEqual([401, 'UnauthorizedError', undefined]);
    expect(one.body.error?.message).toBe('jwt expired');
    expect(two.status).toBe(200);
    expect(all.body.data).toEqual({ expired: ['tok.one.a', 'tok.two.b'] });
    expect(twoAfter.body.error?.message).toBe('jwt expired');
    expect(unknown.status).toBe(404);
    expect(key.status).toBe(200);
  });

  it('A11: expireSession() on the handle expires the token like the inspect route', async () => {
    // Prepare
    const box = await start();

    // Act
    box.expireSession();
    const expired = await call(box, 'GET', '/contacts', undefined, withBearer(box.sessionToken));

    // Assess
    expect(expired.body.error).toMatchObject({ code: 'UnauthorizedError', message: 'jwt expired' });
    expect(() => box.expireSession('nope')).toThrow(RangeError);
  });

  it('A11: sessionExpiresAfter expires a token after that many accepted requests with it', async () => {
    // Prepare
    const box = await start({ sessionExpiresAfter: 2 });
    const session = withBearer(box.sessionToken);

    // Act
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(box, 'GET', '/contacts', undefined, session));

    // Assess
    expect(statuses(answers)).toEqual([200, 200, 401]);
    expect(answers[2]!.body.error).toMatchObject({ code: 'UnauthorizedError', message: 'jwt expired' });
  });
});

describe('ActuallyCare sandbox: scopes', () => {
  it('S1, S5: a missing scope is a 403 on read and on write (code FORBIDDEN, assumed: S6)', async () => {
    // Prepare
    const box = await start({ scopes: { clients: ['read'], leads: ['write'] } });

    // Act
    const readOk = await call(box, 'GET', '/clients');
    const writeMissing = await call(box, 'POST', '/clients', CLIENT);
    const readMissing = await call(box, 'GET', '/leads');
    const writeOk = await call(box, 'POST', '/leads', { name: 'Jo' });
    const otherResource = await call(box, 'GET', '/escrows');

    // Assess
    expect(statuses([readOk, writeMissing, readMissing, writeOk, otherResource])).toEqual([
      200, 403, 403, 201, 403,
    ]);
    expect(writeMissing.body.error).toEqual({
      code: 'FORBIDDEN',
      message: 'API key lacks the clients:write scope',
    });
    expect(readMissing.body.error?.message).toBe('API key lacks the leads:read scope');
    expect(box.records('clients')).toEqual([]);
  });

  it('S1, S4: PUT and DELETE need write', async () => {
    // Prepare
    const box = await start({ scopes: { clients: ['read'] }, seed: { clients: [CLIENT] } });
    const id = box.seeded.clients[0]!;

    // Act
    const put = await call(box, 'PUT', `/clients/${id}`, { phone: '1' });
    const del = await call(box, 'DELETE', `/clients/${id}`);
    const get = await call(box, 'GET', `/clients/${id}`);

    // Assess
    expect(statuses([put, del, get])).toEqual([403, 403, 200]);
  });

  it('S2: all is a wildcard resource', async () => {
    // Prepare
    const box = await start({ scopes: { all: ['read'] }, keys: { writer: { all: ['read', 'write'] } } });

    // Act
    const reads = await Promise.all(['/clients', '/leads', '/escrows'].map((p) => call(box, 'GET', p)));
    const write = await call(box, 'POST', '/leads', { name: 'Jo' });
    const writer = await call(box, 'POST', '/escrows', ESCROW, withKey('writer'));

    // Assess
    expect(statuses(reads)).toEqual([200, 200, 200]);
    expect(outcome(write)).toEqual([403, 'FORBIDDEN', undefined]);
    expect(writer.status).toBe(201);
  });

  it('S5: a key with no scopes gets 403 on every endpoint', async () => {
    // Prepare
    const box = await start({ keys: { empty: {}, hollow: { clients: [] } } });

    // Act
    const answers = await Promise.all([
      call(box, 'GET', '/leads', undefined, withKey('empty')),
      call(box, 'POST', '/clients', CLIENT, withKey('empty')),
      call(box, 'GET', '/escrows', undefined, withKey('hollow')),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual(Array(3).fill([403, 'FORBIDDEN', undefined]));
    expect(answers[0]!.body.error?.message).toBe('API key has no scopes');
  });

  it('S8: there is no /v1/me: it is a 404 NOT_FOUND like any unknown route', async () => {
    // Prepare
    const box = await start();

    // Act
    const me = await call(box, 'GET', '/me');
    const unknown = await call(box, 'GET', '/appointments');
    const session = await call(box, 'GET', '/me', undefined, withBearer(box.sessionToken));

    // Assess
    expect(outcome(me)).toEqual([404, 'NOT_FOUND', undefined]);
    expect(outcome(unknown)).toEqual([404, 'NOT_FOUND', undefined]);
    expect(session.status).toBe(404);
  });
});

describe('ActuallyCare sandbox: envelope and errors', () => {
  it('E1, E4: success is {success:true, data, timestamp}; a create answers 201 with the record in data', async () => {
    // Prepare
    const box = await start();

    // Act
    const created = await call(box, 'POST', '/clients', CLIENT);
    const read = await call(box, 'GET', `/clients/${created.body.data.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(['success', 'data', 'timestamp']);
    expect(created.body).toMatchObject({ success: true, data: { ...CLIENT } });
    expect(created.body.data.id).toMatch(UUID); // C5
    expect(created.body.timestamp).toMatch(ISO_TIME);
    expect(read.body).toMatchObject({ success: true, data: created.body.data });
  });

  it('ER1–ER3: an error is {success:false, error:{code, message, details?}, timestamp}; validation details name each field', async () => {
    // Prepare
    const box = await start();

    // Act
    const invalid = await call(box, 'POST', '/clients', { first_name: 'Ann', tags: ['x'] });

    // Assess
    expect(Object.keys(invalid.body)).toEqual(['success', 'error', 'timestamp']);
    expect(invalid.body.success).toBe(false);
    expect(invalid.body.timestamp).toMatch(ISO_TIME);
    expect(invalid.body.error?.code).toBe('VALIDATION_ERROR');
    expect(invalid.body.error?.details).toEqual([
      { field: 'tags', message: "'tags' is not a field of clients" },
      { field: 'last_name', message: 'last_name is required' },
      { field: 'client_type', message: 'client_type is required' },
    ]);
    expect(invalid.body.error?.message).toContain('last_name is required');
  });

  it('ER4: an unknown id is a 404 NOT_FOUND "Client not found."', async () => {
    // Prepare
    const box = await start();

    // Act
    const missing = await call(box, 'GET', '/clients/00000000-0000-4000-8000-000000000000');

    // Assess
    expect(missing.body.error).toEqual({ code: 'NOT_FOUND', message: 'Client not found.' });
    expect(missing.status).toBe(404);
  });

  it('ER5: malformed JSON and a non-object body are a 400 BAD_REQUEST', async () => {
    // Prepare
    const box = await start();

    // Act
    const malformed = await call(box, 'POST', '/leads', '{"name": ');
    const array = await call(box, 'POST', '/leads', [{ name: 'A' }]);
    const scalar = await call(box, 'POST', '/leads', '"Jane"');

    // Assess
    expect([malformed, array, scalar].map(outcome)).toEqual(Array(3).fill([400, 'BAD_REQUEST', undefined]));
    expect(array.body.error?.message).toMatch(/one record per request/); // I1
    expect(box.records('leads')).toEqual([]);
  });
});

describe('ActuallyCare sandbox: routes', () => {
  it('C1, AC13: PUT updates (the given fields merged, validated on the merged record); PATCH is a 404', async () => {
    // Prepare
    const box = await start({ seed: { clients: [{ ...CLIENT, email: 'ann@x.co' }] } });
    const id = box.seeded.clients[0]!;

    // Act
    const put = await call(box, 'PUT', `/clients/${id}`, { phone: '+1 555 0100', client_type: 'both' });
    const rejected = await Promise.all([
      call(box, 'PUT', `/clients/${id}`, { email: 'nope' }),
      call(box, 'PUT', `/clients/${id}`, { last_name: '' }),
      call(box, 'PUT', `/clients/${id}`, { id: 'other' }),
      call(box, 'PUT', `/clients/${id}`, { phone: null }),
    ]);
    const missing = await call(box, 'PUT', '/clients/00000000-0000-4000-8000-000000000000', { phone: '1' });
    const patch = await call(box, 'PATCH', `/clients/${id}`, { phone: '2' });

    // Assess
    const expected = { id, ...CLIENT, email: 'ann@x.co', phone: '+1 555 0100', client_type: 'both' };
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual(expected);
    expect(rejected.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['email']],
      [400, 'VALIDATION_ERROR', ['last_name']],
      [400, 'VALIDATION_ERROR', ['id']],
      [400, 'VALIDATION_ERROR', ['phone']],
    ]);
    expect(outcome(missing)).toEqual([404, 'NOT_FOUND', undefined]);
    expect(outcome(patch)).toEqual([404, 'NOT_FOUND', undefined]);
    expect(box.records('clients')).toEqual([expected]);
  });

  it('L1, AC13 (inferred): leads and escrows update with PUT too', async () => {
    // Prepare
    const box = await start({ seed: { leads: [{ name: 'Jo' }], escrows: [ESCROW] } });

    // Act
    const lead = await call(box, 'PUT', `/leads/${box.seeded.leads[0]}`, { status: 'contacted' });
    const escrow = await call(box, 'PUT', `/escrows/${box.seeded.escrows[0]}`, { status: 'pending' });

    // Assess
    expect([lead.body.data.status, escrow.body.data.status]).toEqual(['contacted', 'pending']);
  });

  it('C1: DELETE removes the record (a hard delete, assumed: K7)', async () => {
    // Prepare
    const box = await start({ seed: { clients: [CLIENT, { ...CLIENT, first_name: 'Bo' }] } });
    const [first, second] = box.seeded.clients;

    // Act
    const deleted = await call(box, 'DELETE', `/clients/${first}`);
    const again = await call(box, 'DELETE', `/clients/${first}`);
    const read = await call(box, 'GET', `/clients/${first}`);

    // Assess
    expect(deleted.body).toMatchObject({ success: true, data: { id: first } });
    expect(statuses([again, read])).toEqual([404, 404]);
    expect(box.records('clients').map((client) => client.id)).toEqual([second]);
  });
});

describe('ActuallyCare sandbox: lists', () => {
  it('P1, P3, E2: pages by page/limit (default 25) with meta {page, limit, total, totalPages, hasMore}, in creation order', async () => {
    // Prepare
    const clients = Array.from({ length: 27 }, (_, i) => ({ ...CLIENT, first_name: `C${i}` }));
    const box = await start({ seed: { clients } });

    // Act
    const first = await call(box, 'GET', '/clients');
    const second = await call(box, 'GET', '/clients?page=2');
    const small = await call(box, 'GET', '/clients?page=3&limit=10');
    const past = await call(box, 'GET', '/clients?page=9&limit=10');

    // Assess
    expect(first.body.data.clients.map((c: { first_name: string }) => c.first_name)).toEqual(
      clients.slice(0, 25).map((c) => c.first_name),
    );
    expect(first.body.data.meta).toEqual({ page: 1, limit: 25, total: 27, totalPages: 2, hasMore: true });
    expect(Object.keys(first.body.data)).toEqual(['clients', 'meta']);
    expect(second.body.data.meta).toEqual({ page: 2, limit: 25, total: 27, totalPages: 2, hasMore: false });
    expect(second.body.data.clients.map((c: { id: string }) => c.id)).toEqual(box.seeded.clients.slice(25));
    expect(small.body.data.clients).toHaveLength(7);
    expect(past.body.data).toEqual({
      clients: [],
      meta: { page: 9, limit: 10, total: 27, totalPages: 3, hasMore: false },
    });
  });

  it('P1: limit above 100 or below 1, and page below 1, are a 400 naming the parameter', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all(
      ['?limit=101', '?limit=0', '?page=0', '?page=x', '?page=1&page=2'].map((q) =>
        call(box, 'GET', `/leads${q}`),
      ),
    );
    const max = await call(box, 'GET', '/leads?limit=100');

    // Assess
    expect(answers.map(outcome)).toEqual([
      [400, 'BAD_REQUEST', ['limit']],
      [400, 'BAD_REQUEST', ['limit']],
      [400, 'BAD_REQUEST', ['page']],
      [400, 'BAD_REQUEST', ['page']],
      [400, 'BAD_REQUEST', ['page']],
    ]);
    expect(max.body.data.meta.limit).toBe(100);
  });

  it('P4, C2, L2: an undocumented parameter is a 400; clients and leads have no search or email filter', async () => {
    // Prepare
    const box = await start();

    // Act
    const answers = await Promise.all([
      call(box, 'GET', '/clients?search=ann'),
      call(box, 'GET', '/clients?email=a@b.co'),
      call(box, 'GET', '/leads?search=jo'),
      call(box, 'GET', '/leads?cursor=abc'),
      call(box, 'GET', '/leads?offset=2'),
    ]);

    // Assess
    expect(answers.map(outcome)).toEqual([
      [400, 'BAD_REQUEST', ['search']],
      [400, 'BAD_REQUEST', ['email']],
      [400, 'BAD_REQUEST', ['search']],
      [400, 'BAD_REQUEST', ['cursor']],
      [400, 'BAD_REQUEST', ['offset']],
    ]);
  });

  it('C2, L2: lists filter by the documented enums; a value outside them is a 400', async () => {
    // Prepare
    const box = await start({
      seed: {
        clients: [CLIENT, { ...CLIENT, client_type: 'seller', status: 'closed' }],
        leads: [
          { name: 'A', status: 'new', interest_level: 'hot' },
          { name: 'B', status: 'lost' },
        ],
      },
    });

    // Act
    const sellers = await call(box, 'GET', '/clients?client_type=seller');
    const closed = await call(box, 'GET', '/clients?status=closed&client_type=buyer');
    const hot = await call(box, 'GET', '/leads?interest_level=hot&status=new');
    const bad = await Promise.all([
      call(box, 'GET', '/clients?client_type=renter'),
      call(box, 'GET', '/leads?status=open'),
    ]);

    // Assess
    expect(sellers.body.data.clients.map((c: { id: string }) => c.id)).toEqual([box.seeded.clients[1]]);
    expect(closed.body.data.clients).toEqual([]);
    expect(hot.body.data.leads.map((l: { name: string }) => l.name)).toEqual(['A']);
    expect(bad.map(outcome)).toEqual([
      [400, 'BAD_REQUEST', ['client_type']],
      [400, 'BAD_REQUEST', ['status']],
    ]);
  });

  it('E3, P5: the leads list carries stats and cursors; contacts and escrows carry stats', async () => {
    // Prepare
    const box = await start({
      seed: { leads: [{ name: 'A' }], contacts: [{ first_name: 'V', contact_type: 'vendor' }] },
    });

    // Act
    const leads = await call(box, 'GET', '/leads');
    const contacts = await call(box, 'GET', '/contacts', undefined, withBearer(box.sessionToken));
    const escrows = await call(box, 'GET', '/escrows');

    // Assess
    expect(Object.keys(leads.body.data)).toEqual(['leads', 'meta', 'stats', 'cursors']);
    expect(Object.keys(contacts.body.data)).toEqual(['contacts', 'meta', 'stats']);
    expect(Object.keys(escrows.body.data)).toEqual(['escrows', 'meta', 'stats']);
  });

  it('P2, X2: escrows default to 20 per page, newest first, with sort, order and filters', async () => {
    // Prepare
    const escrows = Array.from({ length: 22 }, (_, i) => ({
      ...ESCROW,
      property_address: `${i} Main St`,
      purchase_price: 100_000 + i * 10_000,
      status: i % 2 ? 'pending' : 'active',
      closing_date: `2026-07-${String(i + 1).padStart(2, '0')}`,
    }));
    const box = await start({ seed: { escrows } });
    const addresses = (answer: Answer) =>
      answer.body.data.escrows.map((e: { property_address: string }) => e.property_address);

    // Act
    const first = await call(box, 'GET', '/escrows');
    const ascending = await call(box, 'GET', '/escrows?order=asc&limit=3');
    const byPrice = await call(box, 'GET', '/escrows?sort=purchase_price&order=desc&limit=2');
    const filtered = await call(
      box,
      'GET',
      '/escrows?status=PENDING&minPrice=150000&maxPrice=200000&closingDateStart=2026-07-01&closingDateEnd=2026-07-31&order=asc',
    );
    const search = await call(box, 'GET', '/escrows?search=21%20main');
    const archived = await call(box, 'GET', '/escrows?archived=true');
    const bad = await Promise.all(
      ['?sort=price', '?order=up', '?minPrice=cheap', '?closingDateStart=07/01/2026', '?status=open'].map(
        (q) => call(box, 'GET', `/escrows${q}`),
      ),
    );

    // Assess
    expect(first.body.data.meta).toEqual({ page: 1, limit: 20, total: 22, totalPages: 2, hasMore: true });
    expect(addresses(first)[0]).toBe('21 Main St');
    expect(addresses(ascending)).toEqual(['0 Main St', '1 Main St', '2 Main St']);
    expect(addresses(byPrice)).toEqual(['21 Main St', '20 Main St']);
    expect(addresses(filtered)).toEqual(['5 Main St', '7 Main St', '9 Main St']);
    expect(addresses(search)).toEqual(['21 Main St']);
    expect(archived.body.data.escrows).toEqual([]);
    expect(bad.map((answer) => outcome(answer)[0])).toEqual([400, 400, 400, 400, 400]);
  });

  it('K3: contacts filter by search (names and email) and type', async () => {
    // Prepare
    const box = await start({
      seed: {
        contacts: [
          { first_name: 'Vic', last_name: 'Stone', contact_type: 'vendor', email: 'vic@acme.co' },
          { first_name: 'Ann', last_name: 'Lee', contact_type: 'buyer', email: 'ann@x.co' },
        ],
      },
    });
    const session = withBearer(box.sessionToken);
    const names = (answer: Answer) =>
      answer.body.data.contacts.map((c: { first_name: string }) => c.first_name);

    // Act
    const byName = await call(box, 'GET', '/contacts?search=vic%20st', undefined, session);
    const byEmail = await call(box, 'GET', '/contacts?search=X.CO', undefined, session);
    const byType = await call(box, 'GET', '/contacts?type=buyer', undefined, session);

    // Assess
    expect([names(byName), names(byEmail), names(byType)]).toEqual([['Vic'], ['Ann'], ['Ann']]);
  });
});

describe('ActuallyCare sandbox: rate limit', () => {
  it('RL4: RateLimit-Limit, -Remaining and -Reset on every response; never X-RateLimit-*', async () => {
    // Prepare
    const box = await start({ rate: RATE });

    // Act
    const ok = await call(box, 'GET', '/leads');
    const created = await call(box, 'POST', '/leads', { name: 'Jo' });
    const invalid = await call(box, 'POST', '/leads', {});
    const missing = await call(box, 'GET', '/nothing');

    // Assess
    const headers = (answer: Answer) => [
      answer.headers.get('ratelimit-limit'),
      answer.headers.get('ratelimit-remaining'),
      answer.headers.get('x-ratelimit-limit'),
    ];
    expect([ok, created, invalid, missing].map(headers)).toEqual([
      ['5', '4', null],
      ['5', '3', null],
      ['5', '2', null],
      ['5', '1', null],
    ]);
    const reset = Number(ok.headers.get('ratelimit-reset'));
    expect(reset >= 1 && reset <= RATE.windowSeconds).toBe(true);
  });

  it('RL5: past the limit, a 429 RATE_LIMIT_EXCEEDED with Retry-After seconds and the RateLimit-* headers', async () => {
    // Prepare
    const rate = { limit: 5, windowSeconds: 1 };
    const box = await start({ rate });

    // Act
    const answers: Answer[] = [];
    for (let i = 0; i < 7; i++) {
      answers.push(
        i % 2 ? await call(box, 'GET', '/leads') : await call(box, 'POST', '/leads', { name: `L${i}` }),
      );
    }
    const retryAfter = Number(answers[5]!.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const afterWait = await call(box, 'GET', '/leads');

    // Assess
    expect(statuses(answers)).toEqual([201, 200, 201, 200, 201, 429, 429]);
    expect(answers[5]!.body).toMatchObject({ success: false, error: { code: 'RATE_LIMIT_EXCEEDED' } });
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(answers[5]!.headers.get('ratelimit-remaining')).toBe('0');
    expect(answers[5]!.headers.get('ratelimit-limit')).toBe('5');
    expect(afterWait.status).toBe(200);
    expect(maxInAnyWindow(servedTimestamps(box.requests()), rate.windowSeconds * 1000)).toBeLessThanOrEqual(
      rate.limit,
    );
    expect(box.records('leads')).toHaveLength(3);
  });

  it('RL1, RL2: the limit counts per client IP: two keys and a session token from one IP share a window', async () => {
    // Prepare
    const box = await start({ rate: RATE, keys: { other: { all: ['read'] } } });

    // Act
    const answers: Answer[] = [];
    for (let i = 0; i < 3; i++) answers.push(await call(box, 'GET', '/leads'));
    answers.push(await call(box, 'GET', '/leads', undefined, withKey('other')));
    answers.push(await call(box, 'GET', '/contacts', undefined, withBearer(box.sessionToken)));
    answers.push(await call(box, 'GET', '/leads', undefined, withKey('other')));

    // Assess
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers[3]!.headers.get('ratelimit-remaining')).toBe('1');
  });
});

describe('ActuallyCare sandbox: variants', () => {
  it('offers created, validation and rateHeaders, the first value of each the default', async () => {
    // Prepare
    const box = await start();

    // Act
    const refused = startActuallyCareSandbox({ variants: { created: 'nested' as 'flat' } });

    // Assess
    expect(ACTUALLYCARE_VARIANTS).toEqual({
      created: ['flat', 'wrapped'],
      validation: ['400', '422'],
      rateHeaders: ['RateLimit', 'none'],
    });
    expect(box.variants).toEqual({ created: 'flat', validation: '400', rateHeaders: 'RateLimit' });
    await expect(refused).rejects.toThrow(/variant created must be one of flat, wrapped/);
  });

  it('E5: created=flat answers data {id, ...record}', async () => {
    // Prepare
    const box = await start({ variants: { created: 'flat' } });

    // Act
    const created = await call(box, 'POST', '/clients', CLIENT);

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.stringMatching(UUID), ...CLIENT });
  });

  it('E5: created=wrapped answers data {client: {id, ...record}}, keyed by the singular resource', async () => {
    // Prepare
    const box = await start({ variants: { created: 'wrapped' } });
    const session = withBearer(box.sessionToken);

    // Act
    const client = await call(box, 'POST', '/clients', CLIENT);
    const lead = await call(box, 'POST', '/leads', { name: 'Jo' });
    const contact = await call(box, 'POST', '/contacts', { first_name: 'V', contact_type: 'x' }, session);
    const escrow = await call(box, 'POST', '/escrows', ESCROW);
    const id = client.body.data.client.id;
    const read = await call(box, 'GET', `/clients/${id}`);
    const put = await call(box, 'PUT', `/clients/${id}`, { phone: '1' });
    const list = await call(box, 'GET', '/clients');

    // Assess
    expect(client.status).toBe(201);
    expect(client.body.data).toEqual({ client: { id: expect.stringMatching(UUID), ...CLIENT } });
    expect([lead, contact, escrow].map((answer) => Object.keys(answer.body.data))).toEqual([
      ['lead'],
      ['contact'],
      ['escrow'],
    ]);
    expect(read.body.data).toEqual({ client: { id, ...CLIENT } });
    expect(put.body.data).toEqual({ client: { id, ...CLIENT, phone: '1' } });
    expect(list.body.data.clients[0].id).toBe(id);
  });

  it('ER6: validation=400 and validation=422 set the status of a body-validation failure', async () => {
    // Prepare
    const as400 = await start({ variants: { validation: '400' } });
    const as422 = await start({ variants: { validation: '422' } });

    // Act
    const answers = await Promise.all(
      [as400, as422].map((box) => call(box, 'POST', '/clients', { first_name: 'Ann' })),
    );
    const malformed = await call(as422, 'POST', '/clients', '{');
    const badQuery = await call(as422, 'GET', '/clients?limit=500');

    // Assess
    expect(answers.map(outcome)).toEqual([
      [400, 'VALIDATION_ERROR', ['last_name', 'client_type']],
      [422, 'VALIDATION_ERROR', ['last_name', 'client_type']],
    ]);
    expect(statuses([malformed, badQuery])).toEqual([400, 400]);
  });

  it('RL4: rateHeaders=none sends no RateLimit-* headers, the 429 included', async () => {
    // Prepare
    const box = await start({ rate: { limit: 1, windowSeconds: 2 }, variants: { rateHeaders: 'none' } });

    // Act
    const ok = await call(box, 'GET', '/leads');
    const limited = await call(box, 'GET', '/leads');

    // Assess
    expect(statuses([ok, limited])).toEqual([200, 429]);
    for (const answer of [ok, limited]) {
      expect([...answer.headers.keys()].filter((name) => name.includes('ratelimit'))).toEqual([]);
    }
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.error?.code).toBe('RATE_LIMIT_EXCEEDED');
  });
});

describe('ActuallyCare sandbox: inspect routes', () => {
  it('/_sandbox/* take no credential, are not rate limited and are not logged', async () => {
    // Prepare
    const box = await start({ rate: { limit: 1, windowSeconds: 2 }, seed: { leads: [{ name: 'Jo' }] } });
    await call(box, 'GET', '/leads');

    // Act
    const records = await inspect(box, 'GET', '/records?resource=leads');
    const requests = await inspect(box, 'GET', '/requests');
    const again = await inspect(box, 'GET', '/requests');
    const bad = await inspect(box, 'GET', '/records?resource=people');

    // Assess
    expect(records.body.data).toEqual(box.records('leads'));
    expect(requests.body.data).toEqual(box.requests());
    expect(again.body.data).toHaveLength(1);
    expect(again.body.data[0]).toMatchObject({
      method: 'GET',
      path: '/v1/leads',
      status: 200,
      object: 'leads',
    });
    expect(bad.status).toBe(400);
  });
});
