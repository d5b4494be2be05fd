import { Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { type RecordEntity, STAGE_LABEL } from '#domain/entities.ts';
import { HISTORY_EVENTS } from '#domain/execution-history.ts';
import type { Stage } from '#domain/job-state.ts';

export interface ImportFunctions {
  split: IFunction;
  workspace: IFunction;
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
  /** The state machine's name; fixed so it can start itself without a reference to its own ARN. */
  stateMachineName?: string;
}

/** The names the console shows: the execution view reads as a story. */
export const STATE_NAMES = {
  split: 'Split CSV into batches',
  splitCheck: 'Is the split complete?',
  workspace: {
    task: 'Take the workspace',
    check: 'Is the workspace ours?',
    wait: 'Wait for the workspace',
  },
  dedupe: {
    task: 'Build dedupe index',
    check: 'Is the dedupe index complete?',
    wait: 'Wait for rate limit (dedupe)',
  },
  link: { task: 'Link people to deals', check: 'Are all links made?', wait: 'Wait for rate limit (links)' },
  resume: 'Where does this import resume?',
  continueAsNew: {
    count: "Count the next execution's events afresh",
    task: 'Continue in a new execution',
    done: 'Continued in a new execution',
  },
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
 * split (looping while a big file takes more than one Task) -> the workspace's lease (a loop that waits
 * while another job holds it) -> dedupe index (paced loop) -> one paced
 * create stage per entity -> link (paced loop) -> report.
 * Every paced loop is Task -> Choice -> Wait(SecondsPath) -> Task: the functions spend the rate budget and say how
 * long to wait, so no Lambda ever sleeps. Every Task is caught by a report-writing state before the
 * execution fails, so a failed job still leaves a report behind.
 *
 * The history of one execution is capped at 25,000 events. Each Task counts its pass into
 * `$.history.events`; a loop's Choice that finds the count at `$.history.limit` starts this state machine
 * again with the state (cursor, counts) under the name `<job>-<n>` and ends. The new execution's first
 * state routes it by `$.stage` to the loop it left; fresh input (no stage) starts at split.
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

    // State machine names are at most 80 characters; stack names may be longer.
    const stateMachineName = props.stateMachineName ?? `${Stack.of(this).stackName.slice(0, 73)}-import`;
    const continueAsNew = this.continueAsNew(stateMachineName, failureReport);
    const historyFull = sfn.Condition.numberGreaterThanEqualsJsonPath('$.history.events', '$.history.limit');
    const resumable: [Stage, sfn.IChainable][] = [];

    const pacedLoop = (
      stage: Stage,
      names: { task: string; check: string; wait: string },
      fn: IFunction,
      next: sfn.IChainable,
      payload?: sfn.TaskInput,
    ): sfn.IChainable => {
      const task = caught(invoke(names.task, fn, payload));
      const wait = new sfn.Wait(this, names.wait, { time: sfn.WaitTime.secondsPath('$.wait.seconds') });
      const check = new sfn.Choice(this, names.check)
        .when(sfn.Condition.booleanEquals('$.done', true), next)
        .when(historyFull, continueAsNew)
        .otherwise(wait.next(task));
      resumable.push([stage, task]);
      return task.next(check);
    };

    const finished = caught(invoke(STATE_NAMES.report, functions.report)).next(
      new sfn.Succeed(this, STATE_NAMES.succeeded),
    );
    let next: sfn.IChainable =
      props.links === false ? finished : pacedLoop('link', STATE_NAMES.link, functions.link, finished);
    for (const entity of [...props.entities].reverse()) {
      const payload = sfn.TaskInput.fromObject({ entity, 'state.$': '$' });
      next = pacedLoop(entity, createStateNames(entity), functions.createBatch, next, payload);
    }
    next = pacedLoop('dedupe', STATE_NAMES.dedupe, functions.dedupe, next);
    // One job at a time writes into a workspace: the next one waits here until the lease is free, so its
    // dedupe snapshot sees what the one before created. Split needs no workspace and runs meanwhile.
    next = pacedLoop('workspace', STATE_NAMES.workspace, functions.workspace, next);
    // A big file takes several split Tasks, each resuming from the cursor the last one returned. No Wait:
    // split makes no API calls, so there is no rate to wait for.
    const splitTask = caught(invoke(STATE_NAMES.split, functions.split));
    const start = splitTask.next(
      new sfn.Choice(this, STATE_NAMES.splitCheck)
        .when(sfn.Condition.booleanEquals('$.done', true), next)
        .when(historyFull, continueAsNew)
        .otherwise(splitTask),
    );
    resumable.push(['split', splitTask]);
    // Fresh input has no stage, so the first rule sends it to split before any rule reads `$.stage`. (Not
    // IsPresent rather than IsPresent false: aws-local-stepfunctions 3.0 never matches the latter.)
    const fresh = sfn.Condition.not(sfn.Condition.isPresent('$.stage'));
    const resume = new sfn.Choice(this, STATE_NAMES.resume).when(fresh, start);
    for (const [stage, task] of resumable) resume.when(sfn.Condition.stringEquals('$.stage', stage), task);
    resume.otherwise(start);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      definitionBody: sfn.DefinitionBody.fromChainable(resume),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'crm-import: split, dedupe, create stage by stage at the API rate limit, link, report',
      logs: props.logs,
      tracingEnabled: props.tracingEnabled,
    });
  }

  /**
   * Hand the import to a new execution of this state machine: the state goes as its input with the event
   * count started afresh, under the name `<job>-<n>`, so a retried StartExecution starts nothing twice.
   * The ARN is built from the fixed name: referring to the state machine itself would be a cycle.
   */
  private continueAsNew(stateMachineName: string, failureReport: sfn.IChainable): sfn.IChainable {
    const count = new sfn.Pass(this, STATE_NAMES.continueAsNew.count, {
      parameters: {
        events: HISTORY_EVENTS.start,
        'limit.$': '$.history.limit',
        execution: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.history.execution'), 1),
      },
      resultPath: '$.history',
    });
    const start = new tasks.StepFunctionsStartExecution(this, STATE_NAMES.continueAsNew.task, {
      stateMachine: sfn.StateMachine.fromStateMachineName(this, 'Self', stateMachineName),
      input: sfn.TaskInput.fromJsonPathAt('$'),
      name: sfn.JsonPath.format(
        '{}-{}',
        sfn.JsonPath.stringAt('$.jobId'),
        sfn.JsonPath.stringAt('$.history.execution'),
      ),
      resultSelector: { 'executionArn.$': '$.ExecutionArn' },
      resultPath: '$.continuedIn',
    });
    const done = new sfn.Succeed(this, STATE_NAMES.continueAsNew.done);
    // A name that is taken stays taken: that one error is not worth a retry.
    start.addRetry({ errors: ['StepFunctions.ExecutionAlreadyExistsException'], maxAttempts: 0 });
    start.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });
    // The successor exists already (a retry after a lost answer): this execution's work is handed over.
    start.addCatch(done, {
      errors: ['StepFunctions.ExecutionAlreadyExistsException'],
      resultPath: '$.error',
    });
    start.addCatch(failureReport, { errors: ['States.ALL'], resultPath: '$.error' });
    return count.next(start).next(done);
  }
}
