import { JobError } from '#domain/errors.ts';
import { parseRateLimit } from '#domain/rate-budget.ts';
import type { Scopes } from '#sandbox/actuallycare/server.ts';
import { runSandbox, SANDBOX_VARIANTS, type SandboxTarget } from '#sandbox/command.ts';
import { parseFaultRates } from '#sandbox/common/fault-rates.ts';
import { parseVariants } from '#sandbox/common/variants.ts';
import { parse } from './args.ts';

export const SANDBOX_USAGE =
  'crm-import sandbox --target clarify|actuallycare --port N [--api-key KEY] [--rate N/SECONDS] [--variant NAME=VALUE,...] [--seed FILE] [--faults 5xx=0.03,5xx-after=0.02,drop=0.02,slow=0.01,429=0.02,seed=7] [actuallycare: --scopes JSON] [--session-token TOKEN]';

/** `crm-import sandbox`: a local simulator of the target API, for people and for other tools' tests. */
export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    target: { type: 'string', default: 'clarify' },
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string' },
    rate: { type: 'string' },
    scopes: { type: 'string' },
    'session-token': { type: 'string' },
    variant: { type: 'string' },
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
  if (values['session-token'] !== undefined && target !== 'actuallycare')
    throw new JobError('CONFIG', '--session-token is for --target actuallycare');
  const sandbox = await runSandbox({
    target,
    port,
    apiKey: values['api-key'],
    rate: values.rate ? parseRateLimit(values.rate) : undefined,
    scopes: values.scopes === undefined ? undefined : parseScopes(values.scopes),
    sessionToken: values['session-token'],
    variants: values.variant === undefined ? undefined : variants(target, values.variant),
    seedFile: values.seed,
    faults: values.faults === undefined ? undefined : faultRates(values.faults),
  });
  await untilSignal();
  await sandbox.close();
  return 0;
}

/** `--variant created=wrapped,validation=422`, checked against the target's choices. */
export function variants(target: SandboxTarget, text: string): Record<string, string> {
  try {
    return parseVariants(SANDBOX_VARIANTS[target], text);
  } catch (error) {
    throw new JobError('CONFIG', `--variant: ${(error as Error).message}`);
  }
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
