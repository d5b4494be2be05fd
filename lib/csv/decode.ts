import { isAscii, isUtf8 } from 'node:buffer';
import { bomOf, incompleteUtf8Tail, type TextEncoding, utf16Without } from '#domain/text-format.ts';

/** Called once the encoding is known, and again if it changes to Windows-1252 further on. */
export type OnEncoding = (encoding: TextEncoding) => void;

/**
 * What the decoder has learnt of a file so far: enough to carry on decoding it from the middle (a split
 * resumed at a record's first byte) exactly as if it had read it from the start.
 */
export interface TextState {
  /** UTF-16, or UTF-8 (with a BOM or not), or Windows-1252 when its first line beyond ASCII was. */
  encoding: TextEncoding;
  /** Length of the byte-order mark the file starts with (0 without one). */
  bom: number;
  /** A line beyond ASCII was valid UTF-8. */
  sawNonAscii: boolean;
  /** Lines of both encodings were read: the text no longer measures the bytes it came from. */
  mixed: boolean;
  /** The file is gzip-compressed: offsets in what it decompresses to cannot be read from the middle. */
  gzip?: boolean;
  /** The lines read as Windows-1252: the first ones, and how many in all. */
  windows1252Lines?: { first: number[]; count: number };
}

export const newTextState = (): TextState => ({
  encoding: 'utf-8',
  bom: 0,
  sawNonAscii: false,
  mixed: false,
});

/** A copy to carry on from, so the state a cursor saved is never changed by the read that resumes it. */
export const copyTextState = (state: TextState): TextState => ({
  ...state,
  ...(state.windows1252Lines
    ? { windows1252Lines: { ...state.windows1252Lines, first: [...state.windows1252Lines.first] } }
    : {}),
});

/** The warning for a file with lines read as Windows-1252, naming them; undefined when there are none. */
export function windows1252Warning(state: TextState): { line: number; message: string } | undefined {
  const lines = state.windows1252Lines;
  const first = lines?.first[0];
  if (!lines || first === undefined) return undefined;
  const more = lines.count > lines.first.length ? `, … (${lines.count} lines in all)` : '';
  const which = lines.count === 1 ? `line ${first} is` : `lines ${lines.first.join(', ')}${more} are`;
  return { line: first, message: `${which} not UTF-8: read as Windows-1252` };
}

/** How the report names the way a file was read: `utf-8 and windows-1252` when lines differ. */
export const encodingName = (state: TextState): string =>
  state.mixed
    ? `${state.encoding === 'windows-1252' ? 'utf-8' : state.encoding} and windows-1252`
    : state.encoding;

/** How many bytes of the file a piece of text decoded from it took (exact unless the file is mixed). */
export function encodedLength(text: string, encoding: TextEncoding): number {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return text.length * 2;
  if (encoding === 'windows-1252') return text.length;
  return Buffer.byteLength(text, 'utf8');
}

/** Enough bytes to see a BOM and UTF-16's zero bytes; the rest of the file streams through. */
const PEEK_BYTES = 64;

/** How many of the lines read as Windows-1252 are named (the rest are counted). */
const LINES_NAMED = 20;

/**
 * A line is held whole to decide its encoding; one longer than this (a file with no line breaks) is
 * decided a piece at a time, so memory stays flat.
 */
const MAX_LINE_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Decodes a stream of bytes into text, chunk by chunk. A BOM decides UTF-16; without one, UTF-16 is told
 * by its zero bytes. Anything else is read a line at a time: a line that is valid UTF-8 is UTF-8, and a
 * line that is not is Windows-1252 (a spreadsheet's ANSI export, or lines pasted in from one), so no byte
 * is ever replaced by U+FFFD. Given the state of an earlier read (`resumed`, at `line`), the bytes are
 * the rest of that file: they are decoded as it was, with no BOM or sniffing. `notes` keeps the lines
 * read as Windows-1252 for a reader that runs behind the decoder.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  onEncoding: OnEncoding,
  state: TextState = newTextState(),
  read: { line?: number; resumed?: boolean; notes?: LineNotes } = {},
): AsyncGenerator<string> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (!read.resumed && head.length < PEEK_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const rest = async function* () {
    if (head.length) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      // A view, not a copy: a copy of every chunk is one more buffer that waits through its records.
      const bytes = next.value;
      yield Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  };
  if (!read.resumed) {
    const bom = bomOf(head);
    state.bom = bom?.length ?? 0;
    state.encoding = bom?.encoding.startsWith('utf-16')
      ? bom.encoding
      : (utf16Without(head) ?? (bom ? 'utf-8 (BOM)' : 'utf-8'));
    head = head.subarray(state.bom);
  }
  onEncoding(state.encoding);
  if (state.encoding === 'utf-16le' || state.encoding === 'utf-16be') {
    // TextDecoder keeps a code unit split across chunks for the next one.
    const decoder = new TextDecoder(state.encoding, { ignoreBOM: true });
    for await (const chunk of rest()) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
    return;
  }
  const notes = read.notes ?? new LineNotes(state);
  yield* new LineDecoder(state, onEncoding, read.line ?? 1, notes).decode(rest());
  // Read on its own, the text is all taken once decoded; a reader that runs behind says how far it took.
  if (!read.notes) notes.taken(Infinity);
}

/**
 * The lines read as Windows-1252, noted as the decoder meets them and kept in the state only once the
 * reader has taken the text up to them: a read stopped between two records saves a state that knows
 * nothing of the lines decoded ahead of it, so a read resumed there does not note them twice.
 */
export class LineNotes {
  private readonly ahead: number[] = [];

  constructor(private readonly state: TextState) {}

  note(line: number): void {
    this.ahead.push(line);
  }

