import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  DefinitionExtractionError,
  extractDefinition,
  functionFolderOf,
  synthesizeDefinition,
} from '#runtime/definition.ts';

type State = Record<string, unknown>;
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<TaskHandlers[string]>[0];

const statesOf = (definition: { States: object }) => definition.States as Record<string, State>;

const machineTemplate = (definitionString: unknown, extra: Record<string, unknown> = {}) => ({
  Resources: {
    SplitFn: { Type: 'AWS::Lambda::Function', Properties: {} },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: definitionString } },
    ...extra,
  },
});

/** Every Task returns a finished state with no wait, so the run walks the whole machine. */
const passThrough = async (input: JsonValue): Promise<JsonValue> => {
  const state = (input as { state?: object }).state ?? (input as object);
  return { ...state, done: true, wait: { seconds: 0 } } as JsonValue;
};

describe('synthesizeDefinition', () => {
  it('builds ActuallyCare stages in dependency order, without a link stage', () => {
    // Act
    const states = statesOf(synthesizeDefinition({ target: 'actuallycare' }));

    // Assess: leads, clients, contacts, then escrows (which point at clients), then the report
    const next = (name: string) => (states[name] as { Next?: string }).Next;
    const choiceDone = (name: string) =>
      ((states[name] as { Choices: { Next: string }[] }).Choices[0] as { Next: string }).Next;
    expect(next('Build dedupe index')).toBe('Is the dedupe index complete?');
    expect(choiceDone('Is the dedupe index complete?')).toBe('Create leads');
    expect(choiceDone('Are all leads created?')).toBe('Create clients');
    expect(choiceDone('Are all clients created?')).toBe('Create contacts');
    expect(choiceDone('Are all contacts created?')).toBe('Create escrows');
    expect(choiceDone('Are all escrows created?')).toBe('Write the report');
    expect(Object.keys(states)).not.toContain('Link people to deals');
    expect(states['Wait for rate limit (leads)']).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.wait.seconds',
    });
  });

  it('extracts the deployed state machine with its readable state names', () => {
    // Act
    const definition = synthesizeDefinition();
    const states = statesOf(definition);

    // Assess
    expect(definition.StartAt).toBe('Where does this import resume?');
    expect(Object.keys(states)).toEqual(
      expect.arrayContaining([
        'Split CSV into batches',
        'Take the workspace',
        'Wait for the workspace',
        'Build dedupe index',
        'Wait for rate limit (dedupe)',
        'Create companies',
        'Create people',
        'Create deals',
        'Link people to deals',
        'Write the report',
        'Write the failure report',
      ]),
    );
    expect(states['Wait for rate limit (dedupe)']).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.wait.seconds',
    });
    expect(states['Wait for the workspace']).toMatchObject({ Type: 'Wait', SecondsPath: '$.wait.seconds' });
    expect((states['Is the workspace ours?'] as { Choices: unknown[] }).Choices[0]).toEqual({
      Variable: '$.done',
      BooleanEquals: true,
      Next: 'Build dedupe index',
    });
    expect(states['Create people']).toMatchObject({ Parameters: { entity: 'person', 'state.$': '$' } });
    expect(JSON.stringify(definition)).not.toMatch(/Fn::|"Ref"|JSONata/);
  });

  it('loops on split until it says it is done, with no wait in between', () => {
    // Act
    const states = statesOf(synthesizeDefinition());

    // Assess
    expect(states['Split CSV into batches']).toMatchObject({ Next: 'Is the split complete?' });
    expect(states['Is the split complete?']).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.done', BooleanEquals: true, Next: 'Take the workspace' },
        {
          Variable: '$.history.events',
          NumericGreaterThanEqualsPath: '$.history.limit',
          Next: "Count the next execution's events afresh",
        },
      ],
      Default: 'Split CSV into batches',
    });
  });

  it('runs split again with the state it returned until it is done', async () => {
    // Prepare
    const inputs: JsonValue[] = [];
    const handlers: TaskHandlers = Object.fromEntries(
      Object.entries(synthesizeDefinition().States)
        .filter(([, state]) => state.Type === 'Task')
        .map(([name]) => [name, passThrough]),
    );
    handlers['Split CSV into batches'] = async (input) => {
      inputs.push(input);
      const step = inputs.length;
      const history = { events: 10 * step, limit: 24_000, execution: 1 };
      return { jobId: 'job-3', stage: 'split', done: step === 3, cursor: { step }, history } as JsonValue;
    };

    // Act
    const { result } = new StateMachine(synthesizeDefinition()).run(
      { jobId: 'job-3' },
      { overrides: { taskResourceLocalHandlers: handlers } },
    );

    // Assess
    await expect(result).resolves.toMatchObject({ jobId: 'job-3', done: true });
    expect(inputs).toEqual([
      { jobId: 'job-3' },
      expect.objectContaining({ stage: 'split', done: false, cursor: { step: 1 } }),
      expect.objectContaining({ stage: 'split', done: false, cursor: { step: 2 } }),
    ]);
  });

  it('names each Task resource after the function folder it runs', () => {
    // Act
    const states = statesOf(synthesizeDefinition());

    // Assess
    const folderOf = (name: string) => functionFolderOf(String(states[name]?.Resource));
    expect(folderOf('Split CSV into batches')).toBe('split');
    expect(folderOf('Take the workspace')).toBe('workspace');
    expect(folderOf('Build dedupe index')).toBe('dedupe');
    expect(folderOf('Create deals')).toBe('create-batch');
    expect(folderOf('Link people to deals')).toBe('link');
    expect(folderOf('Write the failure report')).toBe('report');
  });

  it('hands out a copy, so a caller cannot change the cached definition', () => {
    // Prepare
    const first = synthesizeDefinition();

    // Act
    first.StartAt = 'Changed';

    // Assess
    expect(synthesizeDefinition().StartAt).toBe('Where does this import resume?');
  });

  it('is accepted by aws-local-stepfunctions with full validation', () => {
    // Act
    const act = () => new StateMachine(synthesizeDefinition());

    // Assess
    expect(act).not.toThrow();
  });

  it('runs to the end on aws-local-stepfunctions when every stage finishes', async () => {
    // Prepare
    const definition = synthesizeDefinition();
    const taskNames = Object.entries(definition.States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => name);
    const visited: string[] = [];
    const handlers: TaskHandlers = Object.fromEntries(
      taskNames.map((name) => [
        name,
        (input: JsonValue) => {
          visited.push(name);
          return passThrough(input);
        },
      ]),
    );

    // Act
    const { result } = new StateMachine(definition).run(
      { jobId: 'job-1' },
      { overrides: { taskResourceLocalHandlers: handlers } },
    );

    // Assess
    await expect(result).resolves.toMatchObject({ jobId: 'job-1', done: true });
    expect(visited).toEqual([
      'Split CSV into batches',
      'Take the workspace',
      'Build dedupe index',
      'Create companies',
      'Create people',
      'Create deals',
      'Link people to deals',
      'Write the report',
    ]);
  });

  it('writes the failure report and fails the execution when a stage throws', async () => {
    // Prepare
    const definition = synthesizeDefinition();
    let reported: unknown;
    const handlers: TaskHandlers = {
      'Split CSV into batches': passThrough,
      'Take the workspace': passThrough,
      'Build dedupe index': async () => {
        throw Object.assign(new Error('key rejected'), { name: 'JobError' });
      },
      'Write the failure report': async (input) => {
        reported = input;
        return input;
      },
    };

    // Act
    const { result } = new StateMachine(definition).run(
      { jobId: 'job-2' },
      { overrides: { taskResourceLocalHandlers: handlers } },
    );

    // Assess
    await expect(result).rejects.toThrow(/JobError|key rejected/);
    expect(reported).toMatchObject({ jobId: 'job-2', error: { Error: 'JobError' } });
  });
});

