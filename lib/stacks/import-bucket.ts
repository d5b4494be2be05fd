import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeAccessLogBucket } from './acknowledged.ts';
import { PREFIXES } from './stack-settings.ts';

const WORKING_FILES_KEPT = Duration.days(30);
const ACCESS_LOGS_KEPT = Duration.days(365);

/**
 * The one bucket: uploads under the imports prefix, the pipeline's working files under jobs/ (expired),
 * the rate budget under budgets/, reports under reports/ (kept). Uploads reach EventBridge, which starts jobs.
 */
export const createImportBucket = (scope: Construct, id: string): Bucket => {
  // Who read or wrote which upload and report, kept a year; this bucket logs nothing of its own.
  const accessLogs = new Bucket(scope, `${id}AccessLogs`, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOGS_KEPT }],
  });
  acknowledgeAccessLogBucket(accessLogs);
  const bucket = new Bucket(scope, id, {
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'import-bucket/',
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'expire-noncurrent-versions',
        noncurrentVersionExpiration: WORKING_FILES_KEPT,
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      { id: 'expire-job-working-files', prefix: PREFIXES.jobs, expiration: WORKING_FILES_KEPT },
    ],
  });
  // The L2 `eventBridgeEnabled` deploys a custom-resource Lambda (Python, PutBucketNotification); the
  // bucket's own CloudFormation property does the same with no extra function or role.
  const cfnBucket = bucket.node.defaultChild as CfnBucket;
  cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  return bucket;
};
