/** What the index keeps for a key: where its first row is, which fields it has, and an optional text. */
export interface KeyEntry {
  file: string;
  line: number;
  /** Names of the fields the row has (and the rows merged into it filled in). */
  fields: Iterable<string>;
  /** A string to give back with the entry (kept only when set). */
  text?: string;
}

/** Slots allocated up front: room for ~1.5 million keys at 26 bytes a slot before the table doubles. */
export const DEFAULT_SLOTS = 1 << 21;
const MAX_LOAD = 0.75;
/** Each field name is a bit of a 32-bit mask. */
const MAX_FIELDS = 32;
const ENTRY_BYTES = 26;

/**
 * Every key split has seen, in memory that does not grow with the file: an open-addressing table of
 * 95-bit hashes in typed arrays, allocated once (the OS maps its pages as they are first touched) and
 * doubled only past its designed load. A key's own text is never kept; file and field names are kept
 * once each, and an entry's text in pages of bytes. It saves to, and loads from, a compact binary form.
 */
export class KeyIndex {
  private h0: Uint32Array;
  private h1: Uint32Array;
  /** The third hash word with its low bit set: 0 marks an empty slot. */
  private h2: Uint32Array;
  private fileOf: Uint16Array;
  private lineOf: Uint32Array;
  private fieldsOf: Uint32Array;
  /** 1 + the entry's text offset in the arena; 0 for none. */
  private textOf: Uint32Array;
  private arena = new TextArena();
  private readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  private readonly fields: string[] = [];
  private readonly fieldBits = new Map<string, number>();
  private readonly hash = new Uint32Array(3);
  /** The key `hash` holds: split looks a key up, then adds it when new, and hashes it once for both. */
  private hashed: string | undefined;
  size = 0;

  constructor(private slots = DEFAULT_SLOTS) {
    if (slots & (slots - 1)) throw new RangeError(`KeyIndex slots must be a power of two, not ${slots}`);
    this.h0 = new Uint32Array(slots);
    this.h1 = new Uint32Array(slots);
    this.h2 = new Uint32Array(slots);
    this.fileOf = new Uint16Array(slots);
    this.lineOf = new Uint32Array(slots);
    this.fieldsOf = new Uint32Array(slots);
    this.textOf = new Uint32Array(slots);
  }

  has(key: string): boolean {
    return this.slotOf(key) >= 0;
  }

  find(key: string): KeyEntry | undefined {
    const slot = this.slotOf(key);
    if (slot < 0) return undefined;
    const mask = this.fieldsOf[slot] as number;
    const text = this.textOf[slot] as number;
    return {
      file: this.files[this.fileOf[slot] as number] as string,
      line: this.lineOf[slot] as number,
      fields: this.fields.filter((_, bit) => mask & (1 << bit)),
      ...(text ? { text: this.arena.read(text - 1) } : {}),
    };
  }

  /** Adds the key, or replaces what it holds. */
  set(key: string, entry: KeyEntry): void {
    if ((this.size + 1) / this.slots > MAX_LOAD) this.grow();
    this.hashOf(key);
    const slot = this.probe(this.hash[0] as number, this.hash[1] as number, this.hash[2] as number);
    if (!this.h2[slot]) {
      this.size += 1;
      this.h0[slot] = this.hash[0] as number;
      this.h1[slot] = this.hash[1] as number;
      this.h2[slot] = this.hash[2] as number;
    }
    this.fileOf[slot] = this.fileId(entry.file);
    this.lineOf[slot] = entry.line;
    this.fieldsOf[slot] = this.maskOf(entry.fields);
    this.textOf[slot] = entry.text === undefined ? 0 : this.arena.write(entry.text) + 1;
  }

  /** Adds field names to what a key's entry has. */
  addFields(key: string, fields: Iterable<string>): void {
    const slot = this.slotOf(key);
    if (slot >= 0) this.fieldsOf[slot] = (this.fieldsOf[slot] as number) | this.maskOf(fields);
  }

