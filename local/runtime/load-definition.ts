import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { TargetName } from '#targets/target.ts';

/**
 * The definitions the build synthesized from ImportStack at install time (bin/build-cli.ts puts them in
 * the bundle); absent when the CLI runs from its sources.
 */
declare const CRM_IMPORT_DEFINITIONS: Partial<Record<TargetName, StateMachineDefinition>> | undefined;

/**
 * The state machine `cdk deploy` would create, for the local runtime: the one synthesized when the CLI was
 * built (synthesizing loads the CDK and takes seconds), else synthesized now.
 */
export async function loadDefinition(target: TargetName): Promise<StateMachineDefinition> {
  const built = typeof CRM_IMPORT_DEFINITIONS === 'undefined' ? undefined : CRM_IMPORT_DEFINITIONS[target];
  if (built) return structuredClone(built);
  const { synthesizeDefinition } = await import('./definition.ts');
  return synthesizeDefinition({ target });
}
