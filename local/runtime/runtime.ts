import { EventEmitter } from 'node:events';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
import { type ExecutionInput, type JobState, jobStateSchema } from '#domain/job-state.ts';
import type { PipelineDeps } from '#functions/commons/pipeline.ts';
import { createHandler as createBatchHandler } from '#functions/create-batch/handler.ts';
import { createHandler as dedupeHandler } from '#functions/dedupe/handler.ts';
import { createHandler as linkHandler } from '#functions/link/handler.ts';
import { createHandler as reportHandler } from '#functions/report/handler.ts';
import { createHandler as splitHandler } from '#functions/split/handler.ts';
import { createHandler as startHandler } from '#functions/start/handler.ts';
import type { StartResult } from '#functions/start/start.ts';
import { createHandler as workspaceHandler } from '#functions/workspace/handler.ts';
import { continuedIn, type EventLog } from '#view/read.ts';
import { type LocalDynamo, startLocalDynamo } from './dynamo-server.ts';
import { loadDefinition } from './load-definition.ts';
import { type LocalS3, startLocalS3 } from './s3-server.ts';
import { executionArn, functionNameOf, isStartExecution } from './task-resources.ts';

type Handler = (event: unknown) => Promise<unknown>;

/** The Parameters of the "Continue in a new execution" Task, as the interpreter hands them over. */
const startExecutionSchema = z.object({ Name: z.string().min(1), Input: jobStateSchema });

export interface LocalExecution {
  name: string;
  input: ExecutionInput;
  result: Promise<unknown>;
  eventLogs: AsyncGenerator<EventLog>;
  /** Stops the execution where it is, as a killed process would: nothing after it runs, not even a Catch. */
  abort: () => void;
}

/** How often each Task state ran, how long its handler took (what Lambda would bill), and when it first ran. */
export type TaskTimes = Map<string, { invocations: number; ms: number; firstAt: number }>;

/** How an import ended: every execution it ran, first to last, and the last one's output or failure. */
export interface ImportEnd {
  executions: LocalExecution[];
  output?: unknown;
  failure?: unknown;
}

export interface LocalRuntimeOptions {
  /** Where the local S3 server keeps its objects. */
  directory: string;
  bucket?: string;
  s3Port?: number;
  /** Builds the pipeline's dependencies once the S3 and DynamoDB endpoints are known. */
  deps: (s3Endpoint: string, dynamoEndpoint: string) => PipelineDeps;
}

/**
 * The pipeline on one machine: a real S3-protocol server, a DynamoDB-protocol one for the coordinator
 * table (rate budgets, workspace leases), the state machine synthesized from the CDK stack
 * executed by an ASL interpreter with every Task bound to the same handler module its Lambda runs, and
 * object-created events delivered to `start` exactly as the EventBridge rule would.
 */
