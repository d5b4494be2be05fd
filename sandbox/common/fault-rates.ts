import { z } from 'zod';

/**
 * What a seeded fault plan injects (see `faultPlan`), as an option object or in the CLI's text form
 * `5xx=0.03,5xx-after=0.02,drop=0.02,slow=0.01,429=0.02,seed=7,slow-ms=3000`.
 */
export interface FaultRates {
  /** Probability per API request (0..1) of each fault; at most one fault per request, so they add up to ≤ 1. */
  serverErrorBeforeCommit?: number;
  /** Writes only: do the work, then answer 500. */
  serverErrorAfterCommit?: number;
  /** Writes only: do the work, then destroy the socket without answering. */
  dropAfterCommit?: number;
  /** Writes only: do the work, then answer `slowMs` late. */
  slow?: number;
  /** Start a burst: this request and the next `burstLength` answer 429 without doing the work. */
  throttleBurst?: number;
  /** Default 35_000: past a 30 s client timeout. */
  slowMs?: number;
  /** Default 3. */
  burstLength?: number;
  /** Default 1. */
  retryAfterSeconds?: number;
  /** Seed for the PRNG so a run is reproducible (default 1). */
  seed?: number;
  /** Only requests whose method matches are eligible (default: all). */
  methods?: string[];
}

export const RATE_KEYS = [
  'serverErrorBeforeCommit',
  'serverErrorAfterCommit',
  'dropAfterCommit',
  'slow',
  'throttleBurst',
] as const satisfies readonly (keyof FaultRates)[];

/** CLI name of each option. */
const CLI_NAMES: Record<keyof FaultRates, string> = {
  serverErrorBeforeCommit: '5xx',
  serverErrorAfterCommit: '5xx-after',
  dropAfterCommit: 'drop',
  slow: 'slow',
  throttleBurst: '429',
  slowMs: 'slow-ms',
  burstLength: 'burst',
  retryAfterSeconds: 'retry-after',
  seed: 'seed',
  methods: 'methods',
};
const BY_CLI_NAME = new Map(Object.entries(CLI_NAMES).map(([key, name]) => [name, key as keyof FaultRates]));

const rate = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const count = (what: string) => z.number().int(`must be a whole number of ${what}`).min(0, 'must be ≥ 0');
const faultRatesSchema = z.strictObject({
  serverErrorBeforeCommit: rate.optional(),
  serverErrorAfterCommit: rate.optional(),
  dropAfterCommit: rate.optional(),
  slow: rate.optional(),
  throttleBurst: rate.optional(),
  slowMs: count('milliseconds').optional(),
  burstLength: count('requests').optional(),
  retryAfterSeconds: count('seconds').optional(),
  seed: z.number().int('must be a whole number').optional(),
  methods: z
    .array(z.string().regex(/^[A-Za-z]+$/, 'must be HTTP method names'))
    .min(1, 'must name at least one method')
    .optional(),
});

/** Checks rates before a plan uses them; `name` says how the caller spelled each option. */
export function checkFaultRates(
  rates: FaultRates,
  name: (key: keyof FaultRates) => string = (key) => key,
): FaultRates {
  const parsed = faultRatesSchema.safeParse(rates);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof FaultRates | undefined;
      // Unknown options come as one issue on the object itself.
      if (key === undefined) return issue.message;
      return `${name(key)}=${JSON.stringify(rates[key])} ${issue.message}`;
    });
    throw new RangeError(`fault rates: ${details.join('; ')}`);
  }
  const total = RATE_KEYS.reduce((sum, key) => sum + (parsed.data[key] ?? 0), 0);
  // At most one fault per request; the tolerance forgives 0.1 + 0.2 style rounding.
  if (total > 1 + 1e-9) {
    throw new RangeError(
      `fault rates: ${RATE_KEYS.map(name).join(' + ')} add up to ${total}, more than 1 (at most one fault per request)`,
    );
  }
  return parsed.data;
}

/** Parses the CLI form; every error names the part of the text that is wrong. */
export function parseFaultRates(text: string): FaultRates {
  const rates: Record<string, unknown> = {};
  const parts = text.split(',').map((part) => part.trim());
  if (parts.every((part) => part === '')) throw new RangeError('fault rates: nothing given');
  for (const part of parts) {
    const [name, value, ...rest] = part.split('=').map((side) => side.trim());
    if (!name || value === undefined || value === '' || rest.length > 0) {
      throw new RangeError(`fault rates: '${part}' is not name=value (e.g. 5xx=0.03)`);
    }
    const key = BY_CLI_NAME.get(name);
    if (key === undefined) {
      throw new RangeError(
        `fault rates: unknown name '${name}' in '${part}' (known: ${Object.values(CLI_NAMES).join(', ')})`,
      );
    }
    if (key in rates) throw new RangeError(`fault rates: '${name}' is given twice`);
    rates[key] = key === 'methods' ? value.split('+').map((method) => method.trim()) : numberIn(part, value);
  }
  return checkFaultRates(rates as FaultRates, (key) => CLI_NAMES[key]);
}

function numberIn(part: string, value: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) {
    throw new RangeError(`fault rates: '${value}' in '${part}' is not a number`);
  }
  return Number(value);
}
