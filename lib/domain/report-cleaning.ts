import type { Cleaning, Recognized, Warning } from './cleaning.ts';
import { mappingLines, warningLines } from './mapping-table.ts';

/** What split recognised and cleaned, as summary.json carries it (optional: older jobs lack it). */
export interface CleaningReport {
  recognized?: Recognized[];
  cleaning?: Cleaning;
  warnings?: Warning[];
}

/** Only the parts the split plan has. */
export const cleaningReport = (from: CleaningReport): CleaningReport => ({
  ...(from.recognized ? { recognized: from.recognized } : {}),
  ...(from.cleaning ? { cleaning: from.cleaning } : {}),
  ...(from.warnings ? { warnings: from.warnings } : {}),
});

/**
 * summary.txt: per recognised file, a line and the table of what became of each column; one line for the
 * cleaning; the warnings by kind and the first few (summary.json has the details).
 */
export function cleaningLines(s: CleaningReport): string[] {
  const lines = mappingLines(s);
  const c = s.cleaning;
  if (c)
    lines.push(
      `Cleaning: trimmed ${c.trimmed} values; dropped ${c.blankRows} blank and ${c.junkRows} junk rows; ${c.emailsLowercased} emails lower-cased; ${c.phonesNormalized} phones to E.164, ${c.phonesDropped} left out; ${c.domainsFromWebsites} domains from websites, ${c.domainsFromEmails} from work emails; ${c.enumsCanonicalized + c.valuesMapped} values matched to the target's; ${c.catchAllAccounts} catch-all accounts not created (${c.catchAllLinksDropped} links to them dropped); ${c.associationLinks} links from association columns; ${c.warnings} warnings`,
    );
  lines.push(...warningLines(s));
  return lines;
}
