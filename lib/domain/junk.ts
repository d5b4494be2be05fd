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

/**
 * Why a row is junk, or undefined when it is not. A row is junk when each of its non-blank cells is a
 * placeholder, or when it repeats the header (each non-blank cell names its own column, and at least two
 * do, so a one-word value that happens to match is not mistaken for a header). Blank rows are not junk:
 * they are counted apart.
 */
export function junkReason(values: Record<string, string>): string | undefined {
  const cells = Object.entries(values)
    .map(([header, value]) => [header, value.trim()] as const)
    .filter(([, value]) => value !== '');
  if (!cells.length) return undefined;
  if (cells.every(([, value]) => isPlaceholder(value))) {
    const shown = [...new Set(cells.map(([, value]) => `'${value}'`))].slice(0, 3).join(', ');
    return `holds only placeholders (${shown})`;
  }
  const columns = Object.keys(values).length;
  const repeats = cells.every(([header, value]) => normalizeHeader(header) === normalizeHeader(value));
  if (repeats && cells.length >= Math.min(2, columns)) return 'repeats the header';
  return undefined;
}
