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

/** Enough bytes to see a BOM and UTF-16's zero bytes; the rest of the file streams through. */
const PEEK_BYTES = 64;

/**
 * Decodes a stream of bytes into text, chunk by chunk. A BOM decides; UTF-16 without one is told by its
 * zero bytes; otherwise the text is UTF-8 until a byte sequence proves it is not. When that happens
 * before any UTF-8 character beyond ASCII was read, the file is Windows-1252 (ASCII reads the same in
 * both, so nothing already decoded changes); after one, the file mixes encodings and the bad bytes are
 * replaced.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  decoding: Decoding,
): AsyncGenerator<string> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < PEEK_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const rest = async function* () {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  };
  const bom = bomOf(head);
  const utf16 = bom?.encoding.startsWith('utf-16') ? bom.encoding : utf16Without(head);
  if (utf16) {
    decoding.onEncoding(utf16);
    // TextDecoder drops the BOM itself and keeps a code unit split across chunks for the next one.
    const decoder = new TextDecoder(utf16 === 'utf-16be' ? 'utf-16be' : 'utf-16le');
    for await (const chunk of rest()) yield decoder.decode(chunk, { stream: true });
    yield decoder.decode();
    return;
  }
  decoding.onEncoding(bom ? 'utf-8 (BOM)' : 'utf-8');
  if (bom) head = head.subarray(bom.length);
  yield* decodeUtf8OrWindows1252(rest(), decoding, Boolean(bom));
}

async function* decodeUtf8OrWindows1252(
  chunks: AsyncIterable<Buffer>,
  decoding: Decoding,
  declared: boolean,
): AsyncGenerator<string> {
  const windows1252 = new TextDecoder('windows-1252');
  const lenient = new TextDecoder('utf-8');
  let mode: 'utf-8' | 'windows-1252' = 'utf-8';
  let sawNonAscii = false;
  let reported = false;
  let pending: Buffer = Buffer.alloc(0);
  const decode = (bytes: Buffer, last: boolean): string => {
    if (mode === 'windows-1252') return windows1252.decode(bytes);
    const keep = last ? 0 : incompleteUtf8Tail(bytes);
    const whole = bytes.subarray(0, bytes.length - keep);
    pending = bytes.subarray(bytes.length - keep);
    if (isUtf8(whole)) {
      sawNonAscii ||= whole.some((b) => b >= 0x80);
      return whole.toString('utf8');
    }
    if (!sawNonAscii && !declared && !hasUtf8Sequence(whole)) {
      mode = 'windows-1252';
      decoding.onEncoding('windows-1252');
      pending = Buffer.alloc(0);
      return windows1252.decode(bytes);
    }
    if (!reported) decoding.onInvalid('bytes that are not UTF-8 after UTF-8 text: replaced by �');
    reported = true;
    return lenient.decode(whole);
  };
  for await (const chunk of chunks) {
    const text = decode(pending.length ? Buffer.concat([pending, chunk]) : chunk, false);
    if (text) yield text;
  }
  if (pending.length) yield decode(pending, true);
}
