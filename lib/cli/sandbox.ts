import { JobError } from '#domain/errors.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import { runSandbox } from '#sandbox/command.ts';
import { parse } from './args.ts';

/** `crm-import sandbox`: a local simulator of the target API, for people and for other tools' tests. */
export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    target: { type: 'string', default: 'clarify' },
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
  });
  if (values.target !== 'clarify') throw new JobError('CONFIG', `no sandbox for target '${values.target}'`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new JobError('CONFIG', `--port '${values.port}' is not a port`);
  const sandbox = await runSandbox({
    target: 'clarify',
    port,
    apiKey: values['api-key'],
    rate: values.rate ? parseRateLimit(values.rate) : undefined,
    seedFile: values.seed,
  });
  await untilSignal();
  await sandbox.close();
  return 0;
}

export const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