describe('extractDefinition', () => {
  it('parses a definition that is a plain string', () => {
    // Prepare
    const template = machineTemplate('{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');

    // Act
    const definition = extractDefinition(template);

    // Assess
    expect(definition).toEqual({ StartAt: 'A', States: { A: { Type: 'Succeed' } } });
  });

  it('resolves Fn::Join, Fn::GetAtt and pseudo-parameter Refs to placeholders', () => {
    // Prepare
    const template = machineTemplate({
      'Fn::Join': [
        '',
        [
          '{"StartAt":"A","States":{"A":{"Type":"Task","End":true,"Resource":"',
          { 'Fn::GetAtt': ['SplitFn', 'Arn'] },
          '","Comment":"',
          { Ref: 'AWS::Region' },
          '"}}}',
        ],
      ],
    });

    // Act
    const definition = extractDefinition(template, { SplitFn: 'split' });

    // Assess
    expect(definition.States.A).toMatchObject({
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:split',
      Comment: 'us-east-1',
    });
  });

  it.each([
    ['no state machine', { Resources: {} }, /found 0/],
    [
      'two state machines',
      machineTemplate('{}', { Other: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} } }),
      /found 2/,
    ],
    ['an unknown intrinsic', machineTemplate({ 'Fn::ImportValue': 'x' }), /Cannot resolve/],
    [
      'a JSONata state machine',
      machineTemplate('{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Succeed"}}}'),
      /JSONata/,
    ],
  ])('rejects %s', (_, template, message) => {
    // Act
    const act = () => extractDefinition(template);

    // Assess
    expect(act).toThrow(DefinitionExtractionError);
    expect(act).toThrow(message);
  });
});
