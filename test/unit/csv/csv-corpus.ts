import { mulberry32 } from '#sandbox/common/seeded-random.ts';
/**
 * Deterministic CSV files for the differential test of the tokenizer against csv-parse: regular files
 * (which the tokenizer must read alone) and files with every kind of record csv-parse reads its own way,
 * in the encodings the decoder knows, cut into chunks of random sizes.
 */

export type CorpusEncoding = 'utf-8' | 'utf-16le' | 'windows-1252' | 'mixed';

export interface CorpusFile {
  text: string;
  encoding: CorpusEncoding;
  /** Sizes of the chunks the bytes arrive in, used in turn (0: all at once). */
  chunks: number[];
  /** Nothing in it needs csv-parse: the tokenizer reads it all. */
  regular: boolean;
  /** Which record a read resumes after, as a fraction of the records read. */
  resumeAt: number;
}

/** A seeded generator, so the corpus is the same on every machine. */
export const random = mulberry32;

const ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .-@!#()/\\'";
/** Letters of one to four UTF-8 bytes, spaces csv-parse could trim, a BOM and a line separator in text. */
const UNICODE = 'éüßñ中文😀\u00a0\u3000\u2028\ufeff\u0085';
/** What Windows-1252 and Latin-1 write alike. */
const LATIN = 'éüßñÆØ\u00a0';
const SEPARATORS = [',', ',', ',', ';', '\t', '|'] as const;
const BREAKS = ['\n', '\r\n', '\r'] as const;

/** One file of the corpus, from its seed. */
export function corpusFile(seed: number): CorpusFile {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const encoding = pick<CorpusEncoding>([
    'utf-8',
    'utf-8',
    'utf-8',
    'utf-8',
    'utf-16le',
    'windows-1252',
    'mixed',
  ]);
  const letters = [...ASCII, ...(encoding === 'utf-8' || encoding === 'utf-16le' ? UNICODE : LATIN)];
  const separator = pick(SEPARATORS);
  const style = pick(['\n', '\n', '\n', '\r\n', '\r\n', '\r', 'mixed'] as const);
  const odd = rand() < 0.5 ? 0 : pick([0.002, 0.01, 0.05, 0.2]);
  let regular = odd === 0 && style !== 'mixed';
  const eol = () => (style === 'mixed' ? pick(BREAKS) : style);
  const word = (min: number, max: number) => {
    let out = '';
    for (let i = between(min, max); i > 0; i--) out += pick(letters);
    return out;
  };
  const quoted = (lines: number) => {
    let out = '';
    for (let i = between(0, 6); i > 0; i--) {
      const r = rand();
      if (r < 0.4) out += word(1, 12);
      else if (r < 0.55) out += pick([separator, ',', ';', '\t']);
      else if (r < 0.7) out += '""';
      else if (r < 0.7 + 0.3 * lines) out += pick(BREAKS);
      else out += ' ';
    }
    return `"${out}"`;
  };
  const regularField = () => {
    const r = rand();
    if (r < 0.1) return '';
    if (r < 0.55) return word(1, 20);
    if (r < 0.88) return quoted(0.5);
    if (r < 0.94) return word(50, 300);
    // A NUL is text to csv-parse, unless it follows a closing quote (then it closes the quote).
    if (r < 0.95) return rand() < 0.5 ? `${word(1, 3)}\0${word(0, 3)}` : `"${word(0, 3)}\0"`;
    return quoted(1).slice(0, -1) + quoted(1).slice(1);
  };
  const oddField = () => {
    regular = false;
    return pick([
      () => `${word(1, 5)}"${word(0, 5)}`,
      () => `"${word(1, 5)}"${word(1, 5)}`,
      () => ` "${word(1, 5)}"`,
      () => `"${word(1, 5)}" `,
      () => `"${word(0, 5)}`,
      () => `"${word(1, 3)}"\0${word(0, 2)}`,
      () => `${word(1, 3)}${pick(BREAKS)}${word(1, 3)}`,
      () => '"',
    ])();
  };
  const field = () => (rand() < odd ? oddField() : regularField());

  const columns = rand() < 0.05 ? 1 : between(2, 6);
  if (columns === 1) regular = false;
  const names = Array.from({ length: columns }, () =>
    rand() < 0.1 ? '' : word(1, 8).replace(/[^a-z]/gi, 'x'),
  );
  let text = '';
  // A UTF-8 BOM the decoder drops; then (UTF-16 has its own BOM) a second one it leaves to csv-parse.
  if (encoding === 'utf-8' && rand() < 0.15) text += '\ufeff';
  if ((encoding === 'utf-8' || encoding === 'utf-16le') && rand() < 0.03) {
    text += '\ufeff';
    regular = false;
  }
  if (rand() < 0.05) text += `sep=${separator}${eol()}`;
  else if (rand() < 0.03) {
    // Blank lines before the header: the separator is sniffed from a blank line.
    text += eol();
    if (separator !== ',') regular = false;
  }
  if (rand() < 0.05) {
    // A line break in a quoted name comes before the one that says how records end.
    names[0] = quoted(1);
    if (/[\r\n,;\t|]/.test(names[0])) regular = false;
  }
  text += names.join(separator) + eol();
  // A few files past 16 KB, so records cross the pieces a decoded chunk is parsed in.
  const big = rand() < 0.03;
  const records = big ? between(200, 800) : between(0, 30);
  for (let r = 0; r < records; r++) {
    if (rand() < 0.1) for (let b = between(1, 3); b > 0; b--) text += eol();
    const r2 = rand();
    const count = r2 < 0.1 ? between(1, columns) : r2 < 0.2 ? between(columns, columns + 3) : columns;
    const fields = Array.from({ length: count }, field);
    if (rand() < 0.05) fields.push('');
    text += fields.join(separator);
    if (r < records - 1 || rand() < 0.8) text += eol();
  }
  if (rand() < 0.1) for (let b = between(1, 3); b > 0; b--) text += eol();
  const tiny = big ? [] : [[1, 3, 5, 8, 13]];
  const sizes = pick([[0], ...tiny, [7, 31, 64], [100, 999, 4096], [16_384, 65_536, 70_001]]);
  const chunks = sizes[0] === 0 ? [0] : Array.from({ length: 16 }, () => between(1, pick(sizes)));
  return { text, encoding, chunks, regular, resumeAt: rand() };
}

