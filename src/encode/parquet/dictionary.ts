/**
 * Dictionary encoding of BYTE_ARRAY columns (RLE_DICTIONARY data pages), built per block so blocks still encode in
 * parallel, on any thread, into the same bytes.
 *
 * A Parquet column chunk has one dictionary page, but the blocks of a row group are encoded independently. So the
 * chunk's dictionary is split into fixed slots of `capacity` entries: the block that is number k of its row group
 * owns entries [k * capacity, k * capacity + its distinct values), and its indices are offset by k * capacity. The
 * file writer joins the blocks' dictionaries into the chunk's dictionary page and fills the unused entries (empty
 * strings; JSON `null` in JSON columns, as readers may parse every entry), which compress to almost nothing. A
 * value that appears in several blocks appears several times in the dictionary, which the format allows. A block
 * whose column has more distinct values than its slot holds, or gains too little from a dictionary, is written
 * PLAIN; the file writer then takes the chunk's later pages PLAIN too (each dictionary page comes with a PLAIN
 * twin), since readers expect a chunk to fall back once, as parquet-mr and Arrow write it.
 */
import { ByteWriter } from '../byte-writer.js';

/** The largest dictionary index a page may use: bit-packing keeps a value and the pending bits in 31 bits. */
const MAX_INDEX = (1 << 23) - 1;
/**
 * Blocks from this one on in a row group stay PLAIN. Slots before the first one a row group uses are still filler
 * in its dictionary (a file cut by size mid-group starts at the slot it had reached), and filler is what readers
 * allocate: very long row groups keep their dictionaries to the first blocks.
 */
const MAX_SLOTS = 64;
/** A dictionary page must make the column at least this much smaller (dictionary + indices against PLAIN values). */
const MIN_SAVING = 0.25;
/**
 * Columns of (nearly) unique values (ids, most JSON bodies) are given up on early: after this many values, when
 * nearly all of them were distinct.
 */
const PROBE_VALUES = 512;
const PROBE_DISTINCT = 0.9;
/** Long values are hashed on their first and last bytes only (equal hashes are compared in full). */
const HASHED_EDGE = 32;

export interface BlockDictionary {
  /** Index of the first entry in the column chunk's dictionary: the block's slot times the slot capacity. */
  base: number;
  count: number;
  /** The entries, PLAIN-encoded (4-byte little-endian length, then the bytes). */
  bytes: Uint8Array;
}

function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

/** Builds one block's dictionary for a column's PLAIN byte-array values; reused from column to column. */
export class DictionaryBuilder {
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  indices: Int32Array = new Int32Array(1 << 14);
  /** Values indexed by the last successful `build`. */
  values = 0;
  distinct = 0;
  private entryBytes = 0;

  constructor(readonly capacity: number) {
    let size = 1;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.hashes = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
  }

  /**
   * Indexes the PLAIN byte arrays in `buf[0, end)` for slot `slot`. Returns the encoded values section of a
   * RLE_DICTIONARY page (bit width, then the RLE/bit-packed indices) written into `out` at `at`, as its end
   * offset; or -1 when the block should stay PLAIN. The dictionary itself is `dictionary()`.
   */
  encode(buf: Uint8Array, dv: DataView, end: number, slot: number, out: Uint8Array, at: number): number {
    const base = slot * this.capacity;
    if (slot >= MAX_SLOTS || base + this.capacity - 1 > MAX_INDEX || end === 0) return -1;
    if (!this.build(buf, dv, end)) return -1;
    const width = Math.max(1, bitWidth(base + this.distinct - 1));
    const indexBytes = Math.ceil((this.values * width) / 8) + 1;
    if (this.entryBytes + indexBytes > end * (1 - MIN_SAVING)) return -1;
    out[at] = width;
    return writeHybrid(out, at + 1, this.indices, this.values, base, width);
  }

  /** Worst-case size of `encode`'s output for `values` values: every group of 8 bit-packed at 23 bits. */
  static maxEncodedBytes(values: number): number {
    return 1 + Math.ceil(values / 8) * (23 + 1) + 16;
  }

  /** The dictionary of the last successful `encode`, appended to `out` (or in a buffer of its own). */
  dictionary(buf: Uint8Array, slot: number, out = new ByteWriter(this.entryBytes)): BlockDictionary {
    const at = out.pos;
    out.ensure(this.entryBytes);
    out.pos += this.entryBytes;
    const bytes = out.buf.subarray(at, out.pos);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let p = 0;
    for (let e = 0; e < this.distinct; e++) {
      const len = this.lengths[e];
      const start = this.starts[e];
      dv.setUint32(p, len, true);
      p += 4;
      // A loop, not set(subarray): a view per entry would be thousands of allocations per block.
      for (let i = 0; i < len; i++) bytes[p + i] = buf[start + i];
      p += len;
    }
    return { base: slot * this.capacity, count: this.distinct, bytes };
  }

