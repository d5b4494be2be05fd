import { ActuallyCareAdapter } from './actuallycare/adapter.ts';
import { ClarifyAdapter } from './clarify/adapter.ts';
import type { HttpOptions } from './http.ts';
import type { TargetAdapter, TargetName } from './target.ts';

export interface TargetConnection extends HttpOptions {
  baseUrl: string;
  apiKey: string;
  /** ActuallyCare: a signed-in session token (JWT), the only credential its contacts take. */
  sessionToken?: string;
  /** How the credentials are named where the user sets them (environment variables), for messages. */
  credentialNames?: { apiKey?: string; sessionToken?: string };
}

export function createTarget(name: TargetName, connection: TargetConnection): TargetAdapter {
  return name === 'clarify' ? new ClarifyAdapter(connection) : new ActuallyCareAdapter(connection);
}
