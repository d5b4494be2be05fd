import { ImportError } from '#domain/errors.ts';
import { CHECK_USAGE, checkCommand } from './check.ts';
import { RETRY_USAGE, retryCommand } from './retry.ts';
import { RUN_USAGE, runCommand } from './run.ts';
import { SANDBOX_USAGE, sandboxCommand } from './sandbox.ts';
import { upCommand } from './up.ts';

const USAGE = `Usage:
  ${RUN_USAGE}
  crm-import up [--target clarify|actuallycare] [--base-url URL] [--api-key-env NAME] [--rate N/SECONDS] [--s3-port 4569] [--retry-every MINUTES]
  ${CHECK_USAGE}
  ${RETRY_USAGE}
  ${SANDBOX_USAGE}
`;

/** Runs one command; resolves with the process exit code. Errors become one line on stderr and code 1. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'up':
        return await upCommand(rest);
      case 'sandbox':
        return await sandboxCommand(rest);
      case 'check':
        return await checkCommand(rest);
      case 'retry':
        return await retryCommand(rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command ? 0 : 1;
      default:
        process.stderr.write(`crm-import: unknown command '${command}'\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    const message = error instanceof ImportError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`crm-import: ${message}\n`);
    return 1;
  }
}
