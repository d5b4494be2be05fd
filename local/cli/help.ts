import { wrapWords } from '#view/format.ts';
import { COMMAND_NAMES, COMMANDS, type CommandName, type CommandSpec, HELP_FLAG } from './commands.ts';

const WIDTH = 100;

/** `crm-import` with no command, or `--help`: each command in one line, and where to read more. */
export function overviewHelp(): string {
  const width = Math.max(...COMMAND_NAMES.map((name) => name.length));
  return [
    'crm-import: import CRM CSV exports into Clarify or ActuallyCare, paced to the API, every row accounted for.',
    '',
    'Usage: crm-import <command> [options]',
    '',
    'Commands:',
    ...COMMAND_NAMES.flatMap((name) =>
      wrapWords(COMMANDS[name].summary, WIDTH - width - 4, 0).map(
        (line, i) => `  ${(i === 0 ? name : '').padEnd(width)}  ${line}`,
      ),
    ),
    '',
    'Run crm-import <command> --help for its options and examples.',
    '',
  ].join('\n');
}

/** `crm-import <command> --help`: the synopsis, every flag with what it does, and examples. */
export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name];
  const flags = [...Object.entries(spec.flags), ['help', HELP_FLAG] as const];
  const left = flags.map(([flag, f]) => `--${flag}${f.value ? ` ${f.value}` : ''}`);
  const column = Math.min(Math.max(...left.map((l) => l.length)) + 4, 40);
  const lines = [`Usage: ${synopsis(spec)}`, '', ...wrapWords(spec.summary, WIDTH, 0), '', 'Options:'];
  flags.forEach(([, f], i) => {
    const text = `${f.help}${f.default ? ` (default: ${f.default})` : ''}`;
    const label = `  ${left[i]}`;
    const body = wrapWords(text, WIDTH - column - 2, 0);
    if (label.length + 2 > column + 2) {
      lines.push(label);
      for (const line of body) lines.push(`${' '.repeat(column + 2)}${line}`);
    } else {
      body.forEach((line, j) => {
        lines.push(`${(j === 0 ? label : '').padEnd(column + 2)}${line}`);
      });
    }
  });
  lines.push('', 'Examples:', ...spec.examples.map((example) => `  ${example}`), '');
  return lines.join('\n');
}

export const synopsis = (spec: CommandSpec): string =>
  `crm-import ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`;
