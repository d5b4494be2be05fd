/** One line of the benchmark table; a figure without a target is context for the ones above it. */
export interface Figure {
  /** Starts a new block, headed by this line. */
  section?: string;
  name: string;
  value: string;
  target?: string;
  pass?: boolean;
}

/** One table: figure, value, target, pass / short. */
export function printTable(figures: Figure[], out: NodeJS.WritableStream = process.stdout): void {
  const width = (pick: (f: Figure) => string) => Math.max(...figures.map((f) => pick(f).length));
  const [name, value, target] = [width((f) => f.name), width((f) => f.value), width((f) => f.target ?? '')];
  const lines: string[] = [];
  for (const f of figures) {
    if (f.section) lines.push('', f.section);
    const verdict = f.target === undefined ? '' : f.pass ? 'pass' : 'short';
    lines.push(
      `  ${f.name.padEnd(name)}  ${f.value.padStart(value)}  ${(f.target ?? '').padEnd(target)}  ${verdict}`.trimEnd(),
    );
  }
  const failed = figures.filter((f) => f.target !== undefined && !f.pass).length;
  lines.push('', failed ? `${failed} figure(s) short of target` : 'every figure meets its target');
  out.write(`crm-import benchmark\n${lines.join('\n')}\n`);
}
