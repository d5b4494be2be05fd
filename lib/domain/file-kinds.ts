/**
 * What a file dropped as a CSV really is, told from its first bytes: exports arrive gzip-compressed, or
 * as the spreadsheet they were meant to be saved from. A CSV is text: many control bytes at the start of a
 * file that is not UTF-16 make it something else.
 */
export type FileKind =
  | { kind: 'text' }
  | { kind: 'gzip' }
  | { kind: 'not-csv'; what: string; advice: string };

/** How much of the start of a file tells its kind. */
export const KIND_BYTES = 4096;

const startsWith = (head: Uint8Array, magic: readonly number[]) => magic.every((byte, i) => head[i] === byte);

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];

/** `head`: the first KIND_BYTES of the file (fewer for a short one); `utf16`: its text is UTF-16. */
export function fileKindOf(head: Uint8Array, utf16: boolean): FileKind {
  if (startsWith(head, GZIP)) return { kind: 'gzip' };
  if (startsWith(head, ZIP)) {
    // An .xlsx is a zip whose parts live under xl/ (an Office file names its parts near the start).
    return Buffer.from(head).includes('xl/')
      ? { kind: 'not-csv', what: 'an Excel workbook', advice: 'save it as CSV' }
      : { kind: 'not-csv', what: 'a zip archive', advice: 'unzip it and drop the CSV files in it' };
  }
  if (startsWith(head, OLE))
    return {
      kind: 'not-csv',
      what: 'an Excel workbook (.xls, or another Office file)',
      advice: 'save it as CSV',
    };
  if (startsWith(head, PDF)) return { kind: 'not-csv', what: 'a PDF', advice: 'export the data as CSV' };
  if (!utf16 && binary(head.subarray(0, 1024)))
    return {
      kind: 'not-csv',
      what: 'not a text file (it has binary bytes)',
      advice: 'export the data as CSV',
    };
  return { kind: 'text' };
}

/**
 * More than one byte in twenty a control character (NUL included) that text does not use: compressed or
 * executable data has about one in nine, while a CSV with a stray NUL in a name is still text (its
 * control characters are taken out of the values, with a warning).
 */
function binary(bytes: Uint8Array): boolean {
  let controls = 0;
  for (const byte of bytes)
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) controls += 1;
  return controls * 20 > bytes.length;
}
