/**
 * Column buffers: the definition and repetition levels and the PLAIN-encoded values of one leaf column, as a
 * Parquet data page needs them. Values are appended in place (no per-value objects).
 */
import { ByteWriter } from '../byte-writer.js';
import type { LeafColumn } from './schema.js';

/** A safe integer as a little-endian INT64 at `at` (two 32-bit halves: BigInt would allocate). */
export function setInt64(dv: DataView, at: number, value: number): void {
  const high = Math.floor(value / 0x100000000);
  dv.setUint32(at, value - high * 0x100000000, true);
  dv.setInt32(at + 4, high, true);
}

export class ColumnBuffer {
  defs: Uint8Array;
  reps: Uint8Array | null;
  /** Level entries (rows, plus extra list elements). */
  count = 0;
  nulls = 0;
  readonly values = new ByteWriter(1 << 16);
  /** Booleans, one byte each until the page packs them. */
  bools = 0;
  /** Min and max of numeric values (timestamps: microseconds), for the chunk's statistics. */
  min = Infinity;
  max = -Infinity;

  private readonly maxDef: number;

  constructor(readonly leaf: LeafColumn) {
    this.maxDef = leaf.maxDef;
    this.defs = new Uint8Array(1 << 14);
    this.reps = leaf.maxRep > 0 ? new Uint8Array(1 << 14) : null;
  }

  reset(): void {
    this.count = 0;
    this.nulls = 0;
    this.values.pos = 0;
    this.bools = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  private grow(): void {
    const defs = new Uint8Array(this.defs.length * 2);
    defs.set(this.defs);
    this.defs = defs;
    if (this.reps) {
      const reps = new Uint8Array(this.reps.length * 2);
      reps.set(this.reps);
      this.reps = reps;
    }
  }

  /** One level entry; a value follows (written by the caller) when `def` is the column's maximum. */
  level(def: number, rep: number): void {
    if (this.count === this.defs.length) this.grow();
    this.defs[this.count] = def;
    if (this.reps) this.reps[this.count] = rep;
    this.count++;
    if (def < this.maxDef) this.nulls++;
  }

  /**
   * A BYTE_ARRAY value: 4-byte little-endian length, then the bytes. `view` is a DataView of `src`: short values
   * are copied four bytes at a time through it (measured: ~1.2 GB/s, against 0.45 for a byte loop and 0.13-0.4 for
   * `set(subarray)`, whose view allocation dominates below ~120 bytes).
   */
  byteArray(src: Uint8Array, view: DataView, from: number, to: number): void {
    const w = this.values;
    const len = to - from;
    w.ensure(len + 4);
    const dv = w.dv;
    let p = w.pos;
    dv.setUint32(p, len, true);
    p += 4;
    if (len < 128) {
      let i = from;
      for (; i + 4 <= to; i += 4, p += 4) dv.setUint32(p, view.getUint32(i, true), true);
      const b = w.buf;
      for (; i < to; i++) b[p++] = src[i];
    } else {
      w.buf.set(src.subarray(from, to), p);
      p += len;
    }
    w.pos = p;
  }

  /** An INT64 value given as a safe integer (timestamps in microseconds). */
  int64(value: number): void {
    const w = this.values;
    w.ensure(8);
    setInt64(w.dv, w.pos, value);
    w.pos += 8;
    this.track(value);
  }

  int32(value: number): void {
    const w = this.values;
    w.ensure(4);
    w.dv.setInt32(w.pos, value, true);
    w.pos += 4;
    this.track(value);
  }

  double(value: number): void {
    const w = this.values;
    w.ensure(8);
    w.dv.setFloat64(w.pos, value, true);
    w.pos += 8;
    this.track(value);
  }

  private track(value: number): void {
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  bool(value: boolean): void {
    this.values.byte(value ? 1 : 0);
    this.bools++;
  }
}
