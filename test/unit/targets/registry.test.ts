import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_VARIANTS } from '#sandbox/command.ts';
import { TARGET_NAMES, TARGETS } from '#targets/index.ts';

describe('The target registry', () => {
  it('lists every folder under lib/targets that defines a target, each under its profile name', () => {
    // Prepare
    const folders = readdirSync('lib/targets', { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join('lib/targets', entry.name, 'definition.ts')))
      .map((entry) => entry.name);

    // Act
    const names = TARGET_NAMES.map((name) => TARGETS[name].profile.name);

    // Assess
    expect([...TARGET_NAMES].sort()).toEqual(folders.sort());
    expect(names).toEqual([...TARGET_NAMES]);
  });

  it("gives each sandbox the variant names its target's definition declares", () => {
    // Act
    const declared = Object.fromEntries(TARGET_NAMES.map((name) => [name, TARGETS[name].profile.variants]));

    // Assess
    expect(SANDBOX_VARIANTS).toEqual(declared);
  });
});