/** The file's bytes, as the encoding writes them (mixed: each line as UTF-8 or as Windows-1252). */
export function bytesOf(file: CorpusFile, rand = random(file.text.length)): Buffer {
  if (file.encoding === 'utf-8') return Buffer.from(file.text, 'utf8');
  if (file.encoding === 'utf-16le') return Buffer.from(`\ufeff${file.text}`, 'utf16le');
  if (file.encoding === 'windows-1252') return Buffer.from(file.text, 'latin1');
  const lines = file.text.split(/(?<=\n)/);
  return Buffer.concat(lines.map((line) => Buffer.from(line, rand() < 0.5 ? 'utf8' : 'latin1')));
}

/** The bytes cut as the file's chunk sizes say, in turn. */
export function chunksOf(bytes: Buffer, sizes: number[]): Buffer[] {
  if (sizes[0] === 0) return [bytes];
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/**
 * The smallest file, by whole chunks, then lines, then characters taken out, that still `fails`: what a
 * failing comparison prints.
 */
export async function shrink(
  file: CorpusFile,
  fails: (file: CorpusFile) => Promise<boolean>,
): Promise<CorpusFile> {
  let smallest = file;
  if (file.chunks[0] !== 0 && (await fails({ ...file, chunks: [0] }))) smallest = { ...file, chunks: [0] };
  for (const unit of [/(?<=\r\n|\r(?!\n)|\n)/, /(?:)/u]) {
    if (unit.unicode && smallest.text.length > 5000) break;
    let parts = smallest.text.split(unit);
    // Runs of parts taken out, halving the run each time none can go.
    for (let size = Math.ceil(parts.length / 2); size >= 1; ) {
      let fewerParts = false;
      for (let at = 0; at < parts.length; at += size) {
        const fewer = [...parts.slice(0, at), ...parts.slice(at + size)];
        const candidate = { ...smallest, text: fewer.join('') };
        if (!(await fails(candidate))) continue;
        parts = fewer;
        smallest = candidate;
        fewerParts = true;
        at -= size;
      }
      if (!fewerParts) size = Math.floor(size / 2);
    }
  }
  return smallest;
}
