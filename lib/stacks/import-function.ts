import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeRuntime } from './acknowledged.ts';

export const FUNCTION_FOLDERS = [
  'split',
  'workspace',
  'dedupe',
  'create-batch',
  'link',
  'report',
  'start',
  'retry',
] as const;
export type FunctionFolder = (typeof FUNCTION_FOLDERS)[number];

/**
 * Split's memory: 1,769 MB is where Lambda gives a function one whole vCPU, and split is the one function
 * bound by CPU (it reads every row of the file once): at 1,024 MB it has 0.58 of a vCPU and would take
 * 1.7 times as long. A second of it costs about $0.000024 (arm64).
 */
export const SPLIT_MEMORY_MB = 1769;

/**
 * Split allocates fast (a row object a record) and keeps little. A small young generation makes V8
 * collect it sooner instead of growing the heap; an old generation capped well under the function's
 * memory makes V8 size its first full collection to that, not to the machine's memory (on a large
 * machine the first came only after ~60 MB of garbage). Together they keep split's peak memory near
 * 200 MB at a million rows. The benchmark runs split with the same options.
 */
export const SPLIT_NODE_OPTIONS = '--max-semi-space-size=4 --max-old-space-size=1024';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const handlerEntry = (folder: FunctionFolder): string =>
  fileURLToPath(new URL(`../../functions/${folder}/handler.ts`, import.meta.url));

export interface ImportFunctionProps {
  /** The folder under functions/ whose handler.ts exports `handler`. */
  folder: FunctionFolder;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
}

/**
 * One Lambda per functions/<folder>/handler.ts, bundled by the local esbuild as ESM for Node 22 on
 * Graviton, with its own log group so retention is ours to set.
 */
export class ImportFunction extends NodejsFunction {
  readonly folder: FunctionFolder;

  constructor(scope: Construct, id: string, props: ImportFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write only its own log group (the managed AWSLambdaBasicExecutionRole
    // would let it create and write any log group in the account).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `crm-import ${props.folder}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: handlerEntry(props.folder),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'crm-import',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // CJS dependencies call require(); an ESM bundle has none unless we make one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Bundle the AWS SDK too: the runtime's copy is unpinned and need not include @aws-sdk/lib-storage.
        externalModules: [],
      },
    });
    this.folder = props.folder;
    acknowledgeRuntime(this);
  }
}
