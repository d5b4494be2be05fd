import type { HttpOptions } from './http.ts';
import type { TargetProfile } from './profiles.ts';
import type { TargetAdapter } from './target.ts';

/** Where a target is and the credentials it takes, for its adapter. */
export interface TargetConnection extends HttpOptions {
  baseUrl: string;
  apiKey: string;
  /** ActuallyCare: a signed-in session token (JWT), the only credential its contacts take. */
  sessionToken?: string;
  /** How the credentials are named where the user sets them (environment variables), for messages. */
  credentialNames?: { apiKey?: string; sessionToken?: string };
}

/**
 * One target, in one folder (`lib/targets/<name>/`): what the pipeline knows of it without talking to it
 * (its profile: entities, limits, file names, fields, what is assumed and the variants of it the sandbox
 * plays), and the adapter that speaks its API. `index.ts` lists them.
 */
export interface TargetDefinition {
  profile: TargetProfile;
  adapter: (connection: TargetConnection) => TargetAdapter;
}
