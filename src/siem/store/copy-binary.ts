/**
 * PostgreSQL's binary COPY format, written straight into one growing buffer: no escaping of the records (JSON is
 * full of backslashes that COPY's text format would double), no text to parse back on the server for times and
 * numbers. Layout: a signature and two zero words, then per row a field count and each field as a length (-1: NULL)
 * and its bytes, then -1. Times are microseconds since 2000-01-01 UTC; jsonb is a version byte (1) and the text.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Milliseconds between 1970-01-01 and 2000-01-01, PostgreSQL's epoch. */
const PG_EPOCH_MS = 946_684_800_000;

export class CopyBinary {
  private buf: Buffer;
  private at = 0;
  rows = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11);
    this.buf.writeInt32BE(0, 15);
    this.at = 19;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  row(fields: number): void {
    this.room(2);
    this.buf.writeInt16BE(fields, this.at);
    this.at += 2;
    this.rows++;
  }

  null(): void {
    this.room(4);
    this.buf.writeInt32BE(-1, this.at);
    this.at += 4;
  }

  text(v: string | null): void {
    if (v === null) return this.null();
    // PostgreSQL's text holds no NUL character.
    if (v.includes('\0')) v = v.replaceAll('\0', '\ufffd');
    this.room(4 + v.length * 3);
    const n = this.buf.write(v, this.at + 4, 'utf8');
    this.buf.writeInt32BE(n, this.at);
    this.at += 4 + n;
  }

  /** jsonb: version 1, then the JSON text. */
  jsonb(v: string): void {
    this.room(5 + v.length * 3);
    const n = this.buf.write(v, this.at + 5, 'utf8');
    this.buf.writeInt32BE(n + 1, this.at);
    this.buf[this.at + 4] = 1;
    this.at += 5 + n;
  }

  /** timestamptz from epoch milliseconds. */
  time(ms: number): void {
    this.int8((ms - PG_EPOCH_MS) * 1000);
  }

  /** An integer within ±2^53 as int8 (two 32-bit words: no BigInt per value). */
  int8(v: number | null): void {
    if (v === null) return this.null();
    this.room(12);
    const high = Math.floor(v / 4294967296);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeInt32BE(high, this.at + 4);
    this.buf.writeUInt32BE(v - high * 4294967296, this.at + 8);
    this.at += 12;
  }

  float8(v: number | null): void {
    if (v === null) return this.null();
    this.room(12);
    this.buf.writeInt32BE(8, this.at);
    this.buf.writeDoubleBE(v, this.at + 4);
    this.at += 12;
  }

  /** The finished COPY data (the buffer's bytes up to the trailer; the writer is done). */
  finish(): Buffer {
    this.room(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    return this.buf.subarray(0, this.at);
  }
}
