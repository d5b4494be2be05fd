import { existsSync, rmSync } from 'node:fs';
import type { Scopes } from '#sandbox/actuallycare/server.ts';
import { runSandbox, SANDBOX_VARIANTS, type SandboxTarget } from '#sandbox/command.ts';
import { parseFaultRates } from '#sandbox/common/fault-rates.ts';
import { parseVariants } from '#sandbox/common/variants.ts';
import { TARGET_NAMES, type TargetName } from '#targets/index.ts';
import { type ParsedCommand, usageError } from './args.ts';
import { localSandboxFile } from './connection.ts';
import { DEFAULT_DATA_DIR, rateFlag, requiredTarget, targetFlag } from './options.ts';

/**
 * `crm-import sandbox`: a local simulator of the target API, for people and for other tools' tests; with
 * `--reset`, forgets the records the local target (`run` without --base-url) keeps in the data dir.
 */
export async function sandboxCommand({ values }: ParsedCommand): Promise<number> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (values.reset) {
    const targets = targetFlag('sandbox', values);
    process.stdout.write(
      resetLocalSandbox(text('data-dir') ?? DEFAULT_DATA_DIR, targets ? [targets] : TARGET_NAMES),
    );
    return 0;
  }
  const target = requiredTarget('sandbox', values);
  const port = Number(text('port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError('sandbox', `--port '${text('port')}' is not a port (0 to 65535)`);
  if (values.scopes !== undefined && target !== 'actuallycare')
    throw usageError('sandbox', '--scopes is for --target actuallycare');
  if (values['session-token'] !== undefined && target !== 'actuallycare')
    throw usageError('sandbox', '--session-token is for --target actuallycare');
  const variant = text('variant');
  const scopes = text('scopes');
  const faults = text('faults');
  const rate = text('rate');
  const sandbox = await runSandbox({
    target,
    port,
    apiKey: text('api-key'),
    rate: rate === undefined ? undefined : rateFlag('sandbox', rate),
    scopes: scopes === undefined ? undefined : parseScopes(scopes),
    sessionToken: text('session-token'),
    variants: variant === undefined ? undefined : variants(target, variant),
    seedFile: text('seed'),
    faults: faults === undefined ? undefined : faultRates(faults),
  });
  await untilSignal();
  await sandbox.close();
  return 0;
}

/** Removes the local sandbox's records of each target; says what was forgotten. */
export function resetLocalSandbox(dataDir: string, targets: readonly TargetName[]): string {
  const lines: string[] = [];
  for (const target of targets) {
    const file = localSandboxFile(dataDir, target);
    if (!existsSync(file)) {
      lines.push(`The local ${target} sandbox holds no records (${file}).`);
      continue;
    }
    rmSync(file);
    lines.push(`Forgot the records of the local ${target} sandbox (${file}): the next run starts clean.`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--variant created=wrapped,validation=422`, checked against the target's choices. */
export function variants(target: SandboxTarget, text: string): Record<string, string> {
  try {
    return parseVariants(SANDBOX_VARIANTS[target], text);
  } catch (error) {
    throw usageError('sandbox', `--variant: ${(error as Error).message}`);
  }
}

function faultRates(text: string) {
  try {
    return parseFaultRates(text);
  } catch (error) {
    throw usageError('sandbox', `--faults: ${(error as Error).message}`);
  }
}

function parseScopes(text: string): Scopes {
  try {
    return JSON.parse(text) as Scopes;
  } catch (error) {
    throw usageError(
      'sandbox',
      `--scopes is not JSON (e.g. '{"leads":["read","write"]}'): ${(error as Error).message}`,
    );
  }
}

export const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
