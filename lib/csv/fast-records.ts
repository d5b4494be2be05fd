import type { Delimiter } from '#domain/text-format.ts';
import type { CsvPosition } from './read-csv.ts';

/** A record as a parser hands it over: the line it starts on, its fields, and where the next one begins. */
export interface ParsedRecord {
  line: number;
  fields: string[];
  next: CsvPosition;
}

/** Decoded text in, records out through the callbacks it was made with. */
export interface TextParser {
  write(text: string): void;
  /** The end of the text: the last record (one with no line break after it) comes out. */
  end(): Promise<void>;
}

/** Where csv-parse takes over: always between two records, so it starts as the tokenizer left off. */
export interface Takeover {
  /** The line its first record is counted from. */
  line: number;
  /** Its first record is the header. */
  header: boolean;
  /**
   * Nothing was handed out yet: csv-parse reads the text from its very start, as it would have alone (a
   * byte order mark, and which line break ends records, are its to find).
   */
  fresh: boolean;
  /** The line break that ends records, as the tokenizer found it (undefined while none was seen). */
  lineBreak?: '\n' | '\r\n' | '\r';
}

export interface FastRecordsOptions {
  delimiter: Delimiter;
  /** The line the first record is counted from. */
  line: number;
  /** The first record is the header. */
  header: boolean;
  onHeader: (fields: string[]) => void;
  onRecord: (record: ParsedRecord) => void;
  /** The byte offset after a record's raw text (its blank lines before, and its line break, included). */
  measure: (raw: string) => number | null;
  /** A callback failed: the read fails with it. */
  onError: (error: unknown) => void;
  /** csv-parse, for the text from the first record the tokenizer is not certain of. */
  takeover: (at: Takeover) => TextParser;
}

/**
 * A record held this long and still not ended (a quote that runs on, or one that never closes) goes to
 * csv-parse: each piece of text read again from the record's start would cost more than csv-parse does.
 */
const MAX_HELD = 1 << 20;

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** What `scan` found from a place between records. */
const RECORD = 0;
/** Not enough text yet to say. */
const WAIT = -1;
/** A record csv-parse reads otherwise than the tokenizer would, or might: csv-parse takes the text from it. */
const IRREGULAR = -2;
/** Only blank lines up to the end. */
const NOTHING = -3;

/** Record line breaks, csv-parse's way: the first line break outside quotes decides (0 while none was seen). */
const UNKNOWN = 0;
const LF_ENDS = 1;
const CRLF_ENDS = 2;
const CR_ENDS = 3;
const BREAK_TEXT = [undefined, '\n', '\r\n', '\r'] as const;

/**
 * Reads the records csv-parse reads the same way every time (unquoted fields, a quote inside one read as
 * text; quoted ones, with doubled quotes and line breaks inside, closed right before a separator or a
 * line break; blank lines) without it: csv-parse costs ~5 µs a row in its byte-at-a-time loop, and a
 * split of a million rows waits on it. Records come out exactly as `parserFor` hands them over, at the
 * same moments (csv-parse holds a record until 3 bytes follow its line break, and offsets are measured
 * then, with what the decoder knows by that time). From the first record that is anything else (text
 * after a closing quote, a quote that never closes, a line break unlike the first one) the rest of the
 * text goes to csv-parse, so relaxed quotes, skipped records, their messages and the lines read again
 * after a quote that never closes stay exactly csv-parse's. The switch is one way: such a file is read
 * past that record at csv-parse's speed.
 */
export function fastRecords(options: FastRecordsOptions): TextParser {
  return new FastRecords(options);
}

class FastRecords implements TextParser {
  private readonly separator: number;
  private line: number;
  private header: boolean;
  private ends = UNKNOWN;
  /** The text from the first record not handed out yet (its blank lines before it included). */
  private rest = '';
  private started = false;
  private handedOut = false;
  private csvParse: TextParser | undefined;
  private failure: { error: unknown } | undefined;
  // What `scan` found: fields as [start, end) in the text, and 1 for a field with doubled quotes.
  private starts: number[] = [];
  private stops: number[] = [];
  private doubled: number[] = [];
  private count = 0;
  private blank = 0;
  /** Line breaks inside quoted fields. */
  private inside = 0;
  /** Where the line break that ends the record is (-1: the text ends it). */
  private breakAt = -1;
  private rawEnd = 0;

