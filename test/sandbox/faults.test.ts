import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ActuallyCareSandbox,
  type ActuallyCareSandboxOptions,
  startActuallyCareSandbox,
} from '#sandbox/actuallycare/server.ts';
import {
  type ClarifySandbox,
  type ClarifySandboxOptions,
  startClarifySandbox,
} from '#sandbox/clarify/server.ts';
import { runSandbox } from '#sandbox/command.ts';
import { servedTimestamps } from '#sandbox/common/request-log.ts';

/**
 * undici checks `headersTimeout` on a timer that ticks about once a second, so a 100 ms timeout fires
 * after ~1 s; a slow answer of 5 s outlasts it with room to spare, and afterEach's close cuts it short.
 */
const SLOW_MS = 5_000;
const CLIENT_TIMEOUT_MS = 100;

const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((closable) => closable.close()));
});

async function clarify(options: ClarifySandboxOptions): Promise<ClarifySandbox> {
  const box = await startClarifySandbox(options);
  running.push(box);
  return box;
}

async function actuallyCare(options: ActuallyCareSandboxOptions): Promise<ActuallyCareSandbox> {
  const box = await startActuallyCareSandbox(options);
  running.push(box);
  return box;
}

/** A client that gives up waiting for headers after `headersTimeout`. */
function client(headersTimeout = 10_000): Agent {
  const agent = new Agent({ headersTimeout, keepAliveTimeout: 10 });
  running.push(agent);
  return agent;
}

async function send(url: string, auth: Record<string, string>, body?: unknown, dispatcher = client()) {
  const response = await request(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher,
  });
  await response.body.text();
  return { status: response.statusCode, retryAfter: response.headers['retry-after'] };
}

let company = 0;
/** Posts one new company (a fresh domain each time, so resends are not duplicates). */
const createCompany = (box: ClarifySandbox, dispatcher?: Agent) => {
  company++;
  const attributes = { name: `Acme ${company}`, domains: { items: [`acme${company}.com`] } };
  return send(
    `${box.baseUrl}/objects/company/records/bulk`,
    { authorization: `api-key ${box.apiKey}` },
    { data: [{ type: 'company', attributes }] },
    dispatcher,
  );
};
const listCompanies = (box: ClarifySandbox) =>
  send(`${box.baseUrl}/objects/company/resources`, { authorization: `api-key ${box.apiKey}` });

const createLead = (box: ActuallyCareSandbox, dispatcher?: Agent) =>
  send(`${box.baseUrl}/leads`, { 'x-api-key': box.apiKey }, { name: 'Jane Doe' }, dispatcher);

/** Settles to the error's code, so a test can assert how the client failed. */
const failureCode = (sent: Promise<unknown>): Promise<unknown> =>
  sent.then(
    () => 'answered',
    (error: { code?: string }) => error.code,
  );

