import { randomBytes } from 'node:crypto';

/**
 * Record ids shaped like Clarify's: a prefix plus 26 ULID characters (10 of time, 16 of randomness,
 * Crockford base32), so clients that check the shape see realistic values.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type ObjectType = 'company' | 'person' | 'deal';

const PREFIX: Record<ObjectType, string> = { company: 'com_', person: 'rec_', deal: 'rec_' };

function encodeTime(ms: number): string {
  let rest = ms;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomChars(count: number): string {
  return [...randomBytes(count)].map((byte) => CROCKFORD[byte % 32]).join('');
}

export class IdFactory {
  // People and deals share the `rec_` prefix, so uniqueness is checked across all objects.
  private readonly issued = new Set<string>();

  next(object: ObjectType, now: number = Date.now()): string {
    for (;;) {
      const id = `${PREFIX[object]}${encodeTime(now)}${randomChars(16)}`;
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}
