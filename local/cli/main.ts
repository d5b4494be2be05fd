import { ImportError } from '#domain/errors.ts';
import { isCommandName, type ParsedCommand, parseCommand, unknownCommand } from './args.ts';
import { COMMANDS, type CommandName } from './commands.ts';
import { commandHelp, overviewHelp } from './help.ts';
import { versionLine } from './version.ts';

/**
 * Each command's module is loaded only when it runs: `--help`, a typo or a bad flag answer without loading
 * the pipeline, the AWS SDK or the sandboxes.
 */
const COMMAND_MODULES: Record<CommandName, () => Promise<(parsed: ParsedCommand) => Promise<number>>> = {
  run: async () => (await import('./run.ts')).runCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  retry: async () => (await import('./retry.ts')).retryCommand,
  up: async () => (await import('./up.ts')).upCommand,
  sandbox: async () => (await import('./sandbox.ts')).sandboxCommand,
};

/** Runs one command; resolves with the process exit code. Errors become one line on stderr and code 1. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      process.stderr.write(overviewHelp());
      return 1;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      const about = rest[0];
      process.stdout.write(about && isCommandName(about) ? commandHelp(about) : overviewHelp());
      return 0;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${versionLine()}\n`);
      return 0;
    }
    if (!isCommandName(command)) throw unknownCommand(command);
    const parsed = parseCommand(COMMANDS[command], rest);
    if (parsed.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    const run = await COMMAND_MODULES[command]();
    return await run(parsed);
  } catch (error) {
    const message = error instanceof ImportError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`${message.startsWith('crm-import') ? '' : 'crm-import: '}${message}\n`);
    return 1;
  }
}
