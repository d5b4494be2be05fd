import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { LogLevel, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PROFILES } from '#targets/profiles.ts';
import {
  acknowledgeDeadLetterQueue,
  acknowledgeStateMachineRole,
  acknowledgeVendorSecret,
  grantPrefix,
} from './acknowledged.ts';
import { CoordinatorTable } from './coordinator-table.ts';
import { createImportBucket } from './import-bucket.ts';
import {
  type FunctionFolder,
  ImportFunction,
  type ImportFunctionProps,
  SPLIT_MEMORY_MB,
  SPLIT_NODE_OPTIONS,
} from './import-function.ts';
import { ImportStateMachine } from './import-state-machine.ts';
import { RetrySchedule } from './retry-schedule.ts';
import { type ImportStackSettings, PREFIXES, resolveSettings } from './stack-settings.ts';
import { UploadTrigger } from './upload-trigger.ts';

export type ImportStackProps = StackProps & ImportStackSettings;

/** The longest Lambda timeout (split) plus a margin, so a Task only times out if Lambda itself hangs. */
const TASK_TIMEOUT = Duration.minutes(16);

/**
 * Everything `cdk deploy` creates: the bucket, the API-key secret, one function per pipeline step,
 * the state machine, and the rule that starts a job when a file lands under the imports prefix.
 */
export class ImportStack extends Stack {
  readonly bucket: Bucket;
  readonly apiKey: Secret;
  readonly coordinator: CoordinatorTable;
  readonly functions: Record<FunctionFolder, ImportFunction>;
  readonly stateMachine: StateMachine;
  readonly trigger: UploadTrigger;
  readonly retry: RetrySchedule;

