import { isUtf8 } from 'node:buffer';
import {
  bomOf,
  hasUtf8Sequence,
  incompleteUtf8Tail,
  type TextEncoding,
  utf16Without,
} from '#domain/text-format.ts';

export interface Decoding {
  /** Called once the encoding is known, and again if it changes to Windows-1252 further on. */
  onEncoding(encoding: TextEncoding): void;
  /** Bytes that are neither UTF-8 nor the encoding already decided on (replaced by U+FFFD). */
  onInvalid(message: string): void;
}

/**
 * What the decoder has learnt of a file so far: enough to carry on decoding it from the middle (a split
 * resumed at a record's first byte) exactly as if it had read it from the start.
 */
export interface TextState {
  encoding: TextEncoding;
  /** Length of the byte-order mark the file starts with (0 without one). */
  bom: number;
  /** UTF-8 beyond ASCII was read: bytes that are not UTF-8 are damage from now on, not Windows-1252. */
  sawNonAscii: boolean;
  /** Bytes were replaced by U+FFFD: the text no longer measures the bytes it came from. */
  replaced: boolean;
}

export const newTextState = (): TextState => ({
  encoding: 'utf-8',
  bom: 0,
  sawNonAscii: false,
  replaced: false,
});

/** How many bytes of the file a piece of text decoded from it took (exact unless bytes were replaced). */
export function encodedLength(text: string, encoding: TextEncoding): number {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return text.length * 2;
  if (encoding === 'windows-1252') return text.length;
  return Buffer.byteLength(text, 'utf8');
}

/** Enough bytes to see a BOM and UTF-16's zero bytes; the rest of the file streams through. */
const PEEK_BYTES = 64;

/**
 * Decodes a stream of bytes into text, chunk by chunk. A BOM decides; UTF-16 without one is told by its
 * zero bytes; otherwise the text is UTF-8 until a byte sequence proves it is not. When that happens
 * before any UTF-8 character beyond ASCII was read, the file is Windows-1252 (ASCII reads the same in
 * both, so nothing already decoded changes); after one, the file mixes encodings and the bad bytes are
 * replaced. Given the `state` of an earlier read (`resumed`), the bytes are the rest of that file: they
 * are decoded as it was, with no BOM or sniffing.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  decoding: Decoding,
  state: TextState = newTextState(),
  resumed = false,
): AsyncGenerator<string> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (!resumed && head.length < PEEK_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const rest = async function* () {
    if (head.length) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  };
  if (!resumed) {
    const bom = bomOf(head);
    state.bom = bom?.length ?? 0;
    state.encoding = bom?.encoding.startsWith('utf-16')
      ? bom.encoding
      : (utf16Without(head) ?? (bom ? 'utf-8 (BOM)' : 'utf-8'));
    head = head.subarray(state.bom);
  }
  decoding.onEncoding(state.encoding);
  if (state.encoding === 'utf-16le' || state.encoding === 'utf-16be') {
    // TextDecoder keeps a code unit split across chunks for the next one.
    const decoder = new TextDecoder(state.encoding, { ignoreBOM: true });
    for await (const chunk of rest()) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
    return;
  }
  yield* decodeUtf8OrWindows1252(rest(), decoding, state);
}

async function* decodeUtf8OrWindows1252(
  chunks: AsyncIterable<Buffer>,
  decoding: Decoding,
  state: TextState,
): AsyncGenerator<string> {
  const windows1252 = new TextDecoder('windows-1252');
  const lenient = new TextDecoder('utf-8');
  const declared = state.encoding === 'utf-8 (BOM)';
  let pending: Buffer = Buffer.alloc(0);
  const decode = (bytes: Buffer, last: boolean): string => {
    if (state.encoding === 'windows-1252') return windows1252.decode(bytes);
    const keep = last ? 0 : incompleteUtf8Tail(bytes);
    const whole = bytes.subarray(0, bytes.length - keep);
    pending = bytes.subarray(bytes.length - keep);
    if (isUtf8(whole)) {
      state.sawNonAscii ||= whole.some((b) => b >= 0x80);
      return whole.toString('utf8');
    }
    if (!state.sawNonAscii && !declared && !hasUtf8Sequence(whole)) {
      state.encoding = 'windows-1252';
      decoding.onEncoding('windows-1252');
      pending = Buffer.alloc(0);
      return windows1252.decode(bytes);
    }
    if (!state.replaced) decoding.onInvalid('bytes that are not UTF-8 after UTF-8 text: replaced by �');
    state.replaced = true;
    return lenient.decode(whole);
  };
  for await (const chunk of chunks) {
    const text = decode(pending.length ? Buffer.concat([pending, chunk]) : chunk, false);
    if (text) yield text;
  }
  if (pending.length) yield decode(pending, true);
}
