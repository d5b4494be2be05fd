import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach } from 'vitest';
import type { RateLimit } from '#domain/rate-budget.ts';
import type { Summary } from '#domain/report.ts';
import type { PipelineConfig } from '#functions/commons/pipeline.ts';
import { retryDue } from '#functions/retry/retry.ts';
import { localDeps } from '#runtime/local-deps.ts';
import { type RunResult, runImport } from '#runtime/run-import.ts';
import { LocalRuntime } from '#runtime/runtime.ts';
import { csv } from '#sandbox/common/csv-text.ts';
import { jobKeys } from '#storage/job-keys.ts';
import { ObjectStore } from '#storage/object-store.ts';
import type { TargetName } from '#targets/target.ts';
import { ExecutionView } from '#view/view.ts';

/**
 * A small Clarify job in a temp folder: 2 companies, `people` people split between them (p0, p1, …),
 * one deal at Acme, and 2 links (d1 to p1 and p3).
 */
export const smallClarifyJob = (people: number) =>
  writeJob({
    'companies.csv': csv([
      ['Company ID', 'Name', 'Domain'],
      ['c1', 'Acme', 'acme.com'],
      ['c2', 'Globex', 'globex.io'],
    ]),
    'people.csv': csv([
      ['Person ID', 'First Name', 'Last Name', 'Email', 'Company ID'],
      ...Array.from({ length: people }, (_, i) => [
        `p${i}`,
        `P${i}`,
        'Test',
        `p${i}@acme.com`,
        i % 2 ? 'c1' : 'c2',
      ]),
    ]),
    'deals.csv': csv([
      ['Deal ID', 'Deal Name', 'Company ID'],
      ['d1', 'Acme Renewal', 'c1'],
    ]),
    'deal_people.csv': csv([
      ['Deal ID', 'Person ID'],
      ['d1', 'p1'],
      ['d1', 'p3'],
    ]),
  });

/**
 * What a test opens (sandboxes, proxies, harnesses), closed after each test, the last opened first, so
 * a harness goes before the sandbox it talks to: `const opened = closedAfterEach()` in the describe, then
 * `const sandbox = opened(await startClarifySandbox(…))` in a test.
 */
export function closedAfterEach(): <T extends { close(): Promise<void> }>(server: T) => T {
  let open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    const closing = open.reverse();
    open = [];
    for (const server of closing) await server.close();
  });
  return (server) => {
    open.push(server);
    return server;
  };
}

/** A temp folder holding the CSV files of one job. */
export function writeJob(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-import-job-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface Harness {
  runtime: LocalRuntime;
  dataDir: string;
  /** Runs the files through the whole pipeline; `viewText` holds what the execution view printed. */
  run(paths: string[], manifest?: Record<string, unknown>): Promise<RunResult & { viewText: string }>;
  /** One pass of the retry schedule (forced for `only`), waiting for the re-runs it started. */
  retry(only?: string): Promise<{ started: string[]; summary?: Summary }>;
  close(): Promise<void>;
}

/** The local runtime (S3 server + synthesized state machine) pointed at a sandbox, in a temp folder. */
export async function startHarness(
  sandbox: { baseUrl: string; apiKey: string; sessionToken?: string },
  rate: RateLimit,
  config: Partial<PipelineConfig> = {},
  apiKey = sandbox.apiKey,
  target: TargetName = 'clarify',
  timeoutMs?: number,
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-import-data-'));
  const runtime = await LocalRuntime.start({
    directory: join(dataDir, 's3'),
    deps: (endpoint, dynamoEndpoint) =>
      localDeps(
        {
          target,
          baseUrl: sandbox.baseUrl,
          apiKey,
          ...(sandbox.sessionToken ? { sessionToken: sandbox.sessionToken } : {}),
          rate,
          config,
          timeoutMs,
        },
        endpoint,
        dynamoEndpoint,
      ),
  });
  return {
    runtime,
    dataDir,
    run: async (paths, manifest) => {
      const out = new PassThrough();
      let viewText = '';
      out.on('data', (chunk: Buffer) => {
        viewText += chunk.toString('utf8');
      });
      const view = new ExecutionView({ out, isTTY: false, color: false });
      const result = await runImport({ paths, runtime, outDir: dataDir, view, manifest });
      return { ...result, viewText };
    },
    retry: async (only) => {
      const store = new ObjectStore(runtime.deps.s3, runtime.bucket);
      const pass = await retryDue(
        { store, clock: Date.now, startExecution: async (n, i) => runtime.startExecution(n, i) },
        only,
      );
      for (const name of pass.started) {
        const execution = runtime.executions.get(name);
        if (execution) await runtime.follow(execution);
      }
      const root = pass.started[0]?.replace(/-retry-\d+$/, '');
      const summary = root ? await store.findJson<Summary>(jobKeys(root).report.summaryJson) : undefined;
      return { started: pass.started, summary };
    },
    close: async () => {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { csv };
