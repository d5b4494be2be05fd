import { Duration } from 'aws-cdk-lib';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface UploadTriggerProps {
  bucket: IBucket;
  importsPrefix: string;
  /** The function that turns an uploaded object into an execution. */
  start: LambdaFn;
}

/**
 * S3 "Object Created" under the imports prefix -> start. An upload that could not start a job is never
 * dropped silently: whatever EventBridge could not deliver, and whatever start failed on after its
 * retries, lands in the dead-letter queue with the original event.
 */
export class UploadTrigger extends Construct {
  readonly rule: Rule;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: UploadTriggerProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.rule = new Rule(this, 'Rule', {
      description: `Starts an import for every object created under ${props.importsPrefix}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: Match.prefix(props.importsPrefix) },
        },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(props.start, {
        deadLetterQueue: this.deadLetters,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    );

    props.start.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetters),
    });
  }
}
