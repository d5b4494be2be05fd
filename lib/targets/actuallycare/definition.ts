import type { TargetDefinition } from '../definition.ts';
import { ActuallyCareAdapter } from './adapter.ts';
import { ACTUALLYCARE_PROFILE } from './profile.ts';

/** ActuallyCare: leads, clients, contacts and escrows, one record a request, 500 requests per 15 minutes per IP. */
export const ACTUALLYCARE: TargetDefinition = {
  profile: ACTUALLYCARE_PROFILE,
  adapter: (connection) => new ActuallyCareAdapter(connection),
};
