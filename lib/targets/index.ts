import { ACTUALLYCARE } from './actuallycare/definition.ts';
import { CLARIFY } from './clarify/definition.ts';
import type { TargetConnection, TargetDefinition } from './definition.ts';
import type { TargetAdapter } from './target.ts';

/** The targets a job can import into. Adding one is a folder beside these (see definition.ts) and its line here. */
export const TARGET_NAMES = ['clarify', 'actuallycare'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const TARGETS: Record<TargetName, TargetDefinition> = {
  clarify: CLARIFY,
  actuallycare: ACTUALLYCARE,
};

/** The target's adapter, connected (the API key is read by then, never at import time). */
export const createTarget = (name: TargetName, connection: TargetConnection): TargetAdapter =>
  TARGETS[name].adapter(connection);