  constructor(private readonly options: FastRecordsOptions) {
    this.separator = options.delimiter.charCodeAt(0);
    this.line = options.line;
    this.header = options.header;
  }

  write(piece: string): void {
    if (this.failure) return;
    if (this.csvParse) {
      this.csvParse.write(piece);
      return;
    }
    this.take(this.rest + piece, false);
  }

  async end(): Promise<void> {
    if (!this.csvParse && !this.failure) this.take(this.rest, true);
    if (this.failure) throw this.failure.error;
    await this.csvParse?.end();
  }

  /** Hands out every record of the text that csv-parse would have handed out by now. */
  private take(text: string, end: boolean): void {
    if (!this.started) {
      if (!text) return;
      // csv-parse drops a byte order mark at the start of what it reads: that is its to do.
      if (text.charCodeAt(0) === 0xfeff) {
        this.handOver(text, 0);
        return;
      }
      this.started = true;
    }
    let at = 0;
    try {
      for (;;) {
        const found = this.scan(text, at, end);
        if (found === RECORD) {
          if (!end && !this.due(text)) break;
          this.emit(text, at);
          at = this.rawEnd;
        } else if (found === NOTHING) {
          at = text.length;
          break;
        } else if (found === IRREGULAR || text.length - at > MAX_HELD) {
          this.handOver(text, at);
          return;
        } else break;
      }
    } catch (error) {
      // As from csv-parse, a callback's error fails the read once the current write is over.
      this.failure = { error };
      process.nextTick(() => this.options.onError(error));
      return;
    }
    this.rest = at === 0 ? text : text.slice(at);
  }

  private handOver(text: string, at: number): void {
    const fresh = !this.handedOut;
    this.csvParse = this.options.takeover({
      line: this.line,
      header: this.header,
      fresh,
      ...(fresh ? {} : { lineBreak: BREAK_TEXT[this.ends] }),
    });
    this.rest = '';
    if (at < text.length) this.csvParse.write(at === 0 ? text : text.slice(at));
  }

  /**
   * csv-parse reads a byte only once 3 more follow it (until the end), so a record comes out once 3
   * bytes follow the first character of its line break.
   */
  private due(text: string): boolean {
    const after = text.length - this.breakAt - 1;
    return after >= 3 || (after > 0 && Buffer.byteLength(text.slice(this.breakAt + 1)) >= 3);
  }

  private emit(text: string, at: number): void {
    const fields = this.fields(text);
    const line = this.line + this.blank;
    this.line = line + this.inside + (this.breakAt < 0 ? 0 : 1);
    const offset = this.options.measure(text.slice(at, this.rawEnd));
    this.handedOut = true;
    if (this.header) {
      this.header = false;
      this.options.onHeader(fields);
    } else this.options.onRecord({ line, fields, next: { line: this.line, offset } });
  }

