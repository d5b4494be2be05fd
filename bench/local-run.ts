import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RateLimit } from '#domain/rate-budget.ts';
import type { PipelineDeps } from '#functions/commons/pipeline.ts';
import { localDeps } from '#runtime/local-deps.ts';
import { LocalRuntime } from '#runtime/runtime.ts';
import type { TargetName } from '#targets/target.ts';
import { collectEvents, historyEventCount } from '#view/history-events.ts';
import type { EventLog } from '#view/view.ts';

export interface BenchRun {
  dir: string;
  runtime: LocalRuntime;
  /** Every execution's history, counted as AWS would write it. */
  history: ReturnType<typeof recordHistory>;
  /** Writes a job folder (file name -> text) and returns its path. */
  writeJob(files: Record<string, string>): string;
  /** Stops the runtime and the sandbox and removes the temp folder. */
  close(): Promise<void>;
}

/** The local runtime in a temp folder, pointed at a sandbox, with its executions' events recorded. */
export async function startBenchRun(
  sandbox: { baseUrl: string; apiKey: string; close(): Promise<void> },
  target: TargetName,
  rate: RateLimit,
  adjust: (deps: PipelineDeps) => PipelineDeps = (deps) => deps,
): Promise<BenchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-bench-'));
  const runtime = await LocalRuntime.start({
    directory: join(dir, 's3'),
    deps: (endpoint, dynamoEndpoint) =>
      adjust(
        localDeps(
          { target, baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, rate },
          endpoint,
          dynamoEndpoint,
        ),
      ),
  });
  return {
    dir,
    runtime,
    history: recordHistory(runtime),
    writeJob: (files) => {
      const job = join(dir, 'job');
      mkdirSync(job);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(job, name), text);
      return job;
    },
    close: async () => {
      await runtime.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects every execution's events from now on; `count()` says what their histories hold. */
export function recordHistory(runtime: LocalRuntime): {
  count(): Promise<{ events: number; transitions: number }>;
} {
  const logs: Promise<EventLog[]>[] = [];
  runtime.on('execution', (execution) => logs.push(collectEvents(execution.eventLogs)));
  return {
    count: async () => {
      const events = (await Promise.all(logs)).flat();
      return {
        events: historyEventCount(events),
        transitions: events.filter((e) => e.type === 'StateEntered').length,
      };
    },
  };
}
