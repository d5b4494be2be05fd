import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { type ActuallyCareSandbox, startActuallyCareSandbox } from '#sandbox/actuallycare/server.ts';
import { createS3Client } from '#storage/s3-client.ts';
import { csv } from './local-harness.ts';

const RATE = { limit: 20, windowSeconds: 2 };

/** A port nothing listens on: taken from the system, then let go. */
const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

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
    const child = spawn(
      process.execPath,
      [
        resolve('bin/crm-import.js'),
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
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ACTUALLYCARE_API_KEY: sandbox.apiKey } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done(); waited += 100) {
        if (waited > 120_000) throw new Error(`timed out; stdout: ${stdout}\nstderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until(() => stdout.includes('crm-import is up'));
      const s3 = createS3Client({ endpoint: `http://127.0.0.1:${port}` });
      const drop = (key: string, body: string) =>
        s3.send(new PutObjectCommand({ Bucket: 'crm-import', Key: key, Body: body }));

      // Act: 60 leads each, 20 in both, uploaded at once
      await Promise.all([
        drop('imports/leads-part-1.csv', leads(0, 60)),
        drop('imports/leads-part-2.csv', leads(40, 100)),
      ]);
      await until(() => (stderr.match(/^Report: /gm) ?? []).length >= 2);

      // Assess: every lead once, and the job that waited said for which
      const emails = sandbox.records('leads').map((r) => String(r.email));
      expect(new Set(emails).size).toBe(emails.length);
      expect(emails).toHaveLength(100);
      expect(stderr).toMatch(/Wait for the workspace .*— import leads-part-\d-[0-9a-f]+ is running/);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