  /** The whole index as bytes: a JSON header, then the used slots' entries, then the text arena's pages. */
  toBytes(): Buffer {
    const header = Buffer.from(
      JSON.stringify({
        slots: this.slots,
        size: this.size,
        files: this.files,
        fields: this.fields,
        pages: this.arena.pageLengths(),
      }),
    );
    const out = Buffer.alloc(4 + header.length + this.size * ENTRY_BYTES + this.arena.bytes);
    out.writeUInt32LE(header.length, 0);
    header.copy(out, 4);
    let at = 4 + header.length;
    for (let slot = 0; slot < this.slots; slot++) {
      if (!this.h2[slot]) continue;
      at = out.writeUInt32LE(this.h0[slot] as number, at);
      at = out.writeUInt32LE(this.h1[slot] as number, at);
      at = out.writeUInt32LE(this.h2[slot] as number, at);
      at = out.writeUInt16LE(this.fileOf[slot] as number, at);
      at = out.writeUInt32LE(this.lineOf[slot] as number, at);
      at = out.writeUInt32LE(this.fieldsOf[slot] as number, at);
      at = out.writeUInt32LE(this.textOf[slot] as number, at);
    }
    this.arena.copyTo(out, at);
    return out;
  }

  static fromBytes(bytes: Buffer, slots = DEFAULT_SLOTS): KeyIndex {
    const length = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as {
      slots: number;
      size: number;
      files: string[];
      fields: string[];
      pages: number[];
    };
    const index = new KeyIndex(Math.max(slots, header.slots));
    for (const file of header.files) index.fileId(file);
    for (const field of header.fields) index.maskOf([field]);
    let at = 4 + length;
    for (let i = 0; i < header.size; i++, at += ENTRY_BYTES) {
      const slot = index.probe(
        bytes.readUInt32LE(at),
        bytes.readUInt32LE(at + 4),
        bytes.readUInt32LE(at + 8),
      );
      index.h0[slot] = bytes.readUInt32LE(at);
      index.h1[slot] = bytes.readUInt32LE(at + 4);
      index.h2[slot] = bytes.readUInt32LE(at + 8);
      index.fileOf[slot] = bytes.readUInt16LE(at + 12);
      index.lineOf[slot] = bytes.readUInt32LE(at + 14);
      index.fieldsOf[slot] = bytes.readUInt32LE(at + 18);
      index.textOf[slot] = bytes.readUInt32LE(at + 22);
    }
    index.size = header.size;
    index.arena = TextArena.from(bytes.subarray(at), header.pages);
    return index;
  }

  private hashOf(key: string): void {
    if (key === this.hashed) return;
    hash96(key, this.hash);
    this.hashed = key;
  }

  private slotOf(key: string): number {
    this.hashOf(key);
    const slot = this.probe(this.hash[0] as number, this.hash[1] as number, this.hash[2] as number);
    return this.h2[slot] ? slot : -1;
  }

  /** The slot holding the hash, or the empty slot where it goes (linear probing). */
  private probe(h0: number, h1: number, h2: number): number {
    const mask = this.slots - 1;
    for (let slot = h0 & mask; ; slot = (slot + 1) & mask) {
      const used = this.h2[slot];
      if (!used || (used === h2 && this.h0[slot] === h0 && this.h1[slot] === h1)) return slot;
    }
  }

  private grow(): void {
    const grown = new KeyIndex(this.slots * 2);
    for (let slot = 0; slot < this.slots; slot++) {
      const h2 = this.h2[slot] as number;
      if (!h2) continue;
      const to = grown.probe(this.h0[slot] as number, this.h1[slot] as number, h2);
      grown.h0[to] = this.h0[slot] as number;
      grown.h1[to] = this.h1[slot] as number;
      grown.h2[to] = h2;
      grown.fileOf[to] = this.fileOf[slot] as number;
      grown.lineOf[to] = this.lineOf[slot] as number;
      grown.fieldsOf[to] = this.fieldsOf[slot] as number;
      grown.textOf[to] = this.textOf[slot] as number;
    }
    this.slots = grown.slots;
    this.h0 = grown.h0;
    this.h1 = grown.h1;
    this.h2 = grown.h2;
    this.fileOf = grown.fileOf;
    this.lineOf = grown.lineOf;
    this.fieldsOf = grown.fieldsOf;
    this.textOf = grown.textOf;
  }

  private fileId(file: string): number {
    let id = this.fileIds.get(file);
    if (id === undefined) {
      id = this.files.push(file) - 1;
      this.fileIds.set(file, id);
    }
    return id;
  }

