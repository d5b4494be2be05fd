const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

/** CSV text of rows, quoted where a cell needs it, as a CRM export would write it. */
export const csv = (rows: string[][]) => `${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;
