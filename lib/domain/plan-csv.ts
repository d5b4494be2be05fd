import type { MergedRow } from './entities.ts';
import { cell } from './failures-csv.ts';
import type { Outcome } from './outcomes.ts';
import type { FailureRow } from './report.ts';

const ACTION: Record<Outcome['status'], string> = {
  created: 'create',
  updated: 'update',
  skipped: 'skip',
  failed: 'fail',
  held: 'hold',
};

interface PlanRow {
  entity: string;
  file: string;
  line: number;
  action: string;
  reason: string;
  raw: Record<string, string>;
}

/**
 * plan.csv of a dry run: every row with what the import would do to it (create, update, skip because it
 * exists, merge into an earlier row, fail, hold) and why, and the links it would make, with the row's
 * original columns. Nothing was written to the target.
 */
export function planCsv(input: {
  outcomes: Outcome[];
  merges: MergedRow[];
  splitFailures: FailureRow[];
}): string {
  const rows: PlanRow[] = [
    ...input.outcomes.map((o) => ({
      entity: o.entity,
      file: o.file,
      line: o.line,
      action: o.entity === 'link' && o.status === 'created' ? 'link' : ACTION[o.status],
      reason: o.message ?? '',
      raw: o.raw ?? {},
    })),
    ...input.merges.map((m) => ({
      entity: m.entity,
      file: m.file,
      line: m.line,
      action: 'merge',
      reason: `into ${m.intoFile} line ${m.intoLine}`,
      raw: m.raw,
    })),
    ...input.splitFailures.map((f) => ({
      entity: f.entity ?? '',
      file: f.file,
      line: f.line,
      action: 'fail',
      reason: f.message,
      raw: f.raw,
    })),
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.raw)))];
  const fixed = ['entity', 'file', 'line', 'action', 'reason'];
  const header = [...fixed, ...columns.map((c) => (fixed.includes(c) ? `original_${c}` : c))];
  const lines = [header.map(cell).join(',')];
  for (const r of rows) {
    lines.push(
      [r.entity, r.file, String(r.line), r.action, r.reason, ...columns.map((c) => r.raw[c] ?? '')]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
