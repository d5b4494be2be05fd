import { parseArgs } from 'node:util';
import { JobError } from '#domain/errors.ts';
import { COMMAND_NAMES, type CommandName, type CommandSpec } from './commands.ts';
import { synopsis } from './help.ts';

export type FlagValues = Record<string, string | boolean | undefined>;

export interface ParsedCommand {
  values: FlagValues;
  positionals: string[];
  /** `--help` or `-h` was given: the command prints its help and does nothing else. */
  help: boolean;
}

/** A mistake on the command line: one line that says what is wrong and what was meant. */
export const usageError = (command: string, message: string): JobError =>
  new JobError('CONFIG', `crm-import ${command}: ${message}`);

/**
 * Reads argv against the command's flags. Unlike `util.parseArgs` in strict mode, every mistake is one line
 * in words a person uses: an unknown flag with the one that was probably meant, a flag without its value
 * (and what the value looks like), a flag that takes none, a missing or extra argument.
 */
export function parseCommand(spec: CommandSpec, argv: string[]): ParsedCommand {
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type }]));
  const { tokens } = parseArgs({
    args: argv,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help'))
    return { values: {}, positionals: [], help: true };
  const values: FlagValues = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const flag = spec.flags[token.name];
    // `-json` reads as the short flags -j -s -o -n: name it as it was typed.
    if (!flag)
      throw usageError(spec.name, unknownFlag(spec, (argv[token.index] as string).split('=')[0] as string));
    if (flag.type === 'boolean') {
      if (token.value !== undefined) throw usageError(spec.name, `${token.rawName} takes no value`);
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    const looksLikeFlag = !token.inlineValue && value?.startsWith('-') && value.length > 1;
    if (value === undefined || looksLikeFlag || value === '')
      throw usageError(
        spec.name,
        `${token.rawName} needs a value: ${token.rawName} ${flag.value ?? 'VALUE'}`,
      );
    values[token.name] = value;
  }
  const { min, max } = spec.positionals;
  if (positionals.length < min) throw usageError(spec.name, `name what to import: ${synopsis(spec)}`);
  if (positionals.length > max) {
    const extra = positionals[max] as string;
    throw usageError(
      spec.name,
      `unexpected argument '${extra}'${max === 0 ? ` (${spec.name} takes none)` : ''}: ${synopsis(spec)}`,
    );
  }
  return { values, positionals, help: false };
}

function unknownFlag(spec: CommandSpec, rawName: string): string {
  const name = rawName.replace(/^-+/, '');
  const meant = closest(name, Object.keys(spec.flags));
  const hint = meant ? ` Did you mean --${meant}?` : '';
  return `unknown option ${rawName}.${hint} (crm-import ${spec.name} --help lists its options)`;
}

/** A command that does not exist, and the one probably meant. */
export function unknownCommand(command: string): JobError {
  const meant = closest(command, COMMAND_NAMES);
  return new JobError(
    'CONFIG',
    `crm-import: unknown command '${command}'.${meant ? ` Did you mean ${meant}?` : ''} Commands: ${COMMAND_NAMES.join(', ')} (crm-import --help)`,
  );
}

export const isCommandName = (name: string): name is CommandName =>
  (COMMAND_NAMES as readonly string[]).includes(name);

/** The candidate a typo most likely meant: within two edits (or one for short words), or a prefix of it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  const allowed = word.length <= 4 ? 1 : 2;
  return best && best.distance <= allowed ? best.name : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit (`--rtae`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
