/**
 * Control characters: C0 but tab, line feed and carriage return (a quoted multi-line note keeps its
 * breaks), DEL, and C1 (what Windows-1252's undefined bytes decode to). A CRM stores them as they come
 * and a spreadsheet shows them as garbage, so they go on the way in and never reach a report file.
 */
const CONTROLS = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]';
const ANY = new RegExp(CONTROLS);
const ALL = new RegExp(CONTROLS, 'g');

export const hasControlCharacters = (text: string): boolean => ANY.test(text);

export const withoutControlCharacters = (text: string): string =>
  ANY.test(text) ? text.replace(ALL, '') : text;

const NAMES: Record<number, string> = {
  0: 'NUL',
  7: 'BEL',
  8: 'BS',
  11: 'VT',
  12: 'FF',
  27: 'ESC',
  127: 'DEL',
};

/** The control characters a text holds, named once each: `NUL, BEL, U+0085`. */
export function controlCharacterNames(text: string): string {
  const names = new Set<string>();
  for (const [char] of text.matchAll(ALL)) {
    const code = char.charCodeAt(0);
    names.add(NAMES[code] ?? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return [...names].join(', ');
}
