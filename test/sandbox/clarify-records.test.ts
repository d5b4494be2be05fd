import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClarifySandbox,
  type ClarifySandboxOptions,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { status: string; detail: string; source?: { pointer?: string } }[] };
}

let sandbox: ClarifySandbox | undefined;

const start = async (options: ClarifySandboxOptions = {}): Promise<ClarifySandbox> => {
  sandbox = await startClarifySandbox(options);
  return sandbox;
};

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function call(
  box: ClarifySandbox,
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
) {
  const response = await fetch(`${box.baseUrl}${path}`, {
    method,
    headers: { authorization: `api-key ${box.apiKey}`, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} } as Answer;
}

const person = (email: string, extra: Record<string, unknown> = {}) => ({
  first_name: 'Jane',
  email_addresses: { items: [email] },
  ...extra,
});

describe('Clarify sandbox: reading and updating records', () => {
  it('reads one record, and answers 404 for an unknown id', async () => {
    // Prepare
    const box = await start({ seed: { company: [{ name: 'Acme' }] } });
    const [id] = box.seeded.company;

    // Act
    const found = await call(box, 'GET', `/objects/company/records/${id}`);
    const missing = await call(box, 'GET', '/objects/company/records/com_missing');

    // Assess
    expect(found.body.data).toEqual({ id, type: 'company', attributes: { name: 'Acme' } });
    expect(missing.status).toBe(404);
  });

  it('updates only the given attributes, under the create rules', async () => {
    // Prepare
    const box = await start({ seed: { person: [person('a@x.com', { status: 'Lead' }), person('b@x.com')] } });
    const [a, b] = box.seeded.person;
    const patch = (id: string | undefined, attributes: Record<string, unknown>) =>
      call(box, 'PATCH', `/objects/person/records/${id}`, { data: { type: 'person', attributes } });

    // Act
    const updated = await patch(a, { status: 'Customer' });
    const ownEmail = await patch(a, { email_addresses: { items: ['A@x.com'] } });
    const takenEmail = await patch(a, { email_addresses: { items: ['b@x.com'] } });
    const badEnum = await patch(b, { status: 'customer' });
    const noName = await patch(b, { first_name: '' });
    const unknown = await patch(b, { website: 'x.com' });
    const missing = await patch('rec_missing', { status: 'Lead' });

    // Assess
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({
      id: a,
      attributes: { first_name: 'Jane', status: 'Customer' },
    });
    expect(ownEmail.status).toBe(200);
    expect(takenEmail.status).toBe(400);
    expect(takenEmail.body.errors?.[0]?.source?.pointer).toBe('/data/attributes/email_addresses');
    expect([badEnum.status, noName.status, unknown.status, missing.status]).toEqual([422, 422, 422, 404]);
    expect(box.records('person').map((record) => record.attributes.email_addresses)).toEqual([
      { items: ['A@x.com'] },
      { items: ['b@x.com'] },
    ]);
  });

  it('answers 404 for an unknown route or object and 405 for a wrong method', async () => {
    // Prepare
    const box = await start();

    // Act
    const route = await call(box, 'GET', '/objects/company/everything');
    const object = await call(box, 'POST', '/objects/lead/records/bulk', { data: [] });
    const method = await call(box, 'DELETE', '/objects/company/records/bulk');

    // Assess
    expect([route.status, object.status, method.status]).toEqual([404, 404, 405]);
    expect(method.headers.get('allow')).toBe('POST');
  });

  it('answers 400 for malformed JSON and 415 for a non-JSON body, accepting the JSON:API type', async () => {
    // Prepare
    const box = await start();
    const body = { data: [{ type: 'company', attributes: { name: 'Acme' } }] };

    // Act
    const malformed = await call(box, 'POST', '/objects/company/records/bulk', '{"data": [');
    const text = await call(box, 'POST', '/objects/company/records/bulk', body, 'text/plain');
    const jsonApi = await call(
      box,
      'POST',
      '/objects/company/records/bulk',
      body,
      'application/vnd.api+json',
    );

    // Assess
    expect([malformed.status, text.status, jsonApi.status]).toEqual([400, 415, 201]);
  });

  it('answers 409 when an item type does not match the endpoint', async () => {
    // Prepare
    const box = await start();

    // Act
    const answer = await call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'person', attributes: { name: 'Acme' } }],
    });

    // Assess
    expect(answer.status).toBe(409);
    expect(answer.body.errors?.[0]?.source?.pointer).toBe('/data/0/type');
    expect(box.records('company')).toHaveLength(0);
  });
});

describe('Clarify sandbox: observability and faults', () => {
  it('logs every API request with its object and item count, but not inspection requests', async () => {
    // Prepare
    const box = await start();
    const data = [{ type: 'company', attributes: { name: 'Acme' } }];
    const origin = new URL(box.baseUrl).origin;

    // Act
    await call(box, 'POST', '/objects/company/records/bulk', { data });
    await fetch(`${box.baseUrl}/objects/company/resources`);
    const records = (await (
      await fetch(`${origin}/_sandbox/records?object=company`)
    ).json()) as Answer['body'];
    const requests = (await (await fetch(`${origin}/_sandbox/requests`)).json()) as Answer['body'];

    // Assess
    expect(records.data).toEqual(box.records('company'));
    expect(requests.data).toEqual(box.requests());
    expect(box.requests()).toMatchObject([
      { method: 'POST', status: 201, object: 'company', items: 1, throttled: false },
      {
        method: 'GET',
        path: '/v1/workspaces/ws_local/objects/company/resources',
        status: 401,
        throttled: false,
      },
    ]);
  });

  it('answers an injected status without doing the work', async () => {
    // Prepare
    const box = await start({ faults: () => ({ kind: 'status', status: 503, retryAfter: 2 }) });

    // Act
    const answer = await call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'company', attributes: { name: 'Acme' } }],
    });

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(box.records('company')).toHaveLength(0);
  });

  it('drops the connection after committing when asked to', async () => {
    // Prepare
    const box = await start({ faults: () => ({ kind: 'drop-after-commit' }) });

    // Act
    const sent = call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'company', attributes: { name: 'Acme' } }],
    });

    // Assess
    await expect(sent).rejects.toThrow();
    expect(box.records('company')).toHaveLength(1);
    expect(box.requests()).toMatchObject([{ status: 0, fault: 'drop-after-commit' }]);
  });

  it('delays a request when the hook asks, then handles it normally', async () => {
    // Prepare
    const box = await start({ faults: () => ({ kind: 'delay', ms: 120 }) });
    const started = performance.now();

    // Act
    const answer = await call(box, 'POST', '/objects/company/records/bulk', {
      data: [{ type: 'company', attributes: { name: 'Acme' } }],
    });

    // Assess
    expect(answer.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(box.records('company')).toHaveLength(1);
  });

  it('adds the configured latency to every answer', async () => {
    // Prepare
    const box = await start({ latencyMs: 150 });
    const started = performance.now();

    // Act
    const answer = await call(box, 'GET', '/objects/deal/resources');

    // Assess
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});
