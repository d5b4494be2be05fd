import { describe, expect, it } from 'vitest';
import { wrapWords } from '#view/format.ts';

const declared =
  'The target declares: person name name{first_name,last_name}; lifecycle stage (Lead, Qualified, Customer); deal stages Prospecting, Qualification, Proposal, Negotiation, Closed Won';

describe('wrapWords', () => {
  it('wraps a long note at word boundaries within the width, its later lines indented', () => {
    // Act
    const lines = wrapWords(declared, 60);

    // Assess: nothing is lost or cut mid-word, and every line fits
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines.slice(1).every((line) => line.startsWith('  ') && !line.startsWith('   '))).toBe(true);
    expect(lines.map((line) => line.trim()).join(' ')).toBe(declared);
    expect(lines[2]).toMatch(/^ {2}\S/);
  });

  it('leaves a note that fits, or one with no width to fit, as it is', () => {
    expect(wrapWords('Checked before writing: ✔ workspace schema', 80)).toEqual([
      'Checked before writing: ✔ workspace schema',
    ]);
    expect(wrapWords(declared)).toEqual([declared]);
  });

  it('keeps a word longer than the line whole, on a line of its own', () => {
    expect(wrapWords(`short ${'x'.repeat(30)} end`, 20)).toEqual(['short', `  ${'x'.repeat(30)}`, '  end']);
  });
});
