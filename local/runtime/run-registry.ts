import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionInput } from '#domain/job-state.ts';
import type { JobUpload } from './upload.ts';

export interface RunRecord {
  jobId: string;
  /** The latest execution of the job when it continued as new (`<job>-<n>`); absent: the job's first. */
  execution?: string;
  /** That execution's input: where the job carries on from. */
  input: ExecutionInput;
  finished: boolean;
}

/**
 * Which job a local run of given input belongs to. A run killed mid-import and started again with the
 * same files, options and target is the same job: it resumes from the job's ledger instead of starting
 * over. Once a job has finished, the same input starts a new job (which then finds its records exist).
 */
export class RunRegistry {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** A fingerprint of what the run would import and where. */
  static fingerprint(
    plan: JobUpload & { extras?: Record<string, unknown>; manifest?: string },
    target: string,
  ): string {
    const hash = createHash('sha256').update(`${target}\n${JSON.stringify(plan.extras ?? {})}\n`);
    for (const file of plan.files) hash.update(`${file.key}\n`).update(readFileSync(file.path));
    if (plan.manifest) hash.update(readFileSync(plan.manifest));
    return hash.digest('hex').slice(0, 24);
  }

  unfinished(fingerprint: string): RunRecord | undefined {
    try {
      const record = JSON.parse(readFileSync(this.path(fingerprint), 'utf8')) as RunRecord;
      return record.finished ? undefined : record;
    } catch {
      return undefined;
    }
  }

  save(fingerprint: string, record: RunRecord): void {
    writeFileSync(this.path(fingerprint), `${JSON.stringify(record, null, 2)}\n`);
  }

  private path(fingerprint: string) {
    return join(this.dir, `${fingerprint}.json`);
  }
}
