import type { CallKind } from '#domain/paced-calls.ts';
import { profileOf } from './profiles.ts';
import type { TargetName } from './target.ts';

/**
 * The endpoint class a kind of call spends from: each class the API counts apart has a budget of its own
 * at the full rate (the profile's `endpointClasses`); a kind not named there spends from the one budget.
 */
export const endpointClassOf = (target: TargetName, kind: CallKind): string =>
  profileOf(target).endpointClasses?.[kind] ?? 'all';
