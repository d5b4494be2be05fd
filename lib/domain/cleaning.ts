import { z } from 'zod';
import { columnMappingSchema } from './column-mapping.ts';

const count = z.number().int().nonnegative();

/**
 * What split did to the data on its way in, counted so the report can say it: every rule that changes or
 * drops a value has a counter here, and whatever a person should look at gets a warning with its place.
 */
export const cleaningSchema = z.object({
  /** Values whose surrounding spaces were trimmed. */
  trimmed: count,
  /** Rows with nothing in them (not rows of any stage). */
  blankRows: count,
  /** Rows holding only placeholders, punctuation or a repeat of the header (not rows of any stage). */
  junkRows: count,
  /** Rows with fewer fields than the header: the missing ones read as blank. */
  shortRows: count,
  /** Emails whose case was lowered. */
  emailsLowercased: count,
  /** Cells holding a list of emails (or phones) of which only the first was kept. */
  firstOfList: count,
  /** Phones rewritten to E.164. */
  phonesNormalized: count,
  /** Phones that could not be read as a number of the region: left out, with a warning. */
  phonesDropped: count,
  /** Websites and URLs reduced to a bare domain (scheme, `www.`, path stripped). */
  domainsFromWebsites: count,
  /** Companies without a website that got the shared work-email domain of their people. */
  domainsFromEmails: count,
  /** Enum values matched ignoring case to the target's spelling (`active` -> `Active`). */
  enumsCanonicalized: count,
  /** Values translated by a value map (built in, like HubSpot lifecycle stages, or the manifest's). */
  valuesMapped: count,
  /** Catch-all accounts ("Website Leads", "Unknown Company") not created as companies. */
  catchAllAccounts: count,
  /** People and deals imported without a company link because theirs was a catch-all account. */
  catchAllLinksDropped: count,
  /** Link rows made from association columns (HubSpot "Associated Deal IDs", Pipedrive "Contact person"). */
  associationLinks: count,
  /** Values from which control characters (NUL, BEL, …) were removed, with a warning each. */
  controlCharacters: count.default(0),
  /** Warnings in all (summary.json lists the first ones). */
  warnings: count,
  /** Warnings per file, by kind: every one counted, listed or not. */
  warningKinds: z.record(z.string(), z.record(z.string(), count)).optional(),
});
export type Cleaning = z.infer<typeof cleaningSchema>;

export type CleaningCounter = Exclude<keyof Cleaning, 'warnings' | 'warningKinds'>;

export const emptyCleaning = (): Cleaning => ({
  trimmed: 0,
  blankRows: 0,
  junkRows: 0,
  shortRows: 0,
  emailsLowercased: 0,
  firstOfList: 0,
  phonesNormalized: 0,
  phonesDropped: 0,
  domainsFromWebsites: 0,
  domainsFromEmails: 0,
  enumsCanonicalized: 0,
  valuesMapped: 0,
  catchAllAccounts: 0,
  catchAllLinksDropped: 0,
  associationLinks: 0,
  controlCharacters: 0,
  warnings: 0,
});

/**
 * What a warning is about, so a person sees at a glance how many of each: the file as a whole (its
 * encoding), a junk row dropped, a catch-all account, a domain taken from work emails, a phone left out,
 * several companies of which the first was linked, another value left out.
 */
export const WARNING_KINDS = [
  'file',
  'junk row',
  'catch-all account',
  'domain from emails',
  'phone left out',
  'several companies',
  'value left out',
  'control characters',
] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/** Something a person should know about a value that was changed or left out, and where it was. */
export const warningSchema = z.object({
  file: z.string(),
  /** 0 for the file as a whole (its encoding, for instance). */
  line: z.number().int().nonnegative(),
  column: z.string().optional(),
  message: z.string(),
  /** Absent in reports written before warnings had kinds. */
  kind: z.enum(WARNING_KINDS).optional(),
});
export type Warning = z.infer<typeof warningSchema>;

/** Where the rules report what they did: split collects it for the plan and the report. */
export interface CleaningSink {
  count(counter: CleaningCounter, by?: number): void;
  warn(warning: Warning & { kind: WarningKind }): void;
}

/** How many warnings summary.json lists; the rest are counted. */
export const WARNINGS_LISTED = 200;

/** A sink that keeps counters and the first warnings in memory (split's, and tests'). */
export class CleaningLog implements CleaningSink {
  readonly cleaning: Cleaning;
  readonly warnings: Warning[];

  /** Carries on from what an earlier invocation of split logged, when given. */
  constructor(saved?: { cleaning: Cleaning; warnings: Warning[] }) {
    this.cleaning = { ...emptyCleaning(), ...saved?.cleaning };
    if (this.cleaning.warningKinds) this.cleaning.warningKinds = structuredClone(this.cleaning.warningKinds);
    this.warnings = [...(saved?.warnings ?? [])];
  }

  count(counter: CleaningCounter, by = 1): void {
    this.cleaning[counter] += by;
  }

  warn(warning: Warning & { kind: WarningKind }): void {
    this.cleaning.warnings += 1;
    this.cleaning.warningKinds ??= {};
    const file = this.cleaning.warningKinds[warning.file] ?? {};
    file[warning.kind] = (file[warning.kind] ?? 0) + 1;
    this.cleaning.warningKinds[warning.file] = file;
    if (this.warnings.length < WARNINGS_LISTED) this.warnings.push(warning);
  }
}

/** Warnings by kind over the whole job (or the files given), every one counted. */
export function warningsByKind(
  cleaning: Pick<Cleaning, 'warningKinds'> | undefined,
  files?: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [file, kinds] of Object.entries(cleaning?.warningKinds ?? {})) {
    if (files && !files.includes(file)) continue;
    for (const [kind, n] of Object.entries(kinds)) out[kind] = (out[kind] ?? 0) + n;
  }
  return out;
}

/** What split recognised in one file, for the report: whose export, which entity, which column is what. */
export const recognizedSchema = z.object({
  file: z.string(),
  vendor: z.string(),
  entity: z.string().optional(),
  /** How the bytes were decoded (utf-8, utf-8 (BOM), utf-16le, utf-16be, windows-1252). */
  encoding: z.string().optional(),
  /** The field separator found on the header line. */
  delimiter: z.string().optional(),
  /** Header -> the field it was read as. */
  columns: z.record(z.string(), z.string()),
  /** A failures.csv dropped back in: the job it came from (references resolve through that job). */
  failuresOf: z.string().optional(),
  /** Every column, in header order: the field it goes into, the rows it names, or why it is not imported. */
  mapping: z.array(columnMappingSchema).optional(),
});
export type Recognized = z.infer<typeof recognizedSchema>;
