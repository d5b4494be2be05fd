import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { JobError } from '#domain/errors.ts';

export interface JobUpload {
  /** The key whose upload starts the job: the lone CSV, or the folder's manifest.json (uploaded last). */
  triggerKey: string;
  files: { key: string; path: string }[];
}

const DATA = /\.(csv|tsv|txt)(\.gz)?$/i;

/**
 * What `crm-import run <paths>` drops into the imports prefix, exactly as a person would: one CSV on its
 * own, or a folder of files with a manifest.json (the user's, or an empty one: entities from file names).
 */
export function planUpload(
  paths: string[],
  importsPrefix: string,
  extras: Record<string, unknown> = {},
): JobUpload & { manifest?: string; extras: Record<string, unknown> } {
  if (!paths.length) throw new JobError('CONFIG', 'name at least one CSV file or folder to import');
  const files: string[] = [];
  let manifest: string | undefined;
  for (const p of paths.map((x) => resolve(x))) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p);
    } catch {
      throw new JobError('CONFIG', `${p}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name === 'manifest.json') manifest = join(p, name);
        else if (DATA.test(name)) files.push(join(p, name));
      }
    } else if (basename(p) === 'manifest.json') manifest = p;
    else files.push(p);
  }
  if (!files.length) throw new JobError('CONFIG', `no CSV files in ${paths.join(', ')}`);
  if (files.length === 1 && !manifest && !Object.keys(extras).length) {
    const key = `${importsPrefix}${basename(files[0] as string)}`;
    return { triggerKey: key, files: [{ key, path: files[0] as string }], extras };
  }
  const folder =
    basename(paths.length === 1 ? resolve(paths[0] as string) : resolve(paths[0] as string, '..')).replace(
      /\.[^.]+$/,
      '',
    ) || 'job';
  const prefix = `${importsPrefix}${folder}/`;
  return {
    triggerKey: `${prefix}manifest.json`,
    files: files.map((path) => ({ key: `${prefix}${basename(path)}`, path })),
    manifest,
    extras,
  };
}

export async function upload(
  s3: S3Client,
  bucket: string,
  plan: ReturnType<typeof planUpload>,
): Promise<void> {
  for (const file of plan.files) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: readFileSync(file.path) }));
  }
  if (plan.triggerKey.endsWith('manifest.json')) {
    const body = manifestBody(plan.manifest ? readFileSync(plan.manifest, 'utf8') : '{}', plan.extras);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: plan.triggerKey,
        Body: body,
        ContentType: 'application/json',
      }),
    );
  }
}

/**
 * Command-line options (--limit, --marker) go into the manifest, over the user's own. A manifest that is
 * not a JSON object is dropped as it is: the job then fails with BAD_MANIFEST and says where the text
 * breaks, in its report, as it would on AWS.
 */
function manifestBody(own: string, extras: Record<string, unknown>): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(own.replace(/^\uFEFF/, '') || '{}');
  } catch {
    return own;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return own;
  return `${JSON.stringify({ ...parsed, ...extras }, null, 2)}\n`;
}
