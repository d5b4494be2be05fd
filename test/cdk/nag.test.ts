import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ImportStack } from '#stacks/import-stack.ts';
import { unbundledApp } from '#stacks/unbundled-app.ts';

/** Every unacknowledged AwsSolutions finding in `stack`, as `rule at path`. */
const findings = (stack: Stack): string[] =>
  new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

describe('cdk-nag (AwsSolutions)', () => {
  it.each([
    ['clarify', 'https://api.clarify.ai/v1/workspaces/ws_test'],
    ['actuallycare', 'https://api.actuallycare.com/v1'],
  ] as const)('finds nothing unacknowledged in the %s stack', (target, targetBaseUrl) => {
    // Prepare
    const stack = new ImportStack(unbundledApp(), 'CrmImport', { target, targetBaseUrl });

    // Act
    const found = findings(stack);

    // Assess
    expect(found).toEqual([]);
  });

  it('fails on a new finding: an acknowledgement covers only the construct it was made on', () => {
    // Prepare: the stack plus a bucket with none of the settings the import bucket has
    const stack = new ImportStack(unbundledApp(), 'CrmImport', {
      target: 'clarify',
      targetBaseUrl: 'https://api.clarify.ai/v1/workspaces/ws_test',
    });
    new Bucket(stack, 'Careless');

    // Act
    const found = findings(stack);

    // Assess
    expect(found).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 at CrmImport/Careless/Resource',
        'AwsSolutions-S10 at CrmImport/Careless/Resource',
      ]),
    );
    expect(found.every((f) => f.includes('/Careless/'))).toBe(true);
  });

  it("acknowledges only what a grant gives: a read grant's role still answers for a wildcard delete", () => {
    // Prepare: start reads the imports; give it a delete on them besides
    const stack = new ImportStack(unbundledApp(), 'CrmImport', {
      target: 'clarify',
      targetBaseUrl: 'https://api.clarify.ai/v1/workspaces/ws_test',
    });
    stack.functions.start.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:DeleteObject*'],
        resources: [stack.bucket.arnForObjects('imports/*')],
      }),
    );

    // Act
    const found = findings(stack);

    // Assess
    expect(found).toEqual([
      'AwsSolutions-IAM5[Action::s3:DeleteObject*] at CrmImport/StartRole/DefaultPolicy/Resource',
    ]);
  });
});
