import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every .ts file below `dir`, relative to the project. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [relative('.', path)] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
    (m) => m[1] as string,
  );

describe('The layers run one way', () => {
  it('no function folder imports from another function folder (they share through lib/ and commons/)', () => {
    // Prepare
    const crossings: string[] = [];

    // Act
    for (const file of sources('functions')) {
      const own = file.split('/')[1];
      for (const spec of importsOf(file)) {
        const folder =
          /^#functions\/([^/]+)\//.exec(spec)?.[1] ?? /^\.\.\/([^/]+)\//.exec(spec)?.[1] ?? undefined;
        if (folder && folder !== own && folder !== 'commons') crossings.push(`${file} -> ${spec}`);
      }
    }

    // Assess
    expect(crossings).toEqual([]);
  });

  it('the layers run one way: bin and local/ above functions/, functions/ above lib/, lib/ above nothing of ours', () => {
    // Prepare: what each layer may not reach
    const above: Record<string, RegExp> = {
      lib: /^#(functions|commons|runtime|view|cli|sandbox)\//,
      functions: /^#(runtime|view|cli|sandbox)\//,
    };

    // Act
    const upward = Object.entries(above).flatMap(([dir, forbidden]) =>
      sources(dir).flatMap((file) =>
        importsOf(file)
          .filter((spec) => forbidden.test(spec) || /^(\.\.\/)+(local|functions|sandbox)\//.test(spec))
          .map((spec) => `${file} -> ${spec}`),
      ),
    );

    // Assess
    expect(upward).toEqual([]);
  });

  it('lib/domain imports nothing of the project outside itself (pure logic, no AWS)', () => {
    // Act
    const outside = sources('lib/domain').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('#') || spec.startsWith('@aws-sdk') || spec.startsWith('.'))
        .filter((spec) =>
          spec.startsWith('.')
            ? !join(dirname(file), spec).startsWith('lib/domain/')
            : !spec.startsWith('#domain/'),
        )
        .map((spec) => `${file} -> ${spec}`),
    );

    // Assess
    expect(outside).toEqual([]);
  });

  it('the pipeline knows a target only through its interface: no function imports one adapter', () => {
    // Act
    const reaching = ['functions', 'lib/domain', 'lib/storage'].flatMap((dir) =>
      sources(dir).flatMap((file) =>
        importsOf(file)
          .filter((spec) => /^#targets\/(clarify|actuallycare)\//.test(spec))
          .map((spec) => `${file} -> ${spec}`),
      ),
    );

    // Assess
    expect(reaching).toEqual([]);
  });
});
