import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { type RecordEntity, STAGE_LABEL } from '#domain/entities.ts';

export interface ImportFunctions {
  split: IFunction;
  dedupe: IFunction;
  createBatch: IFunction;
  link: IFunction;
  report: IFunction;
}

export interface ImportStateMachineProps {
  functions: ImportFunctions;
  /** Dependency order of the target's record stages (companies before people before deals). */
  entities: readonly RecordEntity[];
  /** Whether the target links people to deals (a link stage after the create stages). */
  links?: boolean;
  /** How long one Task may run; the functions stop early and hand back a cursor well inside it. */
  taskTimeout?: Duration;
  /** Execution logging (keep `includeExecutionData` off: state holds file names and counts, never keys). */
  logs?: sfn.LogOptions;
  tracingEnabled?: boolean;
}

/** The names the console shows: the execution view reads as a story. */
export const STATE_NAMES = {
  split: 'Split CSV into batches',
  splitCheck: 'Is the split complete?',
  dedupe: {
    task: 'Build dedupe index',
    check: 'Is the dedupe index complete?',
    wait: 'Wait for rate limit (dedupe)',
  },
  link: { task: 'Link people to deals', check: 'Are all links made?', wait: 'Wait for rate limit (links)' },
  report: 'Write the report',
  failureReport: 'Write the failure report',
  succeeded: 'Import finished',
  failed: 'Import failed',
} as const;

export const createStateNames = (entity: RecordEntity) => {
  const label = STAGE_LABEL[entity];
  return {
    task: `Create ${label}`,
    check: `Are all ${label} created?`,
    wait: `Wait for rate limit (${label})`,
  };
};

/**
 * split (looping while a big file takes more than one Task) -> dedupe index (paced loop) -> one paced
 * create stage per entity -> link (paced loop) -> report.
 * Every paced loop is Task -> Choice -> Wait(SecondsPath) -> Task: the functions spend the rate budget and say how
 * long to wait, so no Lambda ever sleeps. Every Task is caught by a report-writing state before the
 * execution fails, so a failed job still leaves a report behind.
 */
export class ImportStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ImportStateMachineProps) {
    super(scope, id);
    const { functions } = props;
    const taskTimeout = props.taskTimeout ?? Duration.minutes(15);

    const invoke = (name: string, fn: IFunction, payload?: sfn.TaskInput) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        payload,
        taskTimeout: sfn.Timeout.duration(taskTimeout),
      });

    const failed = new sfn.Fail(this, STATE_NAMES.failed, {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const failureReport = invoke(STATE_NAMES.failureReport, functions.report).next(failed);
    const caught = <T extends tasks.LambdaInvoke>(task: T): T => {
      task.addCatch(failureReport, { errors: ['States.ALL'], resultPath: '$.error' });
      return task;
    };

    const pacedLoop = (
      names: { task: string; check: string; wait: string },
      fn: IFunction,
      next: sfn.IChainable,
      payload?: sfn.TaskInput,
    ): sfn.IChainable => {
      const task = caught(invoke(names.task, fn, payload));
      const wait = new sfn.Wait(this, names.wait, { time: sfn.WaitTime.secondsPath('$.wait.seconds') });
      const check = new sfn.Choice(this, names.check)
        .when(sfn.Condition.booleanEquals('$.done', true), next)
        .otherwise(wait.next(task));
      return task.next(check);
    };

    const finished = caught(invoke(STATE_NAMES.report, functions.report)).next(
      new sfn.Succeed(this, STATE_NAMES.succeeded),
    );
    let next: sfn.IChainable =
      props.links === false ? finished : pacedLoop(STATE_NAMES.link, functions.link, finished);
    for (const entity of [...props.entities].reverse()) {
      const payload = sfn.TaskInput.fromObject({ entity, 'state.$': '$' });
      next = pacedLoop(createStateNames(entity), functions.createBatch, next, payload);
    }
    next = pacedLoop(STATE_NAMES.dedupe, functions.dedupe, next);
    // A big file takes several split Tasks, each resuming from the cursor the last one returned. No Wait:
    // split makes no API calls, so there is no rate to wait for.
    const splitTask = caught(invoke(STATE_NAMES.split, functions.split));
    const start = splitTask.next(
      new sfn.Choice(this, STATE_NAMES.splitCheck)
        .when(sfn.Condition.booleanEquals('$.done', true), next)
        .otherwise(splitTask),
    );

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'crm-import: split, dedupe, create stage by stage at the API rate limit, link, report',
      logs: props.logs,
      tracingEnabled: props.tracingEnabled,
    });
  }
}
