import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { afterPass, firstExecutionHistory, HISTORY_EVENTS } from '#domain/execution-history.ts';
import type { JobState } from '#domain/job-state.ts';
import { extractDefinition, synthesizeDefinition } from '#runtime/definition.ts';
import { ImportStack } from '#stacks/import-stack.ts';
import { unbundledApp } from '#stacks/unbundled-app.ts';
import { collectEvents, historyEventCount } from '#view/history-events.ts';

type Json = Record<string, unknown>;
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<TaskHandlers[string]>[0];

const CONTINUE = 'Continue in a new execution';
const LIMIT = 40;

const fresh = { jobId: 'job-1', bucket: 'b', source: { key: 'imports/people.csv' } };

/** Split hands over a first execution's state; every paced Task counts its pass the way pacedTask does. */
const pipeline = (dedupePasses: number): TaskHandlers => {
  let passes = 0;
  const pass = (input: JsonValue, stage: string, done: boolean): JsonValue => {
    const state = ((input as { state?: JobState }).state ?? input) as JobState;
    return { ...state, stage, done, history: afterPass(state.history, done) } as unknown as JsonValue;
  };
  return {
    'Split CSV into batches': (input) =>
      ({
        ...(input as object),
        stage: 'split',
        done: true,
        wait: { seconds: 0, reason: '' },
        history: firstExecutionHistory(LIMIT),
      }) as JsonValue,
    'Take the workspace': (input) => pass(input, 'workspace', true),
    'Build dedupe index': (input) => {
      passes += 1;
      return pass(input, 'dedupe', passes >= dedupePasses);
    },
    'Create companies': (input) => pass(input, 'company', true),
    'Create people': (input) => pass(input, 'person', true),
    'Create deals': (input) => pass(input, 'deal', true),
    'Link people to deals': (input) => pass(input, 'link', true),
    'Write the report': (input) => input,
  };
};

describe('Continue as new: the state machine', () => {
  it('starts itself with its state before the history limit, under a name derived from the job', async () => {
    // Prepare
    const started: { Name: string; Input: JobState }[] = [];
    const handlers: TaskHandlers = {
      ...pipeline(100),
      [CONTINUE]: (input) => {
        started.push(input as never);
        return { ExecutionArn: 'arn:aws:states:us-east-1:1:execution:CrmImport:job-1-2' };
      },
    };

    // Act
    const run = new StateMachine(synthesizeDefinition()).run(fresh as JsonValue, {
      overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waitsInstantly() },
    });
    const [output, log] = await Promise.all([run.result, collectEvents(run.eventLogs)]);

    // Assess: it ended, saying where it went on, with one StartExecution of the state as it was
    expect(output).toMatchObject({ continuedIn: { executionArn: expect.stringMatching(/job-1-2$/) } });
    expect(started).toHaveLength(1);
    const [handover] = started;
    expect(handover?.Name).toBe('job-1-2');
    expect(handover?.Input).toMatchObject({
      jobId: 'job-1',
      stage: 'dedupe',
      done: false,
      history: { events: HISTORY_EVENTS.start, limit: LIMIT, execution: 2 },
    });
    expect(log.at(-2)).toMatchObject({
      type: 'StateExited',
      state: { name: 'Continued in a new execution' },
    });

    // the count it carried is the history it made: at the check, all but the Wait it did not take
    const counted = log.find((e) => e.type === 'StateEntered' && e.state.type === 'Pass');
    const atCheck = (counted && 'state' in counted ? (counted.state.input as unknown as JobState) : undefined)
      ?.history.events as number;
    expect(atCheck).toBeGreaterThanOrEqual(LIMIT);
    expect(atCheck).toBeLessThan(LIMIT + HISTORY_EVENTS.task + HISTORY_EVENTS.choice + HISTORY_EVENTS.wait);
    const handOver = HISTORY_EVENTS.pass + HISTORY_EVENTS.task + HISTORY_EVENTS.end;
    expect(historyEventCount(log)).toBe(atCheck - HISTORY_EVENTS.wait + handOver);
  });

  it('resumes a handed-over state in the loop it left and carries on to the report', async () => {
    // Prepare: the state a first execution handed over in the dedupe loop
    const visited: string[] = [];
    const handlers = pipeline(2);
    const tracked = Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [
        name,
        (input: JsonValue) => {
          visited.push(name);
          return handler(input);
        },
      ]),
    );
    const handedOver = {
      ...fresh,
      stage: 'dedupe',
      done: false,
      wait: { seconds: 0, reason: '' },
      history: { events: HISTORY_EVENTS.start, limit: LIMIT, execution: 2 },
    };

    // Act
    const run = new StateMachine(synthesizeDefinition()).run(handedOver as JsonValue, {
      overrides: { taskResourceLocalHandlers: tracked },
    });

    // Assess: no second split; the dedupe loop goes on, then every later stage and the report
    await expect(run.result).resolves.toMatchObject({ jobId: 'job-1', stage: 'link' });
    expect(visited.slice(0, 3)).toEqual(['Build dedupe index', 'Build dedupe index', 'Create companies']);
    expect(visited).not.toContain('Split CSV into batches');
    expect(visited.slice(-2)).toEqual(['Link people to deals', 'Write the report']);
  });
});

