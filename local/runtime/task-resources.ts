/**
 * What the Resources of the extracted definition name, read without loading the CDK: the placeholders
 * tokens were resolved to, the functions Task states call, and the execution ARNs the runtime hands out.
 */

export const PLACEHOLDER = { region: 'us-east-1', account: '123456789012', partition: 'aws' } as const;

export const arn = (service: string, resource: string) =>
  `arn:${PLACEHOLDER.partition}:${service}:${PLACEHOLDER.region}:${PLACEHOLDER.account}:${resource}`;

/** The function a Task's placeholder Resource calls (its functions/<folder>), if it calls one. */
export const functionNameOf = (resource: string): string | undefined =>
  /:function:([^:]+)$/.exec(resource)?.[1];

/** A Task that starts an execution (the import continuing as new): bound to the runtime, not to a function. */
export const isStartExecution = (resource: string): boolean =>
  /^arn:[^:]+:states:::states:startExecution$/.test(resource);

/** The ARN an execution of the local state machine would have on AWS; its last part is the name. */
export const executionArn = (name: string) => arn('states', `execution:CrmImport:${name}`);
