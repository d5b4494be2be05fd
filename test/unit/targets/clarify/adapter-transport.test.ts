import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClarifyAdapter } from '#targets/clarify/adapter.ts';
import type { NewRecord } from '#targets/target.ts';
import { failureOf } from '../failure-of.ts';

const person = (email: string, first = 'Ann'): NewRecord => ({ fields: { first_name: first, email } });

describe('Class: ClarifyAdapter', () => {
  const ORIGIN = 'https://api.clarify.test';
  const BULK = '/v1/workspaces/ws/objects/person/records/bulk';
  let agent: MockAgent;

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });

  afterEach(async () => {
    await agent.close();
  });

  const adapter = () =>
    new ClarifyAdapter({ baseUrl: `${ORIGIN}/v1/workspaces/ws`, apiKey: 'k', dispatcher: agent });

  it('treats a 503 on a create as a server error that may have landed', async () => {
    // Prepare
    agent
      .get(ORIGIN)
      .intercept({ path: BULK, method: 'POST', headers: { authorization: 'api-key k' } })
      .reply(503, { errors: [{ status: '503', title: 'Unavailable' }] }, { headers: { 'retry-after': '7' } });

    // Act
    const error = await failureOf(adapter().create('person', [person('a@x.com')]));

    // Assess
    expect(error).toMatchObject({
      code: 'SERVER_ERROR',
      status: 503,
      inDoubt: true,
      retryable: true,
      retryAfterSeconds: 7,
    });
  });

  it('treats a lost connection on a create as a network error in doubt', async () => {
    // Prepare
    agent
      .get(ORIGIN)
      .intercept({ path: BULK, method: 'POST' })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

    // Act
    const error = await failureOf(adapter().create('person', [person('a@x.com')]));

    // Assess
    expect(error).toMatchObject({ code: 'NETWORK', inDoubt: true, retryable: true });
    expect(error.message).toBe(`POST ${BULK} failed: ECONNRESET`);
  });

  it('treats a lost connection on a read as a network error that is not in doubt', async () => {
    // Prepare
    agent
      .get(ORIGIN)
      .intercept({
        path: (path) => path.startsWith('/v1/workspaces/ws/objects/person/resources'),
        method: 'GET',
      })
      .replyWithError(new Error('connection refused'));

    // Act
    const error = await failureOf(adapter().listExisting('person', null));

    // Assess
    expect(error).toMatchObject({ code: 'NETWORK', inDoubt: false });
  });

  it('treats a create whose 201 answer does not hold one id per record as in doubt: it may have landed', async () => {
    // Prepare
    agent
      .get(ORIGIN)
      .intercept({ path: BULK, method: 'POST' })
      .reply(201, { data: [{ id: 'rec_1', type: 'person', attributes: {} }] });

    // Act
    const error = await failureOf(adapter().create('person', [person('a@x.com'), person('b@x.com')]));

    // Assess
    expect(error).toMatchObject({ code: 'IN_DOUBT', status: 502, inDoubt: true, retryable: true });
  });
});
