import { ActuallyCareAdapter } from './actuallycare/adapter.ts';
import { ClarifyAdapter } from './clarify/adapter.ts';
import type { HttpOptions } from './http.ts';
import type { TargetAdapter, TargetName } from './target.ts';

export interface TargetConnection extends HttpOptions {
  baseUrl: string;
  apiKey: string;
}

export function createTarget(name: TargetName, connection: TargetConnection): TargetAdapter {
  return name === 'clarify' ? new ClarifyAdapter(connection) : new ActuallyCareAdapter(connection);
}
