import { ClarifyAdapter } from './clarify/adapter.ts';
import type { HttpOptions } from './http.ts';
import type { TargetAdapter, TargetName } from './target.ts';

export interface TargetConnection extends HttpOptions {
  baseUrl: string;
  apiKey: string;
}

export function createTarget(name: TargetName, connection: TargetConnection): TargetAdapter {
  switch (name) {
    case 'clarify':
      return new ClarifyAdapter(connection);
  }
}

/** Default rate limits per target, when none is configured (Clarify does not document one). */
export const DEFAULT_RATE: Record<TargetName, string> = { clarify: '100/10' };
