import { normalizeHeader } from './columns.ts';

/**
 * Words exports and hand-kept sheets use for "nothing here", compared without case or punctuation:
 * `N/A`, `n.a.`, `#N/A` and `na` are one word. Excel's error values (#REF!, #VALUE!) are placeholders too.
 */
const PLACEHOLDERS = new Set([
  'na',
  'none',
  'null',
  'nil',
  'test',
  'tbd',
  'unknown',
  'x',
  'xx',
  'xxx',
  'dummy',
  'asdf',
  'ref',
  'value',
  'div0',
]);

const placeholderKey = (value: string) => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** A cell that says nothing: only punctuation and symbols (`-`, `?`, `...`), or a placeholder word. */
export const isPlaceholder = (value: string): boolean => {
  const key = placeholderKey(value);
  return key === '' || PLACEHOLDERS.has(key);
};

/** A file's few header names, normalized once each rather than once a row. */
const HEADERS = new Map<string, string>();
const HEADERS_KEPT = 10_000;

function normalizedHeader(header: string): string {
  let normalized = HEADERS.get(header);
  if (normalized === undefined) {
    if (HEADERS.size >= HEADERS_KEPT) HEADERS.clear();
    normalized = normalizeHeader(header);
    HEADERS.set(header, normalized);
  }
  return normalized;
}

/**
 * Why a row is junk, or undefined when it is not. A row is junk when each of its non-blank cells is a
 * placeholder, or when it repeats the header (each non-blank cell names its own column, and at least two
 * do, so a one-word value that happens to match is not mistaken for a header). Blank rows are not junk:
 * they are counted apart.
 */
export function junkReason(values: Record<string, string>): string | undefined {
  // One pass, without building the list of cells: nearly every row is told not junk by its first cell.
  let placeholders = true;
  let repeats = true;
  let cells = 0;
  for (const header of Object.keys(values)) {
    const value = (values[header] as string).trim();
    if (value === '') continue;
    cells += 1;
    placeholders &&= isPlaceholder(value);
    repeats &&= normalizedHeader(header) === normalizeHeader(value);
    if (!placeholders && !repeats) return undefined;
  }
  if (!cells) return undefined;
  if (placeholders) {
    const shown = new Set(Object.values(values).map((v) => `'${v.trim()}'`));
    shown.delete("''");
    return `holds only placeholders (${[...shown].slice(0, 3).join(', ')})`;
  }
  if (cells >= Math.min(2, Object.keys(values).length)) return 'repeats the header';
  return undefined;
}