describe('Continue as new: the deployed stack', () => {
  let stack: ImportStack;
  let template: Template;
  let states: Record<string, Json>;

  beforeAll(() => {
    stack = new ImportStack(unbundledApp(), 'Test', { target: 'clarify', targetBaseUrl: 'https://x.test' });
    template = Template.fromStack(stack);
    states = extractDefinition(template.toJSON()).States as unknown as Record<string, Json>;
  });

  it('routes an execution by the stage in its input, fresh input to split', () => {
    // Assess
    const resume = states['Where does this import resume?'] as { Choices: Json[]; Default: string };
    expect(resume.Choices[0]).toEqual({
      Not: { Variable: '$.stage', IsPresent: true },
      Next: 'Split CSV into batches',
    });
    expect(resume.Choices).toEqual(
      expect.arrayContaining([
        { Variable: '$.stage', StringEquals: 'dedupe', Next: 'Build dedupe index' },
        { Variable: '$.stage', StringEquals: 'company', Next: 'Create companies' },
        { Variable: '$.stage', StringEquals: 'person', Next: 'Create people' },
        { Variable: '$.stage', StringEquals: 'deal', Next: 'Create deals' },
        { Variable: '$.stage', StringEquals: 'link', Next: 'Link people to deals' },
        { Variable: '$.stage', StringEquals: 'split', Next: 'Split CSV into batches' },
      ]),
    );
    expect(resume.Default).toBe('Split CSV into batches');
  });

  it('checks the history at every loop, after the stage is done and before it waits', () => {
    // Assess
    const checks = Object.entries(states).filter(([name, s]) => s.Type === 'Choice' && name.endsWith('?'));
    const loops = checks.filter(([name]) => name !== 'Where does this import resume?');
    expect(loops).toHaveLength(7);
    for (const [, check] of loops) {
      const [done, full] = check.Choices as Json[];
      expect(done).toMatchObject({ Variable: '$.done', BooleanEquals: true });
      expect(full).toEqual({
        Variable: '$.history.events',
        NumericGreaterThanEqualsPath: '$.history.limit',
        Next: "Count the next execution's events afresh",
      });
    }
  });

  it('starts the same state machine by its fixed name, and may start nothing else', () => {
    // Assess: the Task
    const name = 'Test-import';
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: name });
    expect(states[CONTINUE]).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: {
        'Input.$': '$',
        StateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
        'Name.$': "States.Format('{}-{}', $.jobId, $.history.execution)",
      },
      ResultPath: '$.continuedIn',
      Next: 'Continued in a new execution',
    });

    // the permission: on its own ARN only, built from its name (no reference to itself)
    const role = stack.resolve((stack.stateMachine.role.node.defaultChild as CfnElement).logicalId);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
    const starts = statements.filter((s) => JSON.stringify(s.Action).includes('states:StartExecution'));
    expect(starts).toHaveLength(1);
    expect(JSON.stringify(starts[0]?.Resource)).toMatch(/:stateMachine:Test-import"/);
    const self = stack.resolve((stack.stateMachine.node.defaultChild as CfnElement).logicalId) as string;
    expect(JSON.stringify(starts[0]?.Resource)).not.toContain(self);
  });
});

/** Every Wait state of the definition returns at once: the test is about the path, not the pacing. */
function waitsInstantly(): Record<string, number> {
  const states = synthesizeDefinition().States as Record<string, { Type: string }>;
  return Object.fromEntries(
    Object.entries(states)
      .filter(([, s]) => s.Type === 'Wait')
      .map(([name]) => [name, 0]),
  );
}
