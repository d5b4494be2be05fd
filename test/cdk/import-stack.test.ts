import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractDefinition } from '#runtime/definition.ts';
import { FUNCTION_FOLDERS, type FunctionFolder } from '#stacks/import-function.ts';
import { ImportStack } from '#stacks/import-stack.ts';
import { unbundledApp } from '#stacks/unbundled-app.ts';
import { jobKeys, pendingRetryKey } from '#storage/job-keys.ts';

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const PIPELINE: FunctionFolder[] = ['split', 'workspace', 'dedupe', 'create-batch', 'link', 'report'];
const BASE_URL = 'https://api.clarify.ai/v1/workspaces/ws_test';

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('ImportStack', () => {
  let stack: ImportStack;
  let template: Template;
  let ids: { bucket: string; secret: string; stateMachine: string; table: string } & Record<
    FunctionFolder,
    string
  >;

  const logicalIdOf = (construct: IConstruct): string =>
    stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;

  const fn = (folder: FunctionFolder): Json => {
    const resource = template.toJSON().Resources[ids[folder]] as { Properties: Json };
    return resource.Properties;
  };
  const env = (folder: FunctionFolder) => (fn(folder).Environment as { Variables: Json }).Variables;

  /** Every statement of every policy attached to the function's role. */
  const statementsOf = (folder: FunctionFolder): Statement[] => {
    const role = logicalIdOf(stack.functions[folder].role!);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  };

  /** The object-key patterns (e.g. '/jobs/*') an s3 action is allowed on for a function. */
  const s3KeysFor = (folder: FunctionFolder, action: string): string[] =>
    statementsOf(folder)
      .filter((s) => s.Effect === 'Allow' && asArray(s.Action).some((a) => a === action))
      .flatMap((s) => asArray(s.Resource))
      .map((resource) => JSON.stringify(resource).match(/"(\/[^"]*)"/)?.[1])
      .filter((key): key is string => key !== undefined)
      .sort();

  const actionsOf = (folder: FunctionFolder): string[] =>
    statementsOf(folder).flatMap((s) => asArray(s.Action));

  beforeAll(() => {
    // Prepare
    const app = unbundledApp();

    // Act
    stack = new ImportStack(app, 'Test', { target: 'clarify', targetBaseUrl: BASE_URL });
    template = Template.fromStack(stack);
    ids = {
      bucket: logicalIdOf(stack.bucket),
      secret: logicalIdOf(stack.apiKey),
      stateMachine: logicalIdOf(stack.stateMachine),
      table: logicalIdOf(stack.coordinator.table),
      ...(Object.fromEntries(
        FUNCTION_FOLDERS.map((folder) => [folder, logicalIdOf(stack.functions[folder])]),
      ) as Record<FunctionFolder, string>),
    };
  });

  it('keeps the bucket private, encrypted, versioned, retained, access-logged and wired to EventBridge', () => {
    // Assess: the import bucket and the bucket of its access logs
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: Match.anyValue() } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'import-bucket/' },
      },
    });
  });

  it('expires working files and old versions but keeps imports and reports', () => {
    // Assess
    const rules = template.findResources('AWS::S3::Bucket')[ids.bucket]?.Properties.LifecycleConfiguration
      .Rules as Json[];
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'jobs/', ExpirationInDays: 30, Status: 'Enabled' }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
    );
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined).map((rule) => rule.Prefix);
    expect(expiring).toEqual(['jobs/']);
  });

  it('denies every request to the bucket that is not over TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('starts a job for objects created under the imports prefix of this bucket only', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: ids.bucket }] }, object: { key: [{ prefix: 'imports/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [ids.start, 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        }),
      ],
    });
  });

  it('keeps undeliverable upload events in an encrypted dead-letter queue', () => {
    // Assess
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(1);
    const [queueId, queue] = Object.entries(queues)[0]!;
    expect(queue.Properties.SqsManagedSseEnabled ?? queue.Properties.KmsMasterKeyId).toBeTruthy();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.start },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('paces every loop with a Wait on $.wait.seconds and catches every Task into the failure report', () => {
    // Act
    const definition = extractDefinition(template.toJSON());
    const states = Object.entries((definition as { States: object }).States as Record<string, Json>);

    // Assess
    const waits = states.filter(([, state]) => state.Type === 'Wait');
    expect(waits.length).toBeGreaterThanOrEqual(5);
    for (const [, wait] of waits) expect(wait.SecondsPath).toBe('$.wait.seconds');
    const tasks = states.filter(
      ([name, state]) => state.Type === 'Task' && name !== 'Write the failure report',
    );
    expect(tasks.length).toBeGreaterThanOrEqual(6);
    for (const [, task] of tasks) {
      expect(task.Catch).toContainEqual(
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Write the failure report' }),
      );
    }
  });

  it('logs every transition without execution data, and traces with X-Ray', () => {
    // Assess
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('runs every Lambda on Node.js 22 (no helper functions on other runtimes)', () => {
    // Assess
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(FUNCTION_FOLDERS.length);
    for (const { Properties } of functions) {
      expect(Properties.Runtime).toBe('nodejs22.x');
      expect(Properties.Architectures).toEqual(['arm64']);
    }
  });

  it.each([
    ['split', 1769, 900],
    ['dedupe', 512, 120],
    ['create-batch', 512, 120],
    ['link', 512, 120],
    ['workspace', 256, 30],
    ['report', 2048, 300],
    ['start', 256, 30],
  ] as const)('sizes %s at %i MB with a %i s timeout', (folder, memory, timeout) => {
    // Assess
    expect(fn(folder)).toMatchObject({ MemorySize: memory, Timeout: timeout });
  });

  it('gives every pipeline function the target configuration and only the secret ARN', () => {
    // Assess
    for (const folder of PIPELINE) {
      expect(env(folder)).toEqual({
        TABLE_NAME: { Ref: ids.table },
        TARGET: 'clarify',
        TARGET_BASE_URL: BASE_URL,
        API_KEY_SECRET_ARN: { Ref: ids.secret },
        RATE_LIMIT: '3000/60',
        IMPORTS_PREFIX: 'imports/',
        RETRY_BASE_MINUTES: '15',
        RETRY_MAX_ATTEMPTS: '5',
        POWERTOOLS_SERVICE_NAME: 'crm-import',
        // Split keeps a small young generation and a capped old one, so its memory stays flat (see SPLIT_NODE_OPTIONS).
        NODE_OPTIONS:
          folder === 'split'
            ? '--enable-source-maps --max-semi-space-size=4 --max-old-space-size=1024'
            : '--enable-source-maps',
      });
    }
    expect(env('start')).toEqual({
      STATE_MACHINE_ARN: { Ref: ids.stateMachine },
      IMPORTS_PREFIX: 'imports/',
      POWERTOOLS_SERVICE_NAME: 'crm-import',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('never puts a key in the template', () => {
    // Prepare
    const looksLikeCredential = (value: string) =>
      value.length >= 20 && /^[\w+=-]+$/.test(value) && /\d/.test(value) && /[a-z]/i.test(value);

    // Assess
    for (const { Properties } of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
      expect(Properties.SecretString).toBeUndefined();
      expect(Properties.GenerateSecretString).toBeDefined();
    }
    for (const folder of FUNCTION_FOLDERS) {
      for (const [name, value] of Object.entries(env(folder))) {
        if (/KEY|SECRET|TOKEN|PASSWORD/i.test(name)) {
          expect(name).toMatch(/_ARN$/);
          expect(value).toEqual({ Ref: ids.secret });
        }
        if (typeof value === 'string') expect(looksLikeCredential(value)).toBe(false);
      }
    }
  });

  it('lets only the API-calling functions read the secret', () => {
    // Assess
    for (const folder of ['dedupe', 'create-batch', 'link'] as const) {
      expect(statementsOf(folder)).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
          Resource: { Ref: ids.secret },
        }),
      );
    }
    for (const folder of ['split', 'workspace', 'report', 'start'] as const) {
      expect(actionsOf(folder).filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
    }
  });

  it('scopes each function to its own prefixes', () => {
    // Assess
    expect(s3KeysFor('split', 's3:GetObject*')).toEqual(['/imports/*', '/jobs/*', '/reports/*']);
    expect(s3KeysFor('split', 's3:PutObject')).toEqual(['/jobs/*']);
    for (const folder of ['dedupe', 'create-batch', 'link'] as const) {
      expect(s3KeysFor(folder, 's3:GetObject*')).toEqual(['/jobs/*']);
      expect(s3KeysFor(folder, 's3:PutObject')).toEqual(['/jobs/*']);
    }
    expect(s3KeysFor('workspace', 's3:GetObject*')).toEqual([]);
    expect(s3KeysFor('report', 's3:GetObject*')).toEqual([
      '/imports/*',
      '/jobs/*',
      '/reports/*',
      '/retries/*',
    ]);
    expect(s3KeysFor('report', 's3:PutObject')).toEqual(['/jobs/*', '/reports/*', '/retries/*']);
    expect(s3KeysFor('retry', 's3:GetObject*')).toEqual(['/jobs/*', '/retries/*']);
    expect(s3KeysFor('retry', 's3:PutObject')).toEqual(['/jobs/*', '/retries/*']);
    expect(s3KeysFor('start', 's3:GetObject*')).toEqual(['/imports/*']);
    expect(s3KeysFor('start', 's3:PutObject')).toEqual([]);
  });

  it('keeps the rate budgets and workspace leases in one on-demand, encrypted table whose items expire', () => {
    // Assess
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  it('lets each function touch only the coordinator items it uses, with only the actions it uses', () => {
    // Prepare: per function, its DynamoDB actions and the item keys they are limited to
    const dynamo = (folder: FunctionFolder) =>
      statementsOf(folder)
        .filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')))
        .map((s) => ({
          actions: asArray(s.Action).sort(),
          resource: s.Resource,
          keys: (s as unknown as { Condition?: Json }).Condition,
        }));
    const readWrite = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    const onItems = (...kinds: string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': kinds.map((kind) => `${kind}#*`) },
    });
    const table = { 'Fn::GetAtt': [ids.table, 'Arn'] };

    // Assess
    for (const folder of ['dedupe', 'create-batch', 'link'] as const)
      expect(dynamo(folder)).toEqual([
        { actions: readWrite, resource: table, keys: onItems('budget', 'lease') },
      ]);
    expect(dynamo('workspace')).toEqual([{ actions: readWrite, resource: table, keys: onItems('lease') }]);
    expect(dynamo('report')).toEqual([
      { actions: ['dynamodb:DeleteItem'], resource: table, keys: onItems('lease') },
    ]);
    for (const folder of ['split', 'start', 'retry'] as const) expect(dynamo(folder)).toEqual([]);
  });

  it('lets the report write every key it writes: its report, the re-run rows, the rows a stop left', () => {
    // Prepare
    const keys = jobKeys('job-1');
    const written = [
      ...Object.values(keys.report),
      keys.retryRows,
      keys.notAttempted('person'),
      pendingRetryKey('job-1'),
    ];
    const allowed = s3KeysFor('report', 's3:PutObject').map((pattern) =>
      pattern.replace(/^\//, '').replace(/\*$/, ''),
    );

    // Assess
    for (const key of written)
      expect(
        allowed.some((prefix) => key.startsWith(prefix)),
        key,
      ).toBe(true);
  });

  it('re-runs failures on an EventBridge Scheduler schedule that invokes the retry function', () => {
    // Assess
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(1);
    const schedule = schedules[0]?.Properties;
    expect(schedule.ScheduleExpression).toBe('rate(15 minutes)');
    expect(schedule.State).not.toBe('DISABLED');
    expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [ids.retry, 'Arn'] });
    expect(env('retry')).toMatchObject({
      STATE_MACHINE_ARN: { Ref: ids.stateMachine },
      BUCKET_NAME: { Ref: ids.bucket },
    });
    const starts = statementsOf('retry').filter((s) => asArray(s.Action).includes('states:StartExecution'));
    expect(starts).toEqual([expect.objectContaining({ Resource: { Ref: ids.stateMachine } })]);
  });

  it('takes the retry interval and cap from its settings', () => {
    // Act
    const other = Template.fromStack(
      new ImportStack(unbundledApp(), 'Retry', {
        target: 'clarify',
        targetBaseUrl: BASE_URL,
        retryIntervalMinutes: 30,
        retryMaxAttempts: 3,
      }),
    );

    // Assess
    const [schedule] = Object.values(other.findResources('AWS::Scheduler::Schedule'));
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(30 minutes)');
    const reportEnv = Object.values(other.findResources('AWS::Lambda::Function'))
      .map((f) => f.Properties.Environment?.Variables)
      .find((v) => v?.RETRY_MAX_ATTEMPTS);
    expect(reportEnv).toMatchObject({ RETRY_BASE_MINUTES: '30', RETRY_MAX_ATTEMPTS: '3' });
  });

  it('lets start start executions of this state machine only', () => {
    // Assess
    const starts = statementsOf('start').filter((s) => asArray(s.Action).includes('states:StartExecution'));
    expect(starts).toEqual([
      expect.objectContaining({ Effect: 'Allow', Resource: { Ref: ids.stateMachine } }),
    ]);
    for (const folder of PIPELINE) expect(actionsOf(folder)).not.toContain('states:StartExecution');
  });

  it('never allows an s3 action on every resource', () => {
    // Prepare
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );

    // Assess
    const s3Statements = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')));
    expect(s3Statements.length).toBeGreaterThan(0);
    for (const statement of s3Statements) {
      for (const resource of asArray(statement.Resource)) expect(resource).not.toBe('*');
    }
  });

  it('outputs what a user needs to start an import', () => {
    // Assess
    template.hasOutput('BucketName', { Value: { Ref: ids.bucket } });
    template.hasOutput('ImportsPrefix', { Value: 'imports/' });
    template.hasOutput('StateMachineArn', { Value: { Ref: ids.stateMachine } });
    template.hasOutput('ApiKeySecretArn', { Value: { Ref: ids.secret } });
    template.hasOutput('UploadExample', {
      Value: { 'Fn::Join': ['', ['aws s3 cp people.csv s3://', { Ref: ids.bucket }, '/imports/people.csv']] },
    });
  });
});
