import type { CallKind } from '#domain/paced-calls.ts';
import type { TargetName } from './target.ts';

/**
 * The endpoint classes each API counts apart, each with a budget of its own at the full rate. A kind of
 * call not named here spends from the one budget (`all`).
 * - ActuallyCare: one limit for all of `/v1` per IP (actuallycare.md RL1, RL2): one budget.
 */
export const ENDPOINT_CLASSES: Record<TargetName, Partial<Record<CallKind, string>>> = {
  clarify: {},
  actuallycare: {},
};

export const endpointClassOf = (target: TargetName, kind: CallKind): string =>
  ENDPOINT_CLASSES[target][kind] ?? 'all';
