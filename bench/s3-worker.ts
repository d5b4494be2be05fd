import { startLocalS3 } from '#runtime/s3-server.ts';

/**
 * The local S3 server in a process of its own, so a benchmark measures split's memory, not s3rver's.
 * Prints its endpoint as one JSON line; stops when its parent closes stdin.
 */
const [directory = '', bucket = 'bench'] = process.argv.slice(2);
const s3 = await startLocalS3({ directory, bucket });
process.stdout.write(`${JSON.stringify({ endpoint: s3.endpoint })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  s3.close().then(() => process.exit(0));
});
