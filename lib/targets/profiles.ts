import type { ColumnRole } from '#domain/columns.ts';
import type { Entity, RecordEntity } from '#domain/entities.ts';
import type { FieldLimits } from '#domain/field-limits.ts';
import type { CallKind } from '#domain/paced-calls.ts';
import type { Enums } from '#domain/value-maps.ts';
import { TARGET_NAMES, TARGETS, type TargetName } from './index.ts';

/**
 * What the pipeline needs to know about a target without talking to it: its record entities in
 * dependency order, which entity each one points at, whether it links people to deals, how many records
 * one create carries, its default rate limit, and what its users' file names mean.
 */
export interface TargetProfile {
  name: TargetName;
  /** The target as a person writes it: Clarify, ActuallyCare. */
  label: string;
  entities: readonly RecordEntity[];
  /** The record another entity references (people and deals point at a company; escrows at a client). */
  parents: Partial<Record<RecordEntity, RecordEntity>>;
  links: boolean;
  maxBatch: number;
  defaultRate: string;
  /** Entity of a file from its name (without folder and extension, lower-cased, separators as spaces). */
  fileNames: Record<string, Entity>;
  /** Entities a mixed file's type column can name (ActuallyCare exports mix leads, clients and contacts). */
  rowTypes: readonly RecordEntity[];
  /** Whether created records carry the import marker (in a field the adapter chooses: ActuallyCare's `source`). */
  marker: boolean;
  /**
   * Case-sensitive vocabularies known before the job starts: matched at split. Clarify declares its own
   * per workspace (`GET /schemas`), so it has none here: they are learned before the first write.
   */
  enums?: Enums;
  /** What the API's rate limit counts by: the budget is shared by everything that counts the same. */
  rateScope: 'ip' | 'workspace';
  /**
   * What the references do not settle, each with the value chosen, why, and its fact id in
   * `shared/contracts/`. The README lists them; `crm-import check` settles what a request can.
   */
  assumptions: readonly { what: string; chosen: string; facts: string }[];
  /**
   * Where the references conflict or are silent, the candidates, the first of each the one assumed: the
   * names of the target's sandbox variants (`--variant name=value`), which the pipeline's tests pass
   * against one by one. Their simulation is the sandbox's, under `sandbox/<target>/`.
   */
  variants: Readonly<Record<string, readonly string[]>>;
  /** The endpoint classes the API counts apart, each with a budget of its own; a kind not named: `all`. */
  endpointClasses?: Partial<Record<CallKind, string>>;
  /** Account names that stand for "no company" in exports: not created, their people left unlinked. */
  catchAllAccounts?: readonly string[];
  /** The longest value each field takes, by role (`*`: any other); the manifest's `fieldLimits` win. */
  fieldLimits: FieldLimits;
  /**
   * The target's field each role's values go into, per entity, as the mapping preview names it. A role
   * not listed here is not imported: the target has no such field (per `shared/contracts/`).
   */
  fields: Partial<Record<Entity, Partial<Record<ColumnRole, string>>>>;
  /** Roles whose values name another row of the job (or of the target), and the entity they name. */
  references: Partial<Record<Entity, Partial<Record<ColumnRole, RecordEntity>>>>;
}

/** Every target's profile, by name. */
export const PROFILES = Object.fromEntries(
  TARGET_NAMES.map((name) => [name, TARGETS[name].profile]),
) as Record<TargetName, TargetProfile>;

export const profileOf = (target: TargetName): TargetProfile => TARGETS[target].profile;