export class LocalRuntime extends EventEmitter<{
  execution: [LocalExecution];
  ignored: [StartResult];
  error: [Error];
}> {
  readonly executions = new Map<string, LocalExecution>();
  readonly taskTimes: TaskTimes = new Map();
  private machine!: StateMachine;
  private definition!: StateMachineDefinition;

  private constructor(
    readonly s3: LocalS3,
    readonly dynamo: LocalDynamo,
    readonly deps: PipelineDeps,
    readonly importsPrefix: string,
  ) {
    super();
  }

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const s3 = await startLocalS3({
      directory: options.directory,
      bucket: options.bucket ?? 'crm-import',
      port: options.s3Port,
    });
    const dynamo = await startLocalDynamo();
    const deps = options.deps(s3.endpoint, dynamo.endpoint);
    const runtime = new LocalRuntime(s3, dynamo, deps, deps.config.importsPrefix);
    runtime.definition = await loadDefinition(deps.config.target);
    runtime.machine = new StateMachine(structuredClone(runtime.definition), {
      validationOptions: { checkArn: false },
    });
    const start = startHandler(() => ({
      importsPrefix: runtime.importsPrefix,
      startExecution: async (name, input) => runtime.startExecution(name, input),
    }));
    s3.onObjectCreated((event) => {
      start(event)
        .then((result) => {
          if (!result.started) runtime.emit('ignored', result);
        })
        .catch((error: unknown) => runtime.emit('error', error as Error));
    });
    return runtime;
  }

  get bucket(): string {
    return this.s3.bucket;
  }

  /** StartExecution: idempotent per name, like a Standard workflow. */
  startExecution(name: string, input: ExecutionInput | JobState): boolean {
    if (this.executions.has(name)) return false;
    const run = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.bindTasks() as never },
      context: {
        Execution: { Id: `local:${name}`, Name: name, Input: input, StartTime: new Date().toISOString() },
        StateMachine: { Id: 'local:CrmImport', Name: 'CrmImport' },
      } as never,
    });
    const execution: LocalExecution = {
      name,
      input,
      result: run.result,
      eventLogs: run.eventLogs,
      abort: () => run.abort(),
    };
    // The result is awaited by whoever follows the execution; never leave a rejection unhandled.
    run.result.catch(() => undefined);
    this.executions.set(name, execution);
    this.emit('execution', execution);
    return true;
  }

  /**
   * Follows an import from its first execution through every execution it continued in, calling `watch`
   * on each as it starts (to show it); ends with the last one, its output or its failure.
   */
  async follow(
    first: LocalExecution,
    watch?: (execution: LocalExecution) => Promise<void>,
  ): Promise<ImportEnd> {
    const executions = [first];
    for (let run = first; ; ) {
      const watching = watch?.(run);
      let output: unknown;
      let failure: unknown;
      try {
        output = await run.result;
      } catch (error) {
        failure = error;
      }
      await watching;
      const successor = this.executions.get(continuedIn(output) ?? '');
      if (failure !== undefined || !successor) return { executions, output, failure };
      executions.push(successor);
      run = successor;
    }
  }

  /** The Task that continues an import as new starts the successor here, under the name it was given. */
  private continueAsNew: Handler = async (event) => {
    const { Name, Input } = startExecutionSchema.parse(event);
    this.startExecution(Name, Input);
    return { ExecutionArn: executionArn(Name), StartDate: new Date().toISOString() };
  };

  /** Task state name -> the handler module its Resource names, found from the definition itself. */
  private bindTasks(): Record<string, Handler> {
    const deps = () => this.deps;
    const byFolder: Record<string, Handler> = {
      split: splitHandler(deps),
      workspace: workspaceHandler(deps),
      dedupe: dedupeHandler(deps),
      'create-batch': createBatchHandler(deps),
      link: linkHandler(deps),
      report: reportHandler(deps),
    };
    const bound: Record<string, Handler> = {};
    for (const [name, state] of Object.entries(
      this.definition.States as Record<string, { Type: string; Resource?: string }>,
    )) {
      if (state.Type !== 'Task' || !state.Resource) continue;
      if (isStartExecution(state.Resource)) {
        bound[name] = this.continueAsNew;
        continue;
      }
      const folder = functionNameOf(state.Resource);
      const handler = folder && Object.hasOwn(byFolder, folder) ? byFolder[folder] : undefined;
      if (!handler)
        throw new Error(`Task '${name}' calls ${state.Resource}, which the local runtime cannot bind`);
      bound[name] = this.timed(name, handler);
    }
    return bound;
  }

  private timed(name: string, handler: Handler): Handler {
    return async (event) => {
      const started = performance.now();
      const at = Date.now();
      try {
        return await handler(event);
      } finally {
        const times = this.taskTimes.get(name) ?? { invocations: 0, ms: 0, firstAt: at };
        times.invocations += 1;
        times.ms += performance.now() - started;
        this.taskTimes.set(name, times);
      }
    };
  }

  async close(): Promise<void> {
    await this.s3.close();
    await this.dynamo.close();
  }
}