  private fields(text: string): string[] {
    const fields = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) {
      const start = this.starts[i] as number;
      const stop = this.stops[i] as number;
      const field = stop - start < COPIED_BELOW ? text.slice(start, stop) : copyOf(text, start, stop);
      fields[i] = this.doubled[i] ? field.replaceAll('""', '"') : field;
    }
    return fields;
  }

  /** Reads the record (and the blank lines before it) that starts at `at`; what it found is in the fields. */
  private scan(text: string, at: number, end: boolean): number {
    const n = text.length;
    const separator = this.separator;
    let i = at;
    let blank = 0;
    for (;;) {
      if (i >= n) return end ? NOTHING : WAIT;
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) break;
      const length = this.lineBreak(text, i, end);
      if (length < 0) return length;
      blank += 1;
      i += length;
    }
    this.blank = blank;
    let count = 0;
    let inside = 0;
    for (;;) {
      let c = i < n ? text.charCodeAt(i) : -1;
      if (c === QUOTE) {
        let close = text.indexOf('"', i + 1);
        let doubled = 0;
        while (close >= 0 && text.charCodeAt(close + 1) === QUOTE) {
          doubled = 1;
          close = text.indexOf('"', close + 2);
        }
        // csv-parse reports a quote that never closes, and reads the lines after it again.
        if (close < 0) return end ? IRREGULAR : WAIT;
        if (close + 1 >= n && !end) return WAIT;
        this.field(count++, i + 1, close, doubled);
        inside += breaks(text, i + 1, close);
        i = close + 1;
        c = i < n ? text.charCodeAt(i) : -1;
        if (c === separator) {
          i += 1;
          continue;
        }
        if (c < 0) break;
        // Text after a closing quote: csv-parse puts the quotes back into the field.
        if (c !== LF && c !== CR) return IRREGULAR;
      } else {
        let j = i;
        while (j < n) {
          c = text.charCodeAt(j);
          // A quote inside a field is read as it is, as csv-parse reads it (relax_quotes): `John "Johnny" Smith`.
          if (c === separator || c === LF || c === CR) break;
          j += 1;
        }
        if (j >= n) {
          if (!end) return WAIT;
          this.field(count++, i, n, 0);
          i = n;
          break;
        }
        this.field(count++, i, j, 0);
        i = j;
        if (c === separator) {
          i += 1;
          continue;
        }
      }
      const length = this.lineBreak(text, i, end);
      if (length < 0) return length;
      this.count = count;
      this.inside = inside;
      this.breakAt = i;
      this.rawEnd = i + length;
      return RECORD;
    }
    this.count = count;
    this.inside = inside;
    this.breakAt = -1;
    this.rawEnd = n;
    return RECORD;
  }

  private field(index: number, start: number, stop: number, doubled: number): void {
    this.starts[index] = start;
    this.stops[index] = stop;
    this.doubled[index] = doubled;
  }

  /**
   * The length of the record line break at `i` (a CR or LF outside quotes). As csv-parse does, the first
   * one decides which ends records; any other is text to it, and the record is left to it.
   */
  private lineBreak(text: string, i: number, end: boolean): number {
    if (text.charCodeAt(i) === LF) {
      if (this.ends === UNKNOWN) this.ends = LF_ENDS;
      return this.ends === LF_ENDS ? 1 : IRREGULAR;
    }
    if (i + 1 >= text.length && !end) return WAIT;
    const crlf = text.charCodeAt(i + 1) === LF;
    if (this.ends === UNKNOWN) this.ends = crlf ? CRLF_ENDS : CR_ENDS;
    if (this.ends === CRLF_ENDS) return crlf ? 2 : IRREGULAR;
    // CR ends records: the LF of a CRLF starts the next one, and is left to csv-parse there.
    return this.ends === CR_ENDS ? 1 : IRREGULAR;
  }
}

/** V8 copies a substring shorter than this; a longer one is a view that keeps the whole text alive. */
const COPIED_BELOW = 13;
/** Read from every copy, so the reading that makes it a string of its own is never optimised away. */
let _lastRead = 0;

/**
 * text[start, stop) as a string of its own. A slice would keep the whole decoded chunk alive for as long
 * as its row is held (a company waiting for its people's domain; 1 row in 100 held kept the whole file),
 * where csv-parse's fields were strings of their own. Two pieces joined make a rope; reading it makes V8
 * copy it into one string, and the collector then drops the rope: held rows take what csv-parse's did.
 */
function copyOf(text: string, start: number, stop: number): string {
  const copy = text.slice(start, start + 1) + text.slice(start + 1, stop);
  _lastRead = copy.charCodeAt(0);
  return copy;
}

/** Line breaks (CRLF, CR or LF) in text[from, to): a loop, as it runs for every record. */
export function breaks(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count += 1;
    else if (c === CR) {
      count += 1;
      if (i + 1 < to && text.charCodeAt(i + 1) === LF) i += 1;
    }
  }
  return count;
}
