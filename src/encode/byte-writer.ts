/**
 * Appends bytes to a reusable buffer: the hot path of every encoder. No per-record allocation: values are copied
 * from pre-encoded byte arrays or written digit by digit.
 */

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, for building pre-encoded fragments (not for the hot path). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Escapes a string as the inside of a JSON string literal (no surrounding quotes). */
export function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Pre-encodes a string as JSON string content bytes (escaped, no quotes). */
export function jsonContent(text: string): Uint8Array {
  return utf8(jsonEscape(text));
}

const HEX = utf8('0123456789abcdef');
/** Two lower-case hex digits for every byte value, for writing ids without branching. */
const HEX_PAIRS = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) t[i] = (HEX[i >> 4] << 8) | HEX[i & 15];
  return t;
})();

/** Byte `value` (0-255) as two hex digits into `buf` at `at`. */
function hexByte(buf: Uint8Array, at: number, value: number): void {
  const pair = HEX_PAIRS[value];
  buf[at] = pair >> 8;
  buf[at + 1] = pair & 255;
}

/** A 32-bit value as 8 hex digits into `buf` at `at`. */
function hexWord(buf: Uint8Array, at: number, value: number): void {
  hexByte(buf, at, value >>> 24);
  hexByte(buf, at + 2, (value >>> 16) & 255);
  hexByte(buf, at + 4, (value >>> 8) & 255);
  hexByte(buf, at + 6, value & 255);
}

const TEXT_ENCODER = new TextEncoder();

export class ByteWriter {
  buf: Uint8Array;
  /** A view of `buf` for multi-byte stores (compiled templates write static text four bytes at a time). */
  dv: DataView;
  pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.dv = new DataView(this.buf.buffer);
  }

  /** A writer that fills `buf` (until it needs more room, when it grows into a buffer of its own). */
  static over(buf: Uint8Array): ByteWriter {
    const w = new ByteWriter(0);
    w.reset(buf);
    return w;
  }

  /** Starts over, in `buf` if given (a buffer back for reuse, or a shared slab to fill). */
  reset(buf?: Uint8Array): void {
    if (buf) {
      this.buf = buf;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = 0;
  }

  /** Makes room for `extra` more bytes after `pos`. */
  ensure(extra: number): void {
    if (this.pos + extra > this.buf.length) this.grow(extra);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /**
   * Grows into a new buffer holding the bytes so far; rare on hot paths (a record bigger than the headroom the caller
   * keeps, pages bigger than their slab). Views of the old buffer keep the old bytes; offsets stay valid in the new.
   */
  private grow(need: number): void {
    let size = Math.max(64, this.buf.length * 2);
    while (size < this.pos + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  /** Appends `text` as UTF-8 (one native call: for sources that build a record as one string). */
  text(text: string): void {
    if (this.pos + text.length * 3 > this.buf.length) this.grow(text.length * 3);
    this.pos += TEXT_ENCODER.encodeInto(text, this.buf.subarray(this.pos)).written;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    if (n < 64) {
      for (let i = 0; i < n; i++) buf[p++] = src[i];
    } else {
      buf.set(src, p);
      p += n;
    }
    this.pos = p;
  }

  /** Copies `len` bytes of `src` starting at 0 (a loop up to 64 bytes: cheaper than a subarray view and set()). */
  bytesN(src: Uint8Array, len: number): void {
    if (this.pos + len > this.buf.length) this.grow(len);
    const buf = this.buf;
    let p = this.pos;
    if (len <= 64) {
      for (let i = 0; i < len; i++) buf[p++] = src[i];
    } else {
      buf.set(src.subarray(0, len), p);
      p += len;
    }
    this.pos = p;
  }

  /** Copies src[from, to): for small ranges of a pre-encoded buffer, without creating a view. */
  range(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i++) buf[p++] = src[i];
    this.pos = p;
  }

  byte(b: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = b;
  }

  /** ASCII-only string (ids, digits): one byte per char, no escaping. */
  ascii(text: string): void {
    const n = text.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** Non-negative integer in decimal. */
  uint(value: number): void {
    if (this.pos + 20 > this.buf.length) this.grow(20);
    const buf = this.buf;
    if (value < 10) {
      buf[this.pos++] = 48 + value;
      return;
    }
    let digits = 0;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) buf[--p] = 48 + (v % 10);
  }

  /** Integer zero-padded to `width` digits. */
  padded(value: number, width: number): void {
    if (this.pos + width > this.buf.length) this.grow(width);
    const buf = this.buf;
    let p = this.pos + width;
    this.pos = p;
    for (let i = 0; i < width; i++) {
      buf[--p] = 48 + (value % 10);
      value = Math.floor(value / 10);
    }
  }

  /** A 32-bit value as 8 lower-case hex digits. */
  hex32(value: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    const buf = this.buf;
    let p = this.pos;
    let pair = HEX_PAIRS[(value >>> 24) & 255];
    buf[p++] = pair >> 8;
    buf[p++] = pair & 255;
    pair = HEX_PAIRS[(value >>> 16) & 255];
    buf[p++] = pair >> 8;
    buf[p++] = pair & 255;
    pair = HEX_PAIRS[(value >>> 8) & 255];
    buf[p++] = pair >> 8;
    buf[p++] = pair & 255;
    pair = HEX_PAIRS[value & 255];
    buf[p++] = pair >> 8;
    buf[p++] = pair & 255;
    this.pos = p;
  }

  /**
   * A version-4 UUID from four random 32-bit values (122 of their bits), written in one pass: ids are two of every
   * record's fields, so this is on the hot path.
   */
  uuid4(a: number, b: number, c: number, d: number): void {
    if (this.pos + 36 > this.buf.length) this.grow(36);
    const buf = this.buf;
    const p = this.pos;
    hexWord(buf, p, a);
    buf[p + 8] = 45;
    hexByte(buf, p + 9, b >>> 24);
    hexByte(buf, p + 11, (b >>> 16) & 255);
    buf[p + 13] = 45;
    buf[p + 14] = 52; // version 4
    buf[p + 15] = HEX[(b >>> 8) & 15];
    hexByte(buf, p + 16, b & 255);
    buf[p + 18] = 45;
    buf[p + 19] = HEX[8 + (c >>> 30)]; // variant 10xx
    buf[p + 20] = HEX[(c >>> 24) & 15];
    hexByte(buf, p + 21, (c >>> 16) & 255);
    buf[p + 23] = 45;
    hexByte(buf, p + 24, (c >>> 8) & 255);
    hexByte(buf, p + 26, c & 255);
    hexWord(buf, p + 28, d);
    this.pos = p + 36;
  }

  /** The low `digits` hex digits of a 32-bit value (1..8). */
  hexN(value: number, digits: number): void {
    if (this.pos + digits > this.buf.length) this.grow(digits);
    const buf = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    for (let i = 0; i < digits; i++) {
      buf[--p] = HEX[value & 15];
      value >>>= 4;
    }
  }
}
