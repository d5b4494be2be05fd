import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { FUNCTION_FOLDERS, type FunctionFolder } from '#stacks/import-function.ts';
import { ImportStack } from '#stacks/import-stack.ts';
import { unbundledApp } from '#stacks/unbundled-app.ts';
import type { TargetName } from '#targets/target.ts';
import { arn, functionNameOf, PLACEHOLDER } from './task-resources.ts';

/**
 * The state machine the local runtime executes is the one `cdk deploy` would: synthesized from
 * ImportStack, with CloudFormation tokens (function ARNs, pseudo parameters) replaced by placeholders.
 */
export type StateMachineDefinitionJson = StateMachineDefinition;

export { executionArn, isStartExecution, PLACEHOLDER } from './task-resources.ts';

export class DefinitionExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefinitionExtractionError';
  }
}

interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
interface CfnTemplate {
  Resources?: Record<string, TemplateResource>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': PLACEHOLDER.region,
  'AWS::AccountId': PLACEHOLDER.account,
  'AWS::Partition': PLACEHOLDER.partition,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'CrmImport',
};

/** What Ref / Fn::GetAtt would return for a resource, with a readable name in place of the real one. */
const placeholderFor = (resource: TemplateResource | undefined, name: string, attribute?: string): string => {
  switch (resource?.Type) {
    case 'AWS::Lambda::Function':
      return attribute === undefined ? name : arn('lambda', `function:${name}`);
    case 'AWS::StepFunctions::StateMachine':
      return attribute === 'Name' ? name : arn('states', `stateMachine:${name}`);
    default: {
      const service = resource?.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return attribute === undefined ? name : arn(service, name);
    }
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const resolver = (template: CfnTemplate, names: Record<string, string>) => {
  const resources = template.Resources ?? {};
  const ref = (logicalId: string, attribute?: string): string =>
    PSEUDO[logicalId] ?? placeholderFor(resources[logicalId], names[logicalId] ?? logicalId, attribute);

  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (isRecord(value)) {
      if (typeof value.Ref === 'string') return ref(value.Ref);
      const getAtt = value['Fn::GetAtt'];
      if (getAtt !== undefined) {
        const [logicalId, attribute] = typeof getAtt === 'string' ? getAtt.split('.') : (getAtt as string[]);
        if (logicalId) return ref(logicalId, attribute ?? 'Arn');
      }
      const join = value['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
        return join[1].map(resolve).join(join[0]);
      }
      const sub = value['Fn::Sub'];
      if (typeof sub === 'string') {
        return sub.replace(/\$\{([^}.]+)(?:\.([^}]+))?\}/g, (_, id: string, attribute?: string) =>
          ref(id, attribute),
        );
      }
    }
    throw new DefinitionExtractionError(
      `Cannot resolve ${JSON.stringify(value)} in the state machine definition`,
    );
  };
  return resolve;
};

/** The local interpreter speaks JSONPath only; a JSONata state would silently do the wrong thing. */
const assertJsonPathOnly = (definition: Record<string, unknown>): void => {
  const text = JSON.stringify(definition);
  if (/"QueryLanguage":"JSONata"|"Assign":|"Arguments":|"Output":/.test(text)) {
    throw new DefinitionExtractionError(
      'The state machine uses JSONata or Variables, which the local runtime cannot run',
    );
  }
};

/**
 * The pure part: takes a synthesized template, finds its one state machine and returns the parsed ASL.
 * `names` maps logical ids to the names placeholders should carry (e.g. a function's folder).
 */
export function extractDefinition(
  template: object,
  names: Record<string, string> = {},
): StateMachineDefinitionJson {
  const resources = (template as CfnTemplate).Resources ?? {};
  const machines = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const [machine] = machines;
  if (machines.length !== 1 || machine === undefined) {
    throw new DefinitionExtractionError(
      `Expected one state machine in the template, found ${machines.length}`,
    );
  }
  const resolve = resolver(template as CfnTemplate, names);
  const raw = machine.Properties?.DefinitionString;
  if (raw === undefined) throw new DefinitionExtractionError('The state machine has no DefinitionString');
  const definition: unknown = JSON.parse(resolve(raw));
  if (!isRecord(definition) || !isRecord(definition.States) || typeof definition.StartAt !== 'string') {
    throw new DefinitionExtractionError('The state machine definition has no StartAt/States');
  }
  assertJsonPathOnly(definition);
  return definition as unknown as StateMachineDefinitionJson;
}

/** Which functions/<folder> a Task's placeholder Resource stands for, so the runtime can bind it. */
export const functionFolderOf = (resource: string): FunctionFolder | undefined => {
  const name = functionNameOf(resource);
  return FUNCTION_FOLDERS.find((folder) => folder === name);
};

const cache = new Map<TargetName, StateMachineDefinitionJson>();

/** Synthesizes ImportStack (no bundling) once per target and process and returns its definition. */
export function synthesizeDefinition(options: { target?: TargetName } = {}): StateMachineDefinitionJson {
  const target = options.target ?? 'clarify';
  let definition = cache.get(target);
  if (!definition) {
    const outdir = mkdtempSync(join(tmpdir(), 'crm-import-synth-'));
    const app = unbundledApp({ outdir });
    // The definition does not depend on the base URL; naming one keeps synth from warning about it.
    const stack = new ImportStack(app, 'CrmImport', { target, targetBaseUrl: 'http://127.0.0.1' });
    const names: Record<string, string> = {};
    for (const fn of Object.values(stack.functions)) {
      const logicalId: unknown = Stack.of(fn).resolve((fn.node.defaultChild as CfnFunction).logicalId);
      if (typeof logicalId === 'string') names[logicalId] = fn.folder;
    }
    try {
      definition = extractDefinition(app.synth().getStackByName(stack.stackName).template, names);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    cache.set(target, definition);
  }
  return structuredClone(definition);
}
