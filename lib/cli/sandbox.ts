import { JobError } from '#domain/errors.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import type { Scopes } from '#sandbox/actuallycare/server.ts';
import { runSandbox } from '#sandbox/command.ts';
import { parseFaultRates } from '#sandbox/common/fault-rates.ts';
import { parse } from './args.ts';

export const SANDBOX_USAGE =
  'crm-import sandbox --target clarify|actuallycare --port N [--api-key KEY] [--rate N/SECONDS] [--scopes JSON] [--seed FILE] [--faults 5xx=0.03,5xx-after=0.02,drop=0.02,slow=0.01,429=0.02,seed=7]';

/** `crm-import sandbox`: a local simulator of the target API, for people and for other tools' tests. */
export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    target: { type: 'string', default: 'clarify' },
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string' },
    rate: { type: 'string' },
    scopes: { type: 'string' },
    seed: { type: 'string' },
    faults: { type: 'string' },
  });
  const target = values.target;
  if (target !== 'clarify' && target !== 'actuallycare')
    throw new JobError('CONFIG', `no sandbox for target '${target}'`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new JobError('CONFIG', `--port '${values.port}' is not a port`);
  if (values.scopes !== undefined && target !== 'actuallycare')
    throw new JobError('CONFIG', '--scopes is for --target actuallycare');
  const sandbox = await runSandbox({
    target,
    port,
    apiKey: values['api-key'],
    rate: values.rate ? parseRateLimit(values.rate) : undefined,
    scopes: values.scopes === undefined ? undefined : parseScopes(values.scopes),
    seedFile: values.seed,
    faults: values.faults === undefined ? undefined : faultRates(values.faults),
  });
  await untilSignal();
  await sandbox.close();
  return 0;
}

function faultRates(text: string) {
  try {
    return parseFaultRates(text);
  } catch (error) {
    throw new JobError('CONFIG', `--faults: ${(error as Error).message}`);
  }
}

function parseScopes(text: string): Scopes {
  try {
    return JSON.parse(text) as Scopes;
  } catch (error) {
    throw new JobError(
      'CONFIG',
      `--scopes is not JSON (e.g. '{"leads":["read","write"]}'): ${(error as Error).message}`,
    );
  }
}

export const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
