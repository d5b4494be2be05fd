import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMANDS } from '#cli/commands.ts';
import { cli } from './cli-process.ts';

/** What a person typing at the CLI reads: help for every command, and one line for every mistake. */
describe('CLI: help and flag errors', () => {
  it.each(COMMAND_NAMES)(
    'crm-import %s --help describes every flag and gives an example',
    async (command) => {
      // Act
      const ran = await cli([command, '--help']);

      // Assess
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stderr).toBe('');
      expect(ran.stdout).toMatch(new RegExp(`^Usage: crm-import ${command}`));
      for (const [flag, spec] of Object.entries(COMMANDS[command].flags)) {
        const firstWords = spec.help.split(' ').slice(0, 3).join(' ');
        expect(ran.stdout, `--${flag}`).toMatch(
          new RegExp(`\\n  --${flag}${spec.value ? ` \\S+` : ''} +${literal(firstWords)}`),
        );
      }
      expect(ran.stdout).toMatch(new RegExp(`Examples:\\n  (\\S+=\\S+ )?crm-import ${command}`));
    },
  );

  it('-h and `help run` answer as --help does; --help lists the commands', async () => {
    // Act
    const short = await cli(['run', '-h']);
    const word = await cli(['help', 'run']);
    const overview = await cli(['--help']);

    // Assess
    expect(short.stdout).toMatch(/^Usage: crm-import run <file-or-folder>\.\.\. \[options\]/);
    expect(word.stdout).toBe(short.stdout);
    expect(overview.code).toBe(0);
    for (const command of COMMAND_NAMES) expect(overview.stdout).toMatch(new RegExp(`\\n  ${command} +\\S`));
  });

  it('an unknown flag gets one line naming the flag it probably meant, and exit 1', async () => {
    // Act
    const typo = await cli(['run', 'examples/clarify', '--ratee', '10/5']);
    const singleDash = await cli(['run', 'examples/clarify', '-json']);
    const otherCommand = await cli(['check', '--dry-run']);

    // Assess
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      'crm-import run: unknown option --ratee. Did you mean --rate? (crm-import run --help lists its options)\n',
    );
    expect(singleDash.stderr).toMatch(/^crm-import run: unknown option -json\. Did you mean --json\?/);
    expect(otherCommand.stderr).toMatch(
      /^crm-import check: unknown option --dry-run\. \(crm-import check --help/,
    );
    for (const ran of [typo, singleDash, otherCommand]) expect(ran.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a flag without its value, a value for a switch, a missing or extra argument: one line each', async () => {
    // Act
    const noValue = await cli(['run', 'examples/clarify', '--rate']);
    const valueEatsFlag = await cli(['run', 'examples/clarify', '--rate', '--json']);
    const switchValue = await cli(['run', 'examples/clarify', '--dry-run=yes']);
    const nothing = await cli(['run']);
    const extra = await cli(['up', 'examples/clarify']);
    const badRate = await cli(['run', 'examples/clarify', '--target', 'clarify', '--rate', 'fast']);
    const command = await cli(['rn', 'examples/clarify']);

    // Assess
    expect(noValue.stderr).toBe('crm-import run: --rate needs a value: --rate N/SECONDS\n');
    expect(valueEatsFlag.stderr).toBe('crm-import run: --rate needs a value: --rate N/SECONDS\n');
    expect(switchValue.stderr).toBe('crm-import run: --dry-run takes no value\n');
    expect(nothing.stderr).toBe(
      'crm-import run: name what to import: crm-import run <file-or-folder>... [options]\n',
    );
    expect(extra.stderr).toMatch(/^crm-import up: unexpected argument 'examples\/clarify' \(up takes none\)/);
    expect(badRate.stderr).toBe(
      "crm-import run: --rate 'fast' is not N/SECONDS, e.g. --rate 500/900 (500 requests per 900 s)\n",
    );
    expect(command.stderr).toMatch(/^crm-import: unknown command 'rn'\. Did you mean run\?/);
    for (const ran of [noValue, valueEatsFlag, switchValue, nothing, extra, badRate, command]) {
      expect(ran.code).toBe(1);
      expect(ran.stderr.trim().split('\n')).toHaveLength(1);
      expect(ran.stderr).not.toMatch(/ERR_PARSE_ARGS|TypeError| {4}at /);
    }
  });
});

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