describe('Clarify sandbox: seeded fault plan', () => {
  it('answers a before-commit 5xx without doing the work, for reads and writes alike', async () => {
    // Prepare
    const box = await clarify({ faults: { serverErrorBeforeCommit: 1 } });

    // Act
    const written = await createCompany(box);
    const read = await listCompanies(box);

    // Assess
    expect([500, 503]).toContain(written.status);
    expect([500, 503]).toContain(read.status);
    expect(box.records('company')).toHaveLength(0);
    expect(box.faults()).toMatchObject({ status: 2, 'after-commit': 0 });
    expect(box.requests().map((entry) => entry.fault)).toEqual(['status', 'status']);
  });

  it('commits a write and still answers 500 after commit', async () => {
    // Prepare
    const box = await clarify({ faults: { serverErrorAfterCommit: 1 } });

    // Act
    const written = await createCompany(box);

    // Assess
    expect(written.status).toBe(500);
    expect(box.records('company')).toHaveLength(1);
    expect(box.faults()['after-commit']).toBe(1);
    expect(box.requests()).toMatchObject([{ status: 500, fault: 'after-commit' }]);
  });

  it('commits a write, then drops the connection without answering', async () => {
    // Prepare
    const box = await clarify({ faults: { dropAfterCommit: 1 } });

    // Act
    const code = await failureCode(createCompany(box));

    // Assess
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(code);
    expect(box.records('company')).toHaveLength(1);
    expect(box.faults()['drop-after-commit']).toBe(1);
    expect(box.requests()).toMatchObject([{ status: 0, fault: 'drop-after-commit' }]);
  });

  it('commits a write, then answers past the client timeout', async () => {
    // Prepare
    const box = await clarify({ faults: { slow: 1, slowMs: SLOW_MS } });

    // Act
    const code = await failureCode(createCompany(box, client(CLIENT_TIMEOUT_MS)));

    // Assess
    expect(code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(box.records('company')).toHaveLength(1);
    expect(box.faults()['slow-after-commit']).toBe(1);
  });

  it('leaves reads alone when only write faults are configured', async () => {
    // Prepare
    const box = await clarify({
      faults: { serverErrorAfterCommit: 0.4, dropAfterCommit: 0.3, slow: 0.3, slowMs: SLOW_MS },
    });

    // Act
    const reads = [];
    for (let i = 0; i < 10; i++) reads.push((await listCompanies(box)).status);

    // Assess
    expect(reads).toEqual(Array(10).fill(200));
    expect(Object.values(box.faults()).every((count) => count === 0)).toBe(true);
  });

  it('answers 429 bursts with Retry-After that use no rate-limit slot, then lets a request through', async () => {
    // Prepare
    const rate = { limit: 2, windowSeconds: 60 };
    const box = await clarify({ rate, faults: { throttleBurst: 1, burstLength: 3, retryAfterSeconds: 2 } });

    // Act
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await createCompany(box));

    // Assess
    const burst = { status: 429, retryAfter: '2' };
    const created = { status: 201, retryAfter: undefined };
    expect(answers).toEqual([burst, burst, burst, burst, created, burst, burst, burst, burst, created]);
    expect(box.records('company')).toHaveLength(2);
    expect(box.faults().throttle).toBe(8);
    expect(box.requests().filter((entry) => entry.throttled)).toEqual([]);
    expect(servedTimestamps(box.requests())).toHaveLength(2);
  });

  it('keeps the rate limit in force apart from injected faults', async () => {
    // Prepare
    const box = await clarify({
      rate: { limit: 1, windowSeconds: 60 },
      faults: { serverErrorBeforeCommit: 1 },
    });

    // Act
    const injected = await createCompany(box);
    const limited = await createCompany(box);

    // Assess
    expect([500, 503]).toContain(injected.status);
    expect(limited.status).toBe(429);
    const [first, second] = box.requests();
    expect(first).toMatchObject({ throttled: false, fault: 'status' });
    expect(second).toMatchObject({ status: 429, throttled: true });
    expect(second?.fault).toBeUndefined();
    expect(box.faults().status).toBe(1);
  });

  it('closes promptly while a slow answer is pending', async () => {
    // Prepare: closed by the test itself, not by afterEach
    const box = await startClarifySandbox({ faults: { slow: 1, slowMs: 30_000 } });
    const sent = failureCode(createCompany(box));
    while (box.records('company').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();

    // Act
    await box.close();

    // Assess
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await sent).not.toBe('answered');
    expect(box.requests()).toMatchObject([{ status: 0, fault: 'slow-after-commit' }]);
  });
});

describe('ActuallyCare sandbox: seeded fault plan', () => {
  it('commits a write and still answers 500 after commit', async () => {
    // Prepare
    const box = await actuallyCare({ faults: { serverErrorAfterCommit: 1 } });

    // Act
    const written = await createLead(box);

    // Assess
    expect(written.status).toBe(500);
    expect(box.records('leads')).toHaveLength(1);
    expect(box.faults()['after-commit']).toBe(1);
    expect(box.requests()).toMatchObject([{ status: 500, fault: 'after-commit' }]);
  });

  it('commits a write, then answers past the client timeout', async () => {
    // Prepare
    const box = await actuallyCare({ faults: { slow: 1, slowMs: SLOW_MS } });

    // Act
    const code = await failureCode(createLead(box, client(CLIENT_TIMEOUT_MS)));

    // Assess
    expect(code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(box.records('leads')).toHaveLength(1);
    expect(box.faults()['slow-after-commit']).toBe(1);
  });

  it('refuses to start on rates that add up to more than 1', async () => {
    // Act
    const started = startActuallyCareSandbox({
      faults: { serverErrorBeforeCommit: 0.6, dropAfterCommit: 0.6 },
    });

    // Assess
    await expect(started).rejects.toThrow(/add up to 1\.2/);
  });
});

describe('Function: runSandbox with faults', () => {
  it('passes fault rates to the sandbox it starts', async () => {
    // Prepare
    const box = await runSandbox({
      target: 'actuallycare',
      port: 0,
      faults: { dropAfterCommit: 1 },
      log: () => {},
    });
    running.push(box);

    // Act
    const code = await failureCode(createLead(box));

    // Assess
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(code);
    expect(box.records('leads')).toHaveLength(1);
    expect(box.faults()['drop-after-commit']).toBe(1);
  });
});
