import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag (AwsSolutions) findings this stack keeps on purpose, each with its reason, acknowledged
 * on the construct it concerns (never stack-wide), so that any new finding fails `cdk synth` and the
 * CDK tests.
 */

/** The actions CDK's bucket grants expand to: families, not one action (`s3:GetObject*`…). */
const GRANT_ACTIONS = {
  read: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
  readWrite: ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'],
} as const;

const acknowledge = (scope: IConstruct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });

/**
 * Grants `grantee` read (or read and write) on the keys under `prefix` (ending in `*`), and acknowledges
 * the wildcards that takes: every job writes thousands of objects under its own keys (jobs/<job>/…),
 * unknown at deploy time, so the grant is on the prefix; the action families are what CDK's grantRead
 * and grantReadWrite give.
 */
export function grantPrefix(
  bucket: IBucket,
  grantee: IGrantable,
  prefix: string,
  access: 'read' | 'readWrite',
): void {
  if (access === 'read') bucket.grantRead(grantee, prefix);
  else bucket.grantReadWrite(grantee, prefix);
  const reason = `CDK bucket grant limited to ${prefix}: the keys under it are made per job, not known at deploy time.`;
  // The finding is on the policy of the role the grant lands on.
  const role = grantee.grantPrincipal as unknown as IConstruct;
  // Only the families this grant gives: a read grant must not cover a later wildcard delete.
  for (const action of GRANT_ACTIONS[access]) acknowledge(role, `IAM5[Action::${action}]`, reason);
  const bucketArn = `<${Stack.of(bucket).resolve((bucket.node.defaultChild as CfnElement).logicalId)}.Arn>`;
  acknowledge(role, `IAM5[Resource::${bucketArn}/${prefix}]`, reason);
}

/** The Lambda runtime is the Node the project pins and tests on, not the newest Lambda offers. */
export function acknowledgeRuntime(fn: IConstruct): void {
  acknowledge(
    fn,
    'L1',
    'nodejs22.x on purpose: the project pins and tests Node 22 (the node@22 dev-dependency); the Lambda ' +
      'runtime moves with that pin, not ahead of it.',
  );
}

/** The API key is a vendor's: only its own console can issue a new one. */
export function acknowledgeVendorSecret(secret: IConstruct): void {
  acknowledge(
    secret,
    'SMG4',
    'A third-party CRM API key: it can only be rotated in the vendor console, then put into this secret.',
  );
}

/** The bucket that receives the import bucket's access logs does not log itself. */
export function acknowledgeAccessLogBucket(bucket: IConstruct): void {
  acknowledge(bucket, 'S1', 'This is the access-log bucket: logging its own log deliveries would loop.');
}

/** This queue is itself the dead-letter queue of the upload trigger. */
export function acknowledgeDeadLetterQueue(queue: IConstruct): void {
  acknowledge(
    queue,
    'SQS3',
    'This queue is the dead-letter queue: upload events that could not start a job.',
  );
}

/**
 * The state machine's role: CDK's Lambda invoke grant covers each function's qualified ARNs
 * (`<fn>:*`), and the log-delivery and X-Ray actions take no resource (`*`).
 */
export function acknowledgeStateMachineRole(role: IConstruct, functions: readonly IConstruct[]): void {
  acknowledge(
    role,
    'IAM5[Resource::*]',
    'CloudWatch Logs delivery (logs:*LogDelivery, Describe*) and X-Ray (PutTraceSegments…) actions support ' +
      'no resource-level permissions.',
  );
  for (const fn of functions) acknowledgeInvokeVersions(role, fn);
}

/** A grant to invoke `fn` covers its versions and aliases too (`<fn>:*`), as CDK's invoke grants do. */
export function acknowledgeInvokeVersions(grantee: IConstruct, fn: IConstruct): void {
  const logicalId = Stack.of(fn).resolve((fn.node.defaultChild as CfnElement).logicalId);
  acknowledge(
    grantee,
    `IAM5[Resource::<${logicalId}.Arn>:*]`,
    'lambda:InvokeFunction on this one function, its versions and aliases included.',
  );
}
