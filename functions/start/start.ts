import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { ExecutionInput } from '#domain/job-state.ts';

export const objectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      etag: z.string().optional(),
      'version-id': z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});
export type ObjectCreatedEvent = z.infer<typeof objectCreatedSchema>;

export interface StartDeps {
  importsPrefix: string;
  /** StartExecution; resolves false when an execution of that name already exists (a duplicated event). */
  startExecution: (name: string, input: ExecutionInput) => Promise<boolean>;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

export type StartResult =
  | { started: true; jobId: string }
  | { started: false; jobId?: string; reason: string };

/**
 * An object under the imports prefix starts a job: a lone CSV directly in the prefix is a one-file job; a
 * folder's files wait for its manifest.json, which starts the folder's job. The execution's name is the
 * job id, derived from bucket, key and version, so a duplicated S3 event cannot start a second import.
 */
export async function start(event: ObjectCreatedEvent, deps: StartDeps): Promise<StartResult> {
  const { bucket, object } = event.detail;
  const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
  if (!key.startsWith(deps.importsPrefix))
    return { started: false, reason: `${key} is not under ${deps.importsPrefix}` };
  const relative = key.slice(deps.importsPrefix.length);
  const isManifest = posix.basename(relative) === 'manifest.json';
  const inFolder = relative.includes('/');
  if (!isManifest && inFolder)
    return { started: false, reason: `${key} waits for its folder's manifest.json` };
  if (!isManifest && !/\.(csv|tsv|txt)$/i.test(relative))
    return { started: false, reason: `${key} is not a CSV file` };

  const jobId = jobIdFor(bucket.name, key, object['version-id'] ?? object.sequencer ?? object.etag ?? '');
  const input: ExecutionInput = {
    jobId,
    bucket: bucket.name,
    source: {
      key,
      ...(object['version-id'] ? { versionId: object['version-id'] } : {}),
      ...(object.etag ? { etag: object.etag } : {}),
    },
  };
  const started = await deps.startExecution(jobId, input);
  deps.log?.(started ? 'import started' : 'import already started for this upload', { jobId, key });
  return started
    ? { started, jobId }
    : { started, jobId, reason: 'an execution for this upload already exists' };
}

/** `imports/acme/manifest.json` v3 -> `acme-manifest-1a2b3c4d5e`: readable in the console, unique per upload. */
export function jobIdFor(bucket: string, key: string, version: string): string {
  const hash = createHash('sha256').update(`${bucket}\n${key}\n${version}`).digest('hex').slice(0, 10);
  const parts = key.split('/').slice(1);
  const name = parts
    .join('-')
    .replace(/\.[^.]+$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-60);
  return `${name || 'import'}-${hash}`;
}
