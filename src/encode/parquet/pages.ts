/**
 * Parquet data pages (format v1): repetition and definition levels in the RLE/bit-packed hybrid (runs only), then
 * the values, PLAIN or (byte arrays with few distinct values) RLE_DICTIONARY indices, the whole body compressed
 * with the column chunk's codec, behind a Thrift page header.
 */
import { createRequire } from 'node:module';
import { ByteWriter } from '../byte-writer.js';
import { reusingZstd, ZSTD_UNAVAILABLE, zstdCompressSync } from '../zstd.js';
import type { ColumnBuffer } from './columns.js';
import type { Shredder } from './shredder.js';
import { DictionaryBuilder, type BlockDictionary } from './dictionary.js';
import { CompactWriter } from './thrift.js';

export type ParquetCompression = 'zstd' | 'snappy' | 'none';

/** Parquet's CompressionCodec numbers. */
export const CODEC: Readonly<Record<ParquetCompression, number>> = { none: 0, snappy: 1, zstd: 6 };

/** zstd level 1: measured against 3 on CloudTrail pages, 15-25 % faster to encode for files 2 % larger. */
export const DEFAULT_PARQUET_ZSTD_LEVEL = 1;

/** Compresses a page body. The result may be a view of a buffer the next call reuses: copy it out before then. */
export type Compress = (body: Uint8Array) => Uint8Array;

/** The compressor of a codec, or why it is not available. */
export function compressor(kind: ParquetCompression, level = DEFAULT_PARQUET_ZSTD_LEVEL): Compress | string {
  if (kind === 'none') return (b) => b;
  if (kind === 'zstd') {
    const reusing = reusingZstd(level);
    if (reusing) return reusing;
    if (!zstdCompressSync) return `Parquet zstd compression ${ZSTD_UNAVAILABLE}`;
    const zstd = zstdCompressSync;
    return (b) => zstd(b, level);
  }
  try {
    const { compressSync } = createRequire(import.meta.url)('snappy') as { compressSync(b: Uint8Array): Buffer };
    return (b) => compressSync(b);
  } catch {
    return 'Parquet snappy compression needs the snappy package (npm install snappy)';
  }
}

/** Parquet's Encoding numbers. */
export const ENCODING = { plain: 0, rle: 3, rleDictionary: 8 } as const;

/** A finished page and what the column chunk's metadata needs of it. */
export interface EncodedPage {
  bytes: Uint8Array;
  /** Set when the values are indices into this block's slot of the chunk's dictionary. */
  dictionary: BlockDictionary | null;
  /**
   * With a dictionary: the same page PLAIN. A chunk must not go back to dictionary pages after a PLAIN one (Spark
   * 4.3's vectorized reader then reads PLAIN values as indices), and which pages come first is known only when the
   * file writer has them in order.
   */
  plain: EncodedPage | null;
  values: number;
  nulls: number;
  uncompressedSize: number;
  min: number;
  max: number;
}

function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

/** Levels as RLE runs, prefixed by their byte length (4 bytes, little endian). */
function writeLevels(out: Uint8Array, at: number, levels: Uint8Array, count: number, maxLevel: number): number {
  const width = Math.ceil(bitWidth(maxLevel) / 8);
  let p = at + 4;
  let i = 0;
  while (i < count) {
    const v = levels[i];
    let j = i + 1;
    while (j < count && levels[j] === v) j++;
    let header = (j - i) * 2;
    while (header >= 0x80) {
      out[p++] = (header & 0x7f) | 0x80;
      header = Math.floor(header / 0x80);
    }
    out[p++] = header;
    if (width > 0) out[p++] = v;
    i = j;
  }
  const len = p - at - 4;
  out[at] = len & 0xff;
  out[at + 1] = (len >>> 8) & 0xff;
  out[at + 2] = (len >>> 16) & 0xff;
  out[at + 3] = len >>> 24;
  return p;
}

