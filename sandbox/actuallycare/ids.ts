import { randomBytes } from 'node:crypto';

/**
 * Record ids shaped like ActuallyCare's: a per-resource prefix plus 20 random base32 characters
 * (RFC 4648 alphabet, lower case). Clients must treat them as opaque; the prefix only helps a person
 * reading a log tell a lead from a client.
 */

export const RESOURCES = ['leads', 'clients', 'contacts', 'escrows'] as const;
export type Resource = (typeof RESOURCES)[number];

export const isResource = (value: string): value is Resource =>
  (RESOURCES as readonly string[]).includes(value);

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const PREFIX: Record<Resource, string> = {
  leads: 'lead_',
  clients: 'cli_',
  contacts: 'con_',
  escrows: 'esc_',
};

export class IdFactory {
  private readonly issued = new Set<string>();

  next(resource: Resource): string {
    for (;;) {
      // 256 is a multiple of 32, so `byte % 32` is uniform.
      const id = PREFIX[resource] + [...randomBytes(20)].map((byte) => BASE32[byte % 32]).join('');
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}
