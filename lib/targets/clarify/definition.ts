import type { TargetDefinition } from '../definition.ts';
import { ClarifyAdapter } from './adapter.ts';
import { CLARIFY_PROFILE } from './profile.ts';

/** Clarify: companies, people and deals, bulk creates of 25, the workspace learned from `GET /schemas`. */
export const CLARIFY: TargetDefinition = {
  profile: CLARIFY_PROFILE,
  adapter: (connection) => new ClarifyAdapter(connection),
};
