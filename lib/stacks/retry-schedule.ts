import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeInvokeVersions, grantPrefix } from './acknowledged.ts';
import { ImportFunction } from './import-function.ts';
import { PREFIXES } from './stack-settings.ts';

export interface RetryScheduleProps {
  bucket: IBucket;
  stateMachine: StateMachine;
  intervalMinutes: number;
}

/**
 * EventBridge Scheduler runs the retry function every interval: it re-runs, through the same state
 * machine, the retryable and held rows of every job that is due. Jobs whose failures are all the data's
 * fault are never picked up; they wait for the user to fix failures.csv and drop it back in.
 */
export class RetrySchedule extends Construct {
  readonly function: ImportFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: RetryScheduleProps) {
    super(scope, id);
    this.function = new ImportFunction(this, 'Function', {
      folder: 'retry',
      description: 'Re-runs the retryable and held rows of jobs that are due',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {
        STATE_MACHINE_ARN: props.stateMachine.stateMachineArn,
        BUCKET_NAME: props.bucket.bucketName,
      },
    });
    props.stateMachine.grantStartExecution(this.function);
    grantPrefix(props.bucket, this.function, `${PREFIXES.retries}*`, 'readWrite');
    grantPrefix(props.bucket, this.function, `${PREFIXES.jobs}*`, 'readWrite');
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'crm-import: the schedule that invokes the re-run function',
    });
    acknowledgeInvokeVersions(schedulerRole, this.function);
    this.schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.rate(Duration.minutes(props.intervalMinutes)),
      target: new LambdaInvoke(this.function, {
        role: schedulerRole,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(10),
      }),
      description: "crm-import: re-run failures that were not the data's fault",
    });
  }
}
