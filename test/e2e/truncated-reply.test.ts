import { describe, expect, it } from 'vitest';
import { startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { type ClarifySandbox, startClarifySandbox } from '#sandbox/clarify/server.ts';
import { firstItem } from './clarify-records.ts';
import { closedAfterEach, csv, smallClarifyJob, startHarness, writeJob } from './local-harness.ts';
import { startTruncatingProxy, type Truncation } from './truncating-proxy.ts';

const RATE = { limit: 30, windowSeconds: 2 };

/** Every value there, once. */
const eachOnce = (values: unknown[], count: number) => {
  expect(values).toHaveLength(count);
  expect(new Set(values).size).toBe(count);
};

const bulkCreate = (object: string) => (req: { method: string; path: string }, status: number) =>
  req.method === 'POST' && req.path.includes(`/objects/${object}/records/bulk`) && status === 201;

/**
 * A reply whose status says the write happened but whose body cannot be read is in doubt, exactly like a
 * dropped connection: the target is read for the rows, never sent the batch again blind; and a duplicate
 * answer to a re-send of such a window means the rows landed, so their ids are read back.
 */
describe('A truncated 201 to a bulk create', () => {
  const opened = closedAfterEach();

  /** The deal of smallClarifyJob linked to p1 and p3, by the ids the sandbox gave them. */
  const expectLinksMade = (box: ClarifySandbox) => {
    const deal = box.records('deal')[0];
    const idOf = (email: string) =>
      box.records('person').find((p) => firstItem(p.attributes.email_addresses) === email)?.id;
    expect(box.dealPeople(deal?.id as string).sort()).toEqual(
      [idOf('p1@acme.com'), idOf('p3@acme.com')].sort(),
    );
  };

  it.each<[string, Truncation, '400' | '422']>([
    ['a Content-Length promised and the socket closed early', 'content-length', '400'],
    ['a complete chunked reply whose JSON is cut', 'chunked', '400'],
    ['a chunked reply cut, in a workspace answering duplicates with 422', 'chunked', '422'],
  ])('counts the people created once, with their links, after %s', async (_case, how, duplicate) => {
    // Prepare: the first people create's 201 loses half its body on the way back
    const sandbox = opened(await startClarifySandbox({ rate: RATE, variants: { duplicate } }));
    const proxy = opened(await startTruncatingProxy(sandbox.baseUrl, { how, pick: bulkCreate('person') }));
    const harness = opened(await startHarness({ baseUrl: proxy.baseUrl, apiKey: sandbox.apiKey }, RATE));

    // Act
    const result = await harness.run([smallClarifyJob(30)]);

    // Assess: the reply was cut; 30 people, each once, all counted created, none failed DUPLICATE
    expect(proxy.truncated()).toBe(1);
    eachOnce(
      sandbox.records('person').map((p) => firstItem(p.attributes.email_addresses)),
      30,
    );
    expect(result.stages.person, JSON.stringify(result.summary.error)).toMatchObject({
      rows: 30,
      created: 30,
      failed: 0,
      held: 0,
    });
    expect(sandbox.requests().filter((r) => r.status === 400 || r.status === 422)).toEqual([]);
    // the cut batch was read back, never sent again: 25 (cut) + 5
    const personPosts = sandbox.requests().filter((r) => r.method === 'POST' && r.path.includes('/person/'));
    expect(personPosts).toHaveLength(2);
    expect(result.stages.link).toMatchObject({ rows: 2, created: 2, held: 0, failed: 0 });
    expectLinksMade(sandbox);
    expect(result.summary.accounted).toBe(true);
    expect(result.status).toBe('succeeded');
  });

  it.each<[Truncation, '400' | '422']>([
    ['chunked', '400'],
    ['content-length', '422'],
  ])(
    'reads back a deal whose re-send is answered as a duplicate (%s, duplicates %s)',
    async (how, duplicate) => {
      // Prepare: the deal create's 201 is cut, and the next list of deals does not show it yet, so the
      // read finds nothing and the deal (which has no upsert key) is sent again: the API calls it a duplicate
      const sandbox = opened(await startClarifySandbox({ rate: RATE, variants: { duplicate } }));
      const proxy = opened(
        await startTruncatingProxy(sandbox.baseUrl, { how, pick: bulkCreate('deal'), lagLists: 1 }),
      );
      const harness = opened(await startHarness({ baseUrl: proxy.baseUrl, apiKey: sandbox.apiKey }, RATE));

      // Act
      const result = await harness.run([smallClarifyJob(4)]);

      // Assess: the re-send was answered as a duplicate, read as "it landed": one deal, created, linked
      expect(proxy.truncated()).toBe(1);
      expect(proxy.lagged()).toBe(1);
      const duplicates = sandbox.requests().filter((r) => r.status === Number(duplicate));
      expect(duplicates).toHaveLength(1);
      expect(sandbox.records('deal')).toHaveLength(1);
      expect(result.stages.deal, JSON.stringify(result.summary.error)).toMatchObject({
        rows: 1,
        created: 1,
        failed: 0,
      });
      expect(result.stages.link).toMatchObject({ rows: 2, created: 2, held: 0, failed: 0 });
      expectLinksMade(sandbox);
      expect(result.summary.accounted).toBe(true);
      expect(result.status).toBe('succeeded');
    },
  );

  it('gives a deal up as retryable, never sending it blind, while the list never shows it', async () => {
    // Prepare: the deal create's 201 is cut, and no later list of deals shows the deal it made
    const sandbox = opened(await startClarifySandbox({ rate: RATE }));
    const proxy = opened(
      await startTruncatingProxy(sandbox.baseUrl, {
        how: 'chunked',
        pick: bulkCreate('deal'),
        lagLists: Number.POSITIVE_INFINITY,
      }),
    );
    const harness = opened(await startHarness({ baseUrl: proxy.baseUrl, apiKey: sandbox.apiKey }, RATE));

    // Act
    const result = await harness.run([smallClarifyJob(4)]);

    // Assess: the job ended; one deal in the target; its row waits for the schedule, its links held
    expect(sandbox.records('deal')).toHaveLength(1);
    expect(result.stages.deal).toMatchObject({ rows: 1, created: 0, failed: 1 });
    expect(result.stages.link).toMatchObject({ rows: 2, held: 2 });
    expect(result.summary.failures).toMatchObject({ permanent: 0, retryable: 1, held: 2 });
    expect(result.summary.accounted).toBe(true);
  });

  it.each<Truncation>(['content-length', 'chunked'])(
    'counts an ActuallyCare lead created once when its 201 is cut (%s)',
    async (how) => {
      // Prepare: one record per request; the third lead's 201 loses half its body
      const actuallyCare = opened(await startActuallyCareSandbox({ rate: RATE }));
      let posts = 0;
      const proxy = opened(
        await startTruncatingProxy(actuallyCare.baseUrl, {
          how,
          pick: (req, status) => req.method === 'POST' && status === 201 && ++posts === 3,
        }),
      );
      const harness = opened(
        await startHarness(
          { baseUrl: proxy.baseUrl, apiKey: actuallyCare.apiKey },
          RATE,
          {},
          actuallyCare.apiKey,
          'actuallycare',
        ),
      );
      const job = writeJob({
        'leads.csv': csv([
          ['Name', 'Email'],
          ...Array.from({ length: 8 }, (_, i) => [`Lead ${i}`, `lead${i}@example.com`]),
        ]),
      });

      // Act
      const result = await harness.run([job]);

      // Assess: 8 leads, each once, all counted created
      expect(proxy.truncated()).toBe(1);
      expect(actuallyCare.requests().filter((r) => r.method === 'POST')).toHaveLength(8);
      eachOnce(
        actuallyCare.records('leads').map((l) => l.email),
        8,
      );
      expect(result.stages.lead, JSON.stringify(result.summary.error)).toMatchObject({
        rows: 8,
        created: 8,
        failed: 0,
      });
      expect(result.summary.accounted).toBe(true);
    },
  );
});