/** Encodes columns into data pages, reusing one scratch buffer for the uncompressed bodies. */
export class PageEncoder {
  private scratch = new Uint8Array(1 << 20);
  private readonly dictionary: DictionaryBuilder | null;

  /** `dictionaryEntries`: the slot size of byte-array dictionaries (0: every page PLAIN). */
  constructor(
    private readonly compress: Compress,
    dictionaryEntries = 0,
  ) {
    this.dictionary = dictionaryEntries > 0 ? new DictionaryBuilder(dictionaryEntries) : null;
  }

  /**
   * The column's buffered levels and values as one data page. `slot`: the block's number within its row group,
   * which places its dictionary in the chunk's (blocks of one row group must have different slots). `out`: where the
   * page's bytes go (appended). If `out` grows, earlier pages' views still show their bytes in the old buffer, and
   * their offsets (`toSpans`) are right in the new one, which holds the same bytes. Without `out`, each page gets its
   * own buffer.
   */
  encode(col: ColumnBuffer, slot = 0, out?: ByteWriter): EncodedPage {
    const leaf = col.leaf;
    const values = col.values;
    const byteArrays = leaf.type === 'string' || leaf.type === 'json';
    const dictionary = byteArrays ? this.dictionary : null;
    const valueBytes = Math.max(leaf.type === 'bool' ? Math.ceil(col.bools / 8) : values.pos, dictionary ? DictionaryBuilder.maxEncodedBytes(values.pos / 4) : 0);
    // Worst case for runs: 6 bytes per level entry (5-byte varint header and a value byte), plus the length prefixes.
    const need = 8 + (leaf.maxRep > 0 ? col.count * 6 : 0) + (leaf.maxDef > 0 ? col.count * 6 : 0) + valueBytes;
    if (this.scratch.length < need) this.scratch = new Uint8Array(Math.max(need, this.scratch.length * 2));
    const body = this.scratch;
    let levelsEnd = 0;
    if (leaf.maxRep > 0) levelsEnd = writeLevels(body, levelsEnd, col.reps!, col.count, leaf.maxRep);
    if (leaf.maxDef > 0) levelsEnd = writeLevels(body, levelsEnd, col.defs, col.count, leaf.maxDef);
    const indexed = dictionary ? dictionary.encode(values.buf, values.dv, values.pos, slot, body, levelsEnd) : -1;
    if (indexed >= 0) {
      const page = this.page(col, body.subarray(0, indexed), ENCODING.rleDictionary, out);
      page.dictionary = dictionary!.dictionary(values.buf, slot, out);
      // The same rows PLAIN, for the file writer to use instead once an earlier page of the chunk is PLAIN.
      page.plain = this.page(col, body.subarray(0, this.plainValues(col, body, levelsEnd)), ENCODING.plain, out);
      return page;
    }
    return this.page(col, body.subarray(0, this.plainValues(col, body, levelsEnd)), ENCODING.plain, out);
  }

  /** Writes the column's values PLAIN into `body` at `at`; returns the end. */
  private plainValues(col: ColumnBuffer, body: Uint8Array, at: number): number {
    const values = col.values;
    if (col.leaf.type === 'bool') {
      const bytes = Math.ceil(col.bools / 8);
      body.fill(0, at, at + bytes);
      const src = values.buf;
      for (let i = 0; i < col.bools; i++) if (src[i]) body[at + (i >> 3)] |= 1 << (i & 7);
      return at + bytes;
    }
    body.set(values.buf.subarray(0, values.pos), at);
    return at + values.pos;
  }

  /** A data page from its uncompressed body (levels, then values in `encoding`). */
  private page(col: ColumnBuffer, body: Uint8Array, encoding: number, out: ByteWriter | undefined): EncodedPage {
    // DataPageHeader(num_values, value encoding, RLE levels)
    const { bytes, uncompressedSize } = framePage(
      PAGE_TYPE.data,
      body,
      this.compress,
      (w) => w.struct(5, (d) => d.i32(1, col.count).i32(2, encoding).i32(3, ENCODING.rle).i32(4, ENCODING.rle)),
      out,
    );
    return { bytes, dictionary: null, plain: null, values: col.count, nulls: col.nulls, uncompressedSize, min: col.min, max: col.max };
  }
}