  private maskOf(fields: Iterable<string>): number {
    let mask = 0;
    for (const field of fields) {
      let bit = this.fieldBits.get(field);
      if (bit === undefined) {
        if (this.fields.length >= MAX_FIELDS)
          throw new RangeError(`KeyIndex: more than ${MAX_FIELDS} field names (${field})`);
        bit = this.fields.push(field) - 1;
        this.fieldBits.set(field, bit);
      }
      mask |= 1 << bit;
    }
    return mask;
  }
}

/** Texts are written in pages of 1 MB, each text whole in one page; an offset is its page and place. */
const PAGE_BITS = 20;
const PAGE_BYTES = 1 << PAGE_BITS;
/** An offset (1 added, 0 meaning none) is kept in 32 bits: 4,095 pages at most, 4 GB of texts. */
const MAX_PAGES = 4095;
/** A length below this is one byte; at or above it, this byte and then the length in four. */
const LONG = 255;

/**
 * The entries' texts (a first row's source id, say), added and never taken back, in pages that are
 * filled and never copied: a buffer doubled and copied as it filled held the old copy and the new one
 * until a full collection, and touched twice what it held (at a million rows, 16 MB touched for 11 MB of
 * ids, and 8 MB more while copying). A length takes one byte unless it is 255 or more.
 */
class TextArena {
  private readonly pages: Buffer[] = [];
  private readonly used: number[] = [];

  /** Bytes in use, in all pages. */
  get bytes(): number {
    let total = 0;
    for (const used of this.used) total += used;
    return total;
  }

  /**
   * Where the text was written. A page takes texts while they end within its first 1 MB (an offset has 20
   * bits for the place); a text longer than that has a page of its own.
   */
  write(text: string): number {
    const most = text.length * 3 + 5;
    let page = this.pages.length - 1;
    if (page < 0 || (this.used[page] as number) + most > PAGE_BYTES) {
      if (this.pages.length >= MAX_PAGES) throw new RangeError('KeyIndex: more than 4 GB of texts');
      this.pages.push(Buffer.allocUnsafe(Math.max(PAGE_BYTES, most)));
      this.used.push(0);
      page += 1;
    }
    const buffer = this.pages[page] as Buffer;
    const at = this.used[page] as number;
    const length = Buffer.byteLength(text, 'utf8');
    let end = at;
    if (length < LONG) end = buffer.writeUInt8(length, end);
    else end = buffer.writeUInt32LE(length, buffer.writeUInt8(LONG, end));
    end += buffer.write(text, end, 'utf8');
    this.used[page] = end;
    return ((page << PAGE_BITS) | at) >>> 0;
  }

  read(offset: number): string {
    const buffer = this.pages[offset >>> PAGE_BITS] as Buffer;
    let at = offset & (PAGE_BYTES - 1);
    let length = buffer[at++] as number;
    if (length === LONG) {
      length = buffer.readUInt32LE(at);
      at += 4;
    }
    return buffer.toString('utf8', at, at + length);
  }

  pageLengths(): number[] {
    return [...this.used];
  }

  /** Writes each page's used bytes, one after another. */
  copyTo(out: Buffer, at: number): void {
    for (let page = 0, to = at; page < this.pages.length; to += this.used[page] as number, page++)
      (this.pages[page] as Buffer).copy(out, to, 0, this.used[page]);
  }

  static from(bytes: Buffer, lengths: number[]): TextArena {
    const arena = new TextArena();
    let at = 0;
    for (const length of lengths) {
      const page = Buffer.allocUnsafe(Math.max(PAGE_BYTES, length));
      bytes.copy(page, 0, at, at + length);
      arena.pages.push(page);
      arena.used.push(length);
      at += length;
    }
    return arena;
  }
}

/**
 * 96 bits of cyrb128 (bryc, public domain: four 32-bit multiply-xor lanes mixed at the end). Not for
 * secrets; two of a file's keys share all 95 kept bits with odds of about n² / 2^96.
 */
function hash96(key: string, out: Uint32Array): void {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  out[0] = h1;
  out[1] = h2 ^ h1;
  out[2] = (h3 ^ h1) | 1;
}