  /** Everything before `line` has been taken by the reader. */
  taken(line: number): void {
    while (this.ahead.length && (this.ahead[0] as number) < line) {
      const lines = this.state.windows1252Lines ?? { first: [], count: 0 };
      this.state.windows1252Lines = lines;
      lines.count += 1;
      const noted = this.ahead.shift() as number;
      if (lines.first.length < LINES_NAMED) lines.first.push(noted);
    }
  }
}

/** UTF-8 or Windows-1252, decided line by line. */
class LineDecoder {
  private readonly windows1252 = new TextDecoder('windows-1252');
  /** The line the next byte is on. */
  private line: number;
  /** The last line noted as Windows-1252 (a long line decided in pieces is noted once). */
  private noted = 0;

  constructor(
    private readonly state: TextState,
    private readonly onEncoding: OnEncoding,
    line: number,
    private readonly notes: LineNotes,
  ) {
    this.line = line;
  }

  async *decode(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
    let pending: Buffer = Buffer.alloc(0);
    for await (const chunk of chunks) {
      // The line the last chunk left unfinished is finished on its own, not by copying the whole chunk
      // after it: a copy of every chunk was as much garbage again as the file, and it waited for a full
      // collection. The lines decoded are the same, in the same order.
      const first = pending.length ? firstBreakEnd(chunk, pending[pending.length - 1] === CR) : 0;
      let bytes = chunk;
      let head = '';
      if (first < 0) bytes = Buffer.concat([pending, chunk]);
      else if (pending.length) {
        head = this.lines(Buffer.concat([pending, chunk.subarray(0, first)]));
        bytes = chunk.subarray(first);
      }
      let end = lastBreakEnd(bytes);
      // No line break in a megabyte: decide what is there (less a character the next chunk completes).
      if (end === 0 && bytes.length > MAX_LINE_BYTES) end = pieceEnd(bytes);
      // A copy: a view would keep the whole chunk alive until the next one.
      pending = Buffer.from(bytes.subarray(end));
      const text = head + this.lines(bytes.subarray(0, end));
      if (text) yield text;
    }
    if (pending.length) yield this.lines(pending);
  }

  /** Whole lines (or the piece of a long one): valid UTF-8 at once, else each line on its own. */
  private lines(bytes: Buffer): string {
    if (isUtf8(bytes)) {
      this.sawLine(isAscii(bytes) ? 'ascii' : 'utf-8');
      this.line += breaks(bytes);
      return bytes.toString('utf8');
    }
    let text = '';
    for (let start = 0; start < bytes.length; ) {
      const end = nextLineEnd(bytes, start);
      const line = bytes.subarray(start, end);
      if (isUtf8(line)) {
        this.sawLine(isAscii(line) ? 'ascii' : 'utf-8');
        text += line.toString('utf8');
      } else {
        this.sawLine('windows-1252');
        text += this.windows1252.decode(line);
      }
      this.line += breaks(line);
      start = end;
    }
    return text;
  }

  private sawLine(kind: 'ascii' | 'utf-8' | 'windows-1252'): void {
    const { state } = this;
    if (kind === 'ascii') return;
    if (kind === 'utf-8') {
      // UTF-8 after Windows-1252 lines: both are in the file.
      if (state.encoding === 'windows-1252') state.mixed = true;
      state.sawNonAscii = true;
      return;
    }
    if (this.noted !== this.line) {
      this.noted = this.line;
      this.notes.note(this.line);
    }
    // Only ASCII before: the file is Windows-1252, and ASCII reads the same in both, so bytes still
    // measure text. After UTF-8 (or with a UTF-8 BOM) it holds both.
    if (state.encoding === 'utf-8' && !state.sawNonAscii) {
      state.encoding = 'windows-1252';
      this.onEncoding('windows-1252');
    } else if (state.encoding !== 'windows-1252') state.mixed = true;
  }
}

/**
 * Where the last whole line of the bytes ends (0: none does). A CR at the very end may be the first half
 * of a CRLF, so it waits for the next chunk.
 */
function lastBreakEnd(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i];
    if (byte === LF) return i + 1;
    if (byte === CR && i < bytes.length - 1) return i + 1;
  }
  return 0;
}

/**
 * Where the first line break of a chunk ends, for a line begun in the chunk before (-1: none in it). When
 * that line ended in a CR, it ends there (0), unless the chunk goes on with the CRLF's LF (1).
 */
function firstBreakEnd(bytes: Buffer, afterCr: boolean): number {
  if (afterCr) return bytes[0] === LF ? 1 : 0;
  const end = nextLineEnd(bytes, 0);
  // No break, or a CR at the very end, which may be the first half of a CRLF: as lastBreakEnd, it waits.
  return end < bytes.length || bytes[end - 1] === LF ? end : -1;
}

/** Where to cut a long line: not inside a character, nor between the CR and LF of a CRLF. */
function pieceEnd(bytes: Buffer): number {
  const end = bytes.length - incompleteUtf8Tail(bytes);
  return bytes[end - 1] === CR ? end - 1 : end;
}

/** The end of the line that starts at `start`: after its LF, CR or CRLF, or the end of the bytes. */
function nextLineEnd(bytes: Buffer, start: number): number {
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === LF) return i + 1;
    if (byte === CR) return bytes[i + 1] === LF ? i + 2 : i + 1;
  }
  return bytes.length;
}

/** Line breaks (LF, CR, CRLF) in the bytes; a CR at the very end is counted (the caller keeps CRLF whole). */
function breaks(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) count += 1;
  for (let i = bytes.indexOf(CR); i !== -1; i = bytes.indexOf(CR, i + 1)) if (bytes[i + 1] !== LF) count += 1;
  return count;
}
