/**
 * How a CSV's bytes and fields are laid out, told from its first bytes and its header line. Spreadsheet
 * exports come as UTF-8 (with or without a BOM), UTF-16 ("Unicode text", with a BOM) or Windows-1252, and
 * with commas, semicolons (European Excel) or tabs.
 */
export type TextEncoding = 'utf-8' | 'utf-8 (BOM)' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const BOMS: [TextEncoding, number[]][] = [
  ['utf-8 (BOM)', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The encoding a byte-order mark declares, and the mark's length. */
export function bomOf(head: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  for (const [encoding, mark] of BOMS)
    if (mark.every((byte, i) => head[i] === byte)) return { encoding, length: mark.length };
  return undefined;
}

/**
 * UTF-16 without a BOM: text that is mostly ASCII has a zero in every other byte. Needs a few dozen
 * bytes to be sure; says nothing (undefined) otherwise.
 */
export function utf16Without(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(head.length, 1024) / 2);
  if (pairs < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZeros += 1;
    if (head[2 * i + 1] === 0) oddZeros += 1;
  }
  if (oddZeros / pairs > 0.4 && evenZeros / pairs < 0.05) return 'utf-16le';
  if (evenZeros / pairs > 0.4 && oddZeros / pairs < 0.05) return 'utf-16be';
  return undefined;
}

/**
 * How many bytes at the end of `bytes` start a UTF-8 sequence the next chunk completes (0-3), so a chunk
 * boundary in the middle of a character is not mistaken for invalid UTF-8.
 */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const need = (byte & 0xe0) === 0xc0 ? 2 : (byte & 0xf0) === 0xe0 ? 3 : (byte & 0xf8) === 0xf0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * The field separator of a file, from its header line: the candidate that occurs most often outside
 * quotes. Header names seldom hold a separator, so the count is reliable; a tie, or none at all (a
 * one-column file), is a comma.
 */
export function sniffDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const candidate of DELIMITERS)
    if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  return best;
}

/** Excel writes `sep=;` as a first line to name the separator; the header follows it. */
export const separatorLine = (line: string): Delimiter | undefined => {
  const found = /^"?sep=(.)"?\s*$/i.exec(line)?.[1];
  return DELIMITERS.find((d) => d === found);
};

/** A name for the report: `;` reads fine, a tab does not. */
export const delimiterName = (delimiter: Delimiter): string =>
  delimiter === '\t' ? 'tab' : delimiter === ';' ? 'semicolon' : delimiter === '|' ? 'pipe' : 'comma';
