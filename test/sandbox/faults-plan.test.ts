import { describe, expect, it } from 'vitest';
import { type FaultRates, faultPlan, parseFaultRates } from '#sandbox/common/fault-plan.ts';
import type { FaultKind } from '#sandbox/common/faults.ts';

const write = { method: 'POST', path: '/v1/leads', pathname: '/v1/leads' };
const read = { method: 'GET', path: '/v1/leads?page=1', pathname: '/v1/leads' };

/** The kind of fault (or '-') the plan picks for each request in turn. */
const kinds = (rates: FaultRates, requests: (typeof write)[]): string[] => {
  const plan = faultPlan(rates);
  return requests.map((request) => plan(request)?.kind ?? '-');
};

const writes = (count: number) => Array.from({ length: count }, () => write);

describe('Function: faultPlan', () => {
  it('picks the same faults for the same seed and requests, and other faults for another seed', () => {
    // Prepare
    const rates = { serverErrorBeforeCommit: 0.1, dropAfterCommit: 0.1, throttleBurst: 0.05 };
    const requests = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? read : write));

    // Act
    const first = kinds({ ...rates, seed: 7 }, requests);
    const again = kinds({ ...rates, seed: 7 }, requests);
    const other = kinds({ ...rates, seed: 8 }, requests);

    // Assess
    expect(first).toEqual(again);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['-', 'status', 'drop-after-commit', 'throttle']));
  });

  it.each([
    ['serverErrorBeforeCommit', 'status'],
    ['serverErrorAfterCommit', 'after-commit'],
    ['dropAfterCommit', 'drop-after-commit'],
    ['slow', 'slow-after-commit'],
  ] as const)('injects %s at about its rate over 1,000 writes', (rate, kind) => {
    // Act
    const picked = kinds({ [rate]: 0.05 }, writes(1_000));

    // Assess: 50 expected, σ ≈ 7
    const count = picked.filter((picked) => picked === kind).length;
    expect(count).toBeGreaterThanOrEqual(25);
    expect(count).toBeLessThanOrEqual(75);
    expect(picked.filter((picked) => picked !== kind && picked !== '-')).toEqual([]);
  });

  it('starts 429 bursts at about their rate, each burstLength + 1 requests long', () => {
    // Act
    const picked = kinds({ throttleBurst: 0.05, burstLength: 2 }, writes(1_000));

    // Assess
    const runs = picked.join(' ').match(/(throttle ?)+/g) ?? [];
    expect(runs.length).toBeGreaterThanOrEqual(25);
    expect(runs.length).toBeLessThanOrEqual(75);
    const complete = picked.at(-1) === 'throttle' ? runs.slice(0, -1) : runs;
    expect(complete.every((run) => run.trim().split(' ').length === 3)).toBe(true);
  });

  it('plays 500 and 503 for before-commit errors, and 429 with the configured Retry-After', () => {
    // Prepare
    const fivexx = faultPlan({ serverErrorBeforeCommit: 1 });
    const burst = faultPlan({ throttleBurst: 1, retryAfterSeconds: 4 });

    // Act
    const statuses = new Set(writes(100).map((request) => JSON.stringify(fivexx(request))));
    const throttle = burst(write);

    // Assess
    expect(statuses).toEqual(
      new Set([
        JSON.stringify({ kind: 'status', status: 500 }),
        JSON.stringify({ kind: 'status', status: 503 }),
      ]),
    );
    expect(throttle).toEqual({ kind: 'throttle', retryAfter: 4 });
  });

  it('gives reads only faults that do no work', () => {
    // Prepare
    const reads = Array.from({ length: 300 }, () => read);

    // Act
    const writeOnly = kinds({ serverErrorAfterCommit: 0.3, dropAfterCommit: 0.3, slow: 0.3 }, reads);
    const beforeCommit = kinds({ serverErrorBeforeCommit: 0.3, throttleBurst: 0.1 }, reads);

    // Assess
    expect(new Set(writeOnly)).toEqual(new Set(['-']));
    expect(new Set(beforeCommit)).toEqual(new Set(['-', 'status', 'throttle']));
  });

  it('leaves requests of other methods alone when methods are given', () => {
    // Prepare
    const patch = { ...write, method: 'PATCH' };

    // Act
    const picked = kinds({ serverErrorAfterCommit: 1, methods: ['post'] }, [write, patch, read, write]);

    // Assess
    expect(picked).toEqual<(FaultKind | '-')[]>(['after-commit', '-', '-', 'after-commit']);
  });

  it('refuses rates out of range, naming the option', () => {
    // Act
    const tooHigh = () => faultPlan({ slow: 1.5 });
    const fractionalBurst = () => faultPlan({ burstLength: 2.5 });
    const unknown = () => faultPlan({ drop: 0.1 } as FaultRates);

    // Assess
    expect(tooHigh).toThrow(/slow=1\.5 must be between 0 and 1/);
    expect(fractionalBurst).toThrow(/burstLength=2\.5 must be a whole number of requests/);
    expect(unknown).toThrow(/drop/);
  });
});

describe('Function: parseFaultRates', () => {
  it('reads the CLI form', () => {
    // Act
    const rates = parseFaultRates(
      '5xx=0.03, 5xx-after=0.02,drop=0.02,slow=0.01,429=0.02,seed=7,slow-ms=3000,burst=5,retry-after=2,methods=POST+patch',
    );

    // Assess
    expect(rates).toEqual({
      serverErrorBeforeCommit: 0.03,
      serverErrorAfterCommit: 0.02,
      dropAfterCommit: 0.02,
      slow: 0.01,
      throttleBurst: 0.02,
      seed: 7,
      slowMs: 3000,
      burstLength: 5,
      retryAfterSeconds: 2,
      methods: ['POST', 'patch'],
    });
  });

  it.each([
    ['5xx=0.1,oops=1', /unknown name 'oops' in 'oops=1' \(known: 5xx, 5xx-after/],
    ['5xx=abc', /'abc' in '5xx=abc' is not a number/],
    ['drop=1.5', /drop=1\.5 must be between 0 and 1/],
    ['slow-ms=-1', /slow-ms=-1 must be ≥ 0/],
    ['5xx', /'5xx' is not name=value/],
    ['5xx=0.1,,drop=0.1', /'' is not name=value/],
    ['5xx=0.1,5xx=0.2', /'5xx' is given twice/],
    ['5xx=0.6,drop=0.6', /5xx \+ 5xx-after \+ drop \+ slow \+ 429 add up to 1\.2/],
    ['seed=1.5', /seed=1\.5 must be a whole number/],
    ['methods=PO ST', /methods=\["PO ST"\] must be HTTP method names/],
    ['', /nothing given/],
  ])('refuses %j with an error that names the bad part', (text, message) => {
    // Act
    const parse = () => parseFaultRates(text);

    // Assess
    expect(parse).toThrow(message);
  });
});
