import { describe, expect, it } from 'vitest';
import { mappingPreview } from '#view/mapping.ts';

const report = {
  dryRun: true,
  recognized: [
    {
      file: 'crm-export.csv',
      vendor: 'generic',
      entity: 'lead',
      columns: { Email: 'email' },
      mapping: [
        { column: 'Email', use: 'field' as const, target: 'email', samples: ['ann@example.com'] },
        {
          column: 'Notes',
          use: 'not imported' as const,
          reason: 'no field' as const,
          detail: "ActuallyCare's lead has no field for it",
          samples: [
            'Asked about the three-bedroom listing on Elm Street',
            'Bought in 2021, may sell in spring',
          ],
        },
      ],
    },
  ],
};

describe('mappingPreview', () => {
  it("cuts a table line to the terminal's width, values first, instead of wrapping it", () => {
    // Act
    const lines = mappingPreview(report, undefined, 60);

    // Assess
    const notes = lines.find((l) => l.includes('Notes')) ?? '';
    expect(notes).toHaveLength(60);
    expect(notes.endsWith('…')).toBe(true);
    expect(notes).toContain('not imported');
    expect(lines.every((l) => l.startsWith('Recognised') || l.length <= 60)).toBe(true);
  });

  it('keeps every line whole when no width is known (a pipe, summary.txt)', () => {
    // Act
    const lines = mappingPreview(report);

    // Assess
    // (each value is cut at 24 characters by the table itself, whatever the width)
    expect(lines.find((l) => l.includes('Notes'))?.endsWith("'Bought in 2021, may sel…'")).toBe(true);
  });
});
