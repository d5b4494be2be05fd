import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { freePort, startCli, until } from './cli-process.ts';
import { csv } from './local-harness.ts';

const RATE = { limit: 20, windowSeconds: 2 };

/** Leads `from` to `to - 1` as one CSV. */
const leads = (from: number, to: number) =>
  csv([
    ['Name', 'Email'],
    ...Array.from({ length: to - from }, (_, i) => [`Lead ${from + i}`, `lead${from + i}@example.com`]),
  ]);

describe('crm-import up: two drops at once, as a person makes them with any S3 client', () => {
  let sandbox: ActuallyCareSandbox;

  afterAll(async () => {
    await sandbox?.close();
  });

  it('imports two overlapping exports dropped at the same moment with no duplicate and nothing missing', async () => {
    // Prepare: the ActuallyCare sandbox (which takes a duplicate email without a word) and `up` against it
    sandbox = await startActuallyCareSandbox({ rate: RATE });
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-import-up-'));
    const up = startCli(
      [
        'up',
        '--target',
        'actuallycare',
        '--base-url',
        sandbox.baseUrl,
        '--rate',
        `${RATE.limit}/${RATE.windowSeconds}`,
        '--s3-port',
        String(port),
        '--data-dir',
        dataDir,
      ],
      { ACTUALLYCARE_API_KEY: sandbox.apiKey },
    );
    const printed = () => `stdout: ${up.output().stdout}\nstderr: ${up.output().stderr}`;
    try {
      await until(() => up.output().stdout.includes('Ctrl-C stops.'), 120_000, printed);
      // The banner's command, as a shell joins its two lines, fits a terminal of 100 columns
      const banner = up.output().stdout.split('\n');
      expect(banner.join('\n').replaceAll(' \\\n   ', '')).toContain(
        `  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws --endpoint-url http://127.0.0.1:${port} s3 cp people.csv s3://crm-import/imports/`,
      );
      expect(banner.filter((line) => line.length > 100)).toEqual([]);
      const s3 = createS3Client({ endpoint: `http://127.0.0.1:${port}` });
      const drop = (key: string, body: string) =>
        s3.send(new PutObjectCommand({ Bucket: 'crm-import', Key: key, Body: body }));

      // Act: 60 leads each, 20 in both, uploaded at once
      await Promise.all([
        drop('imports/leads-part-1.csv', leads(0, 60)),
        drop('imports/leads-part-2.csv', leads(40, 100)),
      ]);
      await until(() => (up.output().stderr.match(/^Report: /gm) ?? []).length >= 2, 120_000, printed);

      // Assess: every lead once, and the job that waited said for which
      const emails = sandbox.records('leads').map((r) => String(r.email));
      expect(new Set(emails).size).toBe(emails.length);
      expect(emails).toHaveLength(100);
      expect(up.output().stderr).toMatch(
        /Wait for the workspace .*— import leads-part-\d-[0-9a-f]+ is running/,
      );
    } finally {
      up.child.kill('SIGINT');
      await up.finished;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