  private grow(): Int32Array {
    const grown = new Int32Array(this.indices.length * 2);
    grown.set(this.indices);
    this.indices = grown;
    return grown;
  }

  private build(buf: Uint8Array, dv: DataView, end: number): boolean {
    const table = this.table;
    table.fill(0);
    const { hashes, starts, lengths, mask, capacity } = this;
    let distinct = 0;
    let entryBytes = 0;
    let indices = this.indices;
    let n = 0;
    let p = 0;
    let previous = -1;
    while (p < end) {
      if (n === PROBE_VALUES && distinct > PROBE_VALUES * PROBE_DISTINCT) return false;
      const len = dv.getUint32(p, true);
      const start = p + 4;
      p = start + len;
      // Repeats of the value before are common (constant columns, one actor's burst): no hash, no probe.
      if (previous >= 0 && lengths[previous] === len && sameBytes(buf, dv, starts[previous], start, len)) {
        if (n === indices.length) indices = this.grow();
        indices[n++] = previous;
        continue;
      }
      const h = hashValue(dv, start, len);
      let probe = h & mask;
      let entry = -1;
      for (let e = table[probe]; e !== 0; e = table[probe]) {
        const i = e - 1;
        if (hashes[i] === h && lengths[i] === len && sameBytes(buf, dv, starts[i], start, len)) {
          entry = i;
          break;
        }
        probe = (probe + 1) & mask;
      }
      if (entry < 0) {
        if (distinct === capacity) return false;
        entry = distinct++;
        hashes[entry] = h;
        starts[entry] = start;
        lengths[entry] = len;
        entryBytes += 4 + len;
        table[probe] = entry + 1;
      }
      if (n === indices.length) indices = this.grow();
      indices[n++] = entry;
      previous = entry;
    }
    this.values = n;
    this.distinct = distinct;
    this.entryBytes = entryBytes;
    return true;
  }
}

function hashValue(dv: DataView, start: number, len: number): number {
  let h = Math.imul(len, 0x9e3779b1);
  const end = start + len;
  // Up to 2 * HASHED_EDGE bytes: all of a short value; the first and last HASHED_EDGE bytes of a long one.
  const headEnd = len <= 2 * HASHED_EDGE ? end : start + HASHED_EDGE;
  let i = start;
  for (; i + 4 <= headEnd; i += 4) {
    h = Math.imul(h ^ dv.getInt32(i, true), 0x5bd1e995);
    h ^= h >>> 15;
  }
  if (headEnd === end) {
    for (; i < end; i++) h = Math.imul(h ^ dv.getUint8(i), 0x5bd1e995);
  } else {
    for (i = end - HASHED_EDGE; i < end; i += 4) {
      h = Math.imul(h ^ dv.getInt32(i, true), 0x5bd1e995);
      h ^= h >>> 15;
    }
  }
  return h | 0;
}

function sameBytes(buf: Uint8Array, dv: DataView, a: number, b: number, len: number): boolean {
  let i = 0;
  for (; i + 4 <= len; i += 4) if (dv.getInt32(a + i, true) !== dv.getInt32(b + i, true)) return false;
  for (; i < len; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

function writeVarint(out: Uint8Array, p: number, value: number): number {
  while (value >= 0x80) {
    out[p++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[p++] = value;
  return p;
}

/** At most 63 groups of 8 per bit-packed run: the header then fits in one byte, as some readers expect. */
const MAX_GROUPS = 63;
const MIN_RUN = 8;

/**
 * `base + indices[i]` for i < n in the RLE/bit-packed hybrid: runs of 8 or more equal values as RLE runs, the
 * rest bit-packed in groups of 8 (the last group padded with zeros). Returns the end offset.
 */
export function writeHybrid(out: Uint8Array, p: number, indices: Int32Array, n: number, base: number, width: number): number {
  const valueBytes = Math.ceil(width / 8);
  let i = 0;
  while (i < n) {
    const v = indices[i];
    let run = 1;
    while (i + run < n && indices[i + run] === v) run++;
    if (run >= MIN_RUN) {
      p = writeVarint(out, p, run * 2);
      let value = base + v;
      for (let b = 0; b < valueBytes; b++, value >>>= 8) out[p++] = value & 0xff;
      i += run;
      continue;
    }
    // Literal groups until a run of MIN_RUN starts at a group boundary (or the run length limit).
    let j = i + 8;
    while (j < n && (j - i) / 8 < MAX_GROUPS) {
      let same = 1;
      while (j + same < n && same < MIN_RUN && indices[j + same] === indices[j]) same++;
      if (same >= MIN_RUN) break;
      j += 8;
    }
    const groups = Math.ceil((Math.min(j, n) - i) / 8);
    out[p++] = (groups << 1) | 1;
    let acc = 0;
    let bits = 0;
    for (let k = i; k < i + groups * 8; k++) {
      const value = k < n ? base + indices[k] : 0;
      acc |= value << bits;
      bits += width;
      while (bits >= 8) {
        out[p++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    i = Math.min(j, n);
  }
  return p;
}
