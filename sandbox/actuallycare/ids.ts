import { randomUUID } from 'node:crypto';

/**
 * The resources the sandbox serves and their record ids. Ids are UUIDs, as in the clients list example
 * (C5: "id (UUID)"); clients must treat them as opaque.
 */

export const RESOURCES = ['leads', 'clients', 'contacts', 'escrows'] as const;
export type Resource = (typeof RESOURCES)[number];

export const isResource = (value: string): value is Resource =>
  (RESOURCES as readonly string[]).includes(value);

/** The key a wrapped single-record answer uses (`data.client`, variant `created=wrapped`, E5). */
export const SINGULAR: Record<Resource, string> = {
  leads: 'lead',
  clients: 'client',
  contacts: 'contact',
  escrows: 'escrow',
};

export const newId = (): string => randomUUID();