  constructor(scope: Construct, id: string, props: ImportStackProps) {
    super(scope, id, {
      description: `crm-import: S3 drop -> Step Functions -> ${props.target} API`,
      ...props,
    });
    const settings = resolveSettings(props);
    if (settings.baseUrlIsPlaceholder) {
      Annotations.of(this).addWarningV2(
        'crm-import:baseUrl',
        `No target base URL given; deploying ${settings.targetBaseUrl}. Pass -c baseUrl=https://…`,
      );
    }

    this.bucket = createImportBucket(this, 'Bucket');
    // Generated placeholder: the real key is put in by hand, so it never appears in the template.
    this.apiKey = new Secret(this, 'ApiKey', {
      description:
        `API key for ${settings.target} used by crm-import. Replace the generated placeholder with ` +
        `your key: aws secretsmanager put-secret-value --secret-id <ApiKeySecretArn output> --secret-string "$API_KEY"` +
        (settings.target === 'actuallycare'
          ? `. For contacts, store JSON instead: {"apiKey": "...", "sessionToken": "<a signed-in session token>"}`
          : ''),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeVendorSecret(this.apiKey);

    // The rate budgets every job shares and the lease that gives a workspace to one job at a time.
    this.coordinator = new CoordinatorTable(this, 'Coordinator');

    const pipelineEnv = {
      TABLE_NAME: this.coordinator.table.tableName,
      TARGET: settings.target,
      TARGET_BASE_URL: settings.targetBaseUrl,
      API_KEY_SECRET_ARN: this.apiKey.secretArn,
      RATE_LIMIT: settings.rateLimit,
      IMPORTS_PREFIX: settings.importsPrefix,
      RETRY_BASE_MINUTES: String(settings.retryIntervalMinutes),
      RETRY_MAX_ATTEMPTS: String(settings.retryMaxAttempts),
    };
    const pipelineFunction = (
      id: string,
      props: Omit<ImportFunctionProps, 'environment'>,
      environment: Record<string, string> = {},
    ) => new ImportFunction(this, id, { ...props, environment: { ...pipelineEnv, ...environment } });
    const minutes = Duration.minutes;

    const split = pipelineFunction(
      'Split',
      {
        folder: 'split',
        description: 'Streams an upload into NDJSON batches',
        memorySize: SPLIT_MEMORY_MB,
        timeout: minutes(15),
      },
      { NODE_OPTIONS: `--enable-source-maps ${SPLIT_NODE_OPTIONS}` },
    );
    const dedupe = pipelineFunction('Dedupe', {
      folder: 'dedupe',
      description: 'Snapshots the records that already exist in the target, paced',
      memorySize: 512,
      timeout: minutes(2),
    });
    const createBatch = pipelineFunction('CreateBatch', {
      folder: 'create-batch',
      description: 'Creates one stage of records in the target, paced',
      memorySize: 512,
      timeout: minutes(2),
    });
    const workspace = pipelineFunction('Workspace', {
      folder: 'workspace',
      description: 'Takes the workspace for the job, or says which job holds it',
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    const link = pipelineFunction('Link', {
      folder: 'link',
      description: 'Links people to deals, paced',
      memorySize: 512,
      timeout: minutes(2),
    });
    // A file that fails wholesale (a million rows of an unknown entity) is a million failures in the
    // report: measured at about 1 GB locally, so twice that. It runs once a job, for seconds.
    const report = pipelineFunction('Report', {
      folder: 'report',
      description: 'Writes the summary and failures report',
      memorySize: 2048,
      timeout: minutes(5),
    });

    const imports = `${settings.importsPrefix}*`;
    const jobs = `${PREFIXES.jobs}*`;
    grantPrefix(this.bucket, split, imports, 'read');
    grantPrefix(this.bucket, split, jobs, 'readWrite');
    for (const fn of [dedupe, createBatch, link]) {
      grantPrefix(this.bucket, fn, jobs, 'readWrite');
      this.apiKey.grantRead(fn);
      // Each paced Task spends the shared budgets and renews the job's lease.
      this.coordinator.grant(fn, ['budget', 'lease'], 'readWrite');
    }
    this.coordinator.grant(workspace, ['lease'], 'readWrite');
    // The report gives the workspace up (only if this job holds it: the delete is conditional).
    this.coordinator.grant(report, ['lease'], 'release');
    // The report writes into the job too: the rows its re-run sends (retry-rows.ndjson) and the rows a
    // transient stop left unattempted (ledger/<entity>/not-attempted.json).
    grantPrefix(this.bucket, report, jobs, 'readWrite');
    grantPrefix(this.bucket, report, imports, 'read');
    // A re-run rewrites the original job's report and its retry marker.
    grantPrefix(this.bucket, report, `${PREFIXES.reports}*`, 'readWrite');
    grantPrefix(this.bucket, report, `${PREFIXES.retries}*`, 'readWrite');
    // A re-run's split reads the original job's failures.
    grantPrefix(this.bucket, split, `${PREFIXES.reports}*`, 'read');

    this.stateMachine = new ImportStateMachine(this, 'Pipeline', {
      functions: { split, workspace, dedupe, createBatch, link, report },
      entities: settings.entities,
      links: PROFILES[settings.target].links,
      taskTimeout: TASK_TIMEOUT,
      logs: {
        destination: new LogGroup(this, 'PipelineLogs', {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        // Every state transition is logged, its input and output never (they name files and counts,
        // never row data, but the rule stays: row data stays in the bucket).
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
      tracingEnabled: true,
    }).stateMachine;
    acknowledgeStateMachineRole(this.stateMachine.role, [
      split,
      workspace,
      dedupe,
      createBatch,
      link,
      report,
    ]);

    const start = new ImportFunction(this, 'Start', {
      folder: 'start',
      description: 'Starts an import execution for an uploaded file or manifest',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: {
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        IMPORTS_PREFIX: settings.importsPrefix,
      },
    });
    this.stateMachine.grantStartExecution(start);
    grantPrefix(this.bucket, start, imports, 'read');
    this.retry = new RetrySchedule(this, 'Retry', {
      bucket: this.bucket,
      stateMachine: this.stateMachine,
      intervalMinutes: settings.retryIntervalMinutes,
    });
    this.trigger = new UploadTrigger(this, 'UploadTrigger', {
      bucket: this.bucket,
      importsPrefix: settings.importsPrefix,
      start,
    });
    acknowledgeDeadLetterQueue(this.trigger.deadLetters);

    this.functions = {
      split,
      workspace,
      dedupe,
      'create-batch': createBatch,
      link,
      report,
      start,
      retry: this.retry.function,
    };
    this.addOutputs(settings.importsPrefix, settings.target);
  }

  private addOutputs(importsPrefix: string, target: string): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('BucketName', this.bucket.bucketName, 'Drop CSV exports here');
    output('ImportsPrefix', importsPrefix, 'Uploads under this prefix start an import');
    output('StateMachineArn', this.stateMachine.stateMachineArn, 'Watch executions in the console');
    output(
      'ApiKeySecretArn',
      this.apiKey.secretArn,
      target === 'actuallycare'
        ? 'Put the API key in this secret, or {"apiKey","sessionToken"} JSON for contacts'
        : 'Put the target API key in this secret',
    );
    output(
      'PutApiKeyCommand',
      `aws secretsmanager put-secret-value --secret-id ${this.apiKey.secretArn} --secret-string "$API_KEY"`,
      'Stores the API key (run once after the first deploy)',
    );
    output(
      'UploadExample',
      `aws s3 cp people.csv s3://${this.bucket.bucketName}/${importsPrefix}people.csv`,
      'Starts a one-file import; a folder with a manifest.json is a multi-file job',
    );
    output('ReportsLocation', `s3://${this.bucket.bucketName}/${PREFIXES.reports}`, 'Where reports land');
    output(
      'UndeliveredUploadsQueueUrl',
      this.trigger.deadLetters.queueUrl,
      'Upload events that could not start a job',
    );
  }
}