/**
 * One page per column of the shredder's rows. A column that repeats another (`Shredder.aliases`) gets that column's
 * page: the same bytes, levels, counts and statistics.
 */
export function encodeColumns(shredder: Pick<Shredder, 'columns' | 'aliases'>, encoder: PageEncoder, slot = 0, out?: ByteWriter): EncodedPage[] {
  const pages: EncodedPage[] = [];
  const { columns, aliases } = shredder;
  for (let i = 0; i < columns.length; i++) if (aliases[i] < 0) pages[i] = encoder.encode(columns[i], slot, out);
  for (let i = 0; i < columns.length; i++) if (aliases[i] >= 0) pages[i] = pages[aliases[i]];
  return pages;
}

/** Parquet's PageType numbers. */
const PAGE_TYPE = { data: 0, dictionary: 2 } as const;

/**
 * A page: its Thrift header (type, sizes, then the type's own header from `typeHeader`) and the compressed body,
 * appended to `out`, or in an allocation of its own (the body is often a reused scratch buffer).
 */
function framePage(type: number, body: Uint8Array, compress: Compress, typeHeader: (w: CompactWriter) => void, into?: ByteWriter): { bytes: Uint8Array; uncompressedSize: number } {
  const compressed = compress(body);
  const header = CompactWriter.struct((w) => {
    w.i32(1, type).i32(2, body.length).i32(3, compressed.length);
    typeHeader(w);
  });
  const out = into ?? new ByteWriter(header.length + compressed.length);
  const at = out.pos;
  out.bytes(header);
  out.bytes(compressed);
  return { bytes: out.buf.subarray(at, out.pos), uncompressedSize: header.length + body.length };
}

/** A range of the buffer a block's pages were written to (`encode`'s `out`). */
export interface Span {
  at: number;
  length: number;
}

/** A page as it crosses threads: its bytes, its dictionary's and its twin's as spans of the block's output buffer. */
export interface PageSpans extends Omit<EncodedPage, 'bytes' | 'dictionary' | 'plain'> {
  bytes: Span;
  dictionary: (Omit<BlockDictionary, 'bytes'> & { bytes: Span }) | null;
  plain: PageSpans | null;
}

const spanOf = (b: Uint8Array): Span => ({ at: b.byteOffset, length: b.byteLength });

/** The page with its byte views replaced by spans (their offsets in the output buffer). */
export function toSpans(page: EncodedPage): PageSpans {
  return { ...page, bytes: spanOf(page.bytes), dictionary: page.dictionary && { ...page.dictionary, bytes: spanOf(page.dictionary.bytes) }, plain: page.plain && toSpans(page.plain) };
}

/** The page back from its spans, as views of `buffer`. */
export function fromSpans(page: PageSpans, buffer: ArrayBufferLike): EncodedPage {
  const view = (s: Span) => new Uint8Array(buffer, s.at, s.length);
  return { ...page, bytes: view(page.bytes), dictionary: page.dictionary && { ...page.dictionary, bytes: view(page.dictionary.bytes) }, plain: page.plain && fromSpans(page.plain, buffer) };
}

/** A column chunk's dictionary page from its PLAIN-encoded entries. */
export function dictionaryPage(entries: Uint8Array, count: number, compress: Compress): { bytes: Uint8Array; uncompressedSize: number } {
  // DictionaryPageHeader(num_values, PLAIN)
  return framePage(PAGE_TYPE.dictionary, entries, compress, (w) => w.struct(7, (d) => d.i32(1, count).i32(2, ENCODING.plain)));
}
