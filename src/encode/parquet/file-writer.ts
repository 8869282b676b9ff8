/**
 * A Parquet file from encoded pages: `PAR1`, then per row group each column's pages back to back (its column
 * chunk: the dictionary page first when its pages use one), then the footer (FileMetaData, Thrift compact), its
 * length, and `PAR1`. Pages arrive in row order, several per column chunk; a row group's pages are held (compressed)
 * until the group is complete.
 */
import type { FileHandle } from 'node:fs/promises';
import { writevAll } from '../fd-write.js';
import { setInt64 } from './columns.js';
import type { BlockDictionary } from './dictionary.js';
import { CODEC, dictionaryPage, ENCODING, type Compress, type EncodedPage, type ParquetCompression } from './pages.js';
import { PHYSICAL, writeSchemaElements, type LeafColumn, type SchemaNode } from './schema.js';
import { CompactWriter } from './thrift.js';

const MAGIC = new TextEncoder().encode('PAR1');
/** Dictionary filler entries, PLAIN-encoded: an empty string, and JSON `null`. */
const EMPTY_ENTRY = new Uint8Array(4);
const JSON_NULL_ENTRY = new Uint8Array([4, 0, 0, 0, 0x6e, 0x75, 0x6c, 0x6c]);
const CREATED_BY = 'seclog';

interface ChunkMeta {
  offset: number;
  /** Where the data pages start (after the dictionary page, if any). */
  dataOffset: number;
  dictionary: boolean;
  compressed: number;
  uncompressed: number;
  values: number;
  nulls: number;
  min: number;
  max: number;
}

interface RowGroupMeta {
  rows: number;
  chunks: ChunkMeta[];
}

/** A statistics value: the column's physical encoding of `value` (numeric columns only). */
function statBytes(leaf: LeafColumn, value: number): Uint8Array | null {
  const width = leaf.type === 'int32' ? 4 : leaf.type === 'int64' || leaf.type === 'timestamp' || leaf.type === 'double' ? 8 : 0;
  if (width === 0) return null;
  const b = new Uint8Array(width);
  const dv = new DataView(b.buffer);
  if (leaf.type === 'int32') dv.setInt32(0, value, true);
  else if (leaf.type === 'double') dv.setFloat64(0, value, true);
  else setInt64(dv, 0, value);
  return b;
}

export class ParquetFileWriter {
  private offset = 0;
  private readonly groups: RowGroupMeta[] = [];
  private pending: EncodedPage[][];
  /** Per column: the open row group's chunk already has a PLAIN page. */
  private plainSeen: boolean[];
  private pendingRows = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly schema: readonly SchemaNode[],
    private readonly leaves: readonly LeafColumn[],
    private readonly compression: ParquetCompression,
    /** The codec, for dictionary pages (the encoders compress the data pages). */
    private readonly compress: Compress,
  ) {
    this.pending = leaves.map(() => []);
    this.plainSeen = leaves.map(() => false);
  }

  /** Bytes written so far plus the pages held for the open row group. */
  get size(): number {
    let held = 0;
    for (const pages of this.pending) for (const p of pages) held += p.bytes.length + (p.dictionary?.bytes.length ?? 0);
    return this.offset + held;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    // Not FileHandle#write: see fd-write.ts (fs/promises requests make the main thread run GCs).
    await writevAll(this.handle.fd, [bytes], this.offset);
    this.offset += bytes.length;
  }

  /**
   * Adds one page per column (`pages[i]` for leaf i) holding the same `rows` rows. Once a chunk has a PLAIN page, its
   * later pages are taken PLAIN too (their `plain` twin), as parquet-mr and Arrow write fallbacks: Spark 4.3's
   * vectorized reader misreads a read batch that runs from a PLAIN page into a dictionary page.
   */
  addPages(pages: readonly EncodedPage[], rows: number): void {
    pages.forEach((page, i) => {
      let p = page;
      if (p.dictionary && this.plainSeen[i]) {
        if (!p.plain) throw new Error('a dictionary page without its PLAIN twin');
        p = p.plain;
      } else if (!p.dictionary) this.plainSeen[i] = true;
      // The twin not taken is not referenced for the rest of the row group (with the sink, its bytes stay in the
      // block's slab until the group is written).
      this.pending[i].push(p.plain ? { ...p, plain: null } : p);
    });
    this.pendingRows += rows;
  }

  /** Writes the held pages as one row group. */
  async endRowGroup(): Promise<void> {
    if (this.pendingRows === 0) return;
    if (this.offset === 0) await this.write(MAGIC);
    const chunks: ChunkMeta[] = [];
    for (let column = 0; column < this.pending.length; column++) {
      const pages = this.pending[column];
      const dictionary = this.chunkDictionary(pages, this.leaves[column]);
      const chunk: ChunkMeta = { offset: this.offset, dataOffset: this.offset, dictionary: dictionary !== null, compressed: 0, uncompressed: 0, values: 0, nulls: 0, min: Infinity, max: -Infinity };
      if (dictionary) {
        await this.write(dictionary.bytes);
        chunk.dataOffset = this.offset;
        chunk.compressed += dictionary.bytes.length;
        chunk.uncompressed += dictionary.uncompressedSize;
      }
      const total = pages.reduce((n, p) => n + p.bytes.length, 0);
      for (const p of pages) {
        chunk.uncompressed += p.uncompressedSize;
        chunk.values += p.values;
        chunk.nulls += p.nulls;
        if (p.min < chunk.min) chunk.min = p.min;
        if (p.max > chunk.max) chunk.max = p.max;
      }
      chunk.compressed += total;
      // Gathered by writev, not joined into a new buffer: every new backing store on this thread can cost a GC.
      await writevAll(this.handle.fd, pages.map((p) => p.bytes), this.offset);
      this.offset += total;
      chunks.push(chunk);
    }
    this.groups.push({ rows: this.pendingRows, chunks });
    this.pending = this.leaves.map(() => []);
    this.plainSeen = this.leaves.map(() => false);
    this.pendingRows = 0;
  }

  /**
   * The chunk's dictionary page, from the dictionaries of its dictionary-encoded pages: each at its slot, the
   * entries between slots filler (empty strings; `null` in JSON columns, as readers may parse every entry). Null
   * when no page uses a dictionary.
   */
  private chunkDictionary(pages: readonly EncodedPage[], leaf: LeafColumn): { bytes: Uint8Array; uncompressedSize: number } | null {
    const dictionaries = pages.map((p) => p.dictionary).filter((d): d is BlockDictionary => d !== null);
    if (dictionaries.length === 0) return null;
    dictionaries.sort((a, b) => a.base - b.base);
    const filler = leaf.type === 'json' ? JSON_NULL_ENTRY : EMPTY_ENTRY;
    let entries = 0;
    let size = 0;
    for (const d of dictionaries) {
      if (d.base < entries) throw new Error('two pages of one row group share a dictionary slot');
      size += (d.base - entries) * filler.length + d.bytes.length;
      entries = d.base + d.count;
    }
    const body = new Uint8Array(size);
    let at = 0;
    let entry = 0;
    for (const d of dictionaries) {
      // The body starts zeroed, which already reads as empty strings.
      if (filler === EMPTY_ENTRY) at += (d.base - entry) * 4;
      else for (; entry < d.base; entry++, at += filler.length) body.set(filler, at);
      body.set(d.bytes, at);
      at += d.bytes.length;
      entry = d.base + d.count;
    }
    return dictionaryPage(body, entries, this.compress);
  }

  /** Ends the last row group and writes the footer. */
  async finish(): Promise<void> {
    await this.endRowGroup();
    if (this.offset === 0) await this.write(MAGIC);
    const codec = CODEC[this.compression];
    const footer = CompactWriter.struct((w) => {
      w.i32(1, 1);
      writeSchemaElements(w, 2, this.schema);
      w.i64(3, this.groups.reduce((n, g) => n + g.rows, 0));
      w.structList(4, this.groups, (w, g, ordinal) => {
        w.structList(1, g.chunks, (w, c, i) => {
          const leaf = this.leaves[i];
          w.i64(2, 0); // file_offset: deprecated, 0 as the format asks
          w.struct(3, (m) => {
            const encodings = c.dictionary ? [ENCODING.plain, ENCODING.rle, ENCODING.rleDictionary] : [ENCODING.plain, ENCODING.rle];
            m.i32(1, PHYSICAL[leaf.type]).i32List(2, encodings).stringList(3, leaf.path).i32(4, codec).i64(5, c.values).i64(6, c.uncompressed).i64(7, c.compressed).i64(9, c.dataOffset);
            if (c.dictionary) m.i64(11, c.offset);
            m.struct(12, (s) => {
              const hasRange = c.values > c.nulls && c.min <= c.max;
              // Zeros as the format asks for floating point: a min of 0 is written as -0, a max of -0 as +0.
              const max = hasRange ? statBytes(leaf, c.max === 0 ? 0 : c.max) : null;
              const min = hasRange ? statBytes(leaf, leaf.type === 'double' && c.min === 0 ? -0 : c.min) : null;
              s.i64(3, c.nulls);
              if (max && min) s.binary(5, max).binary(6, min);
            });
          });
        });
        w.i64(2, g.chunks.reduce((n, c) => n + c.uncompressed, 0));
        w.i64(3, g.rows);
        w.i64(5, g.chunks[0]?.offset ?? 4);
        w.i64(6, g.chunks.reduce((n, c) => n + c.compressed, 0));
        w.i16(7, ordinal);
      });
      w.string(6, CREATED_BY);
      // column_orders: TYPE_ORDER for every leaf, which gives the min/max statistics their meaning.
      w.structList(7, this.leaves, (o) => o.struct(1, () => {}));
    });
    const tail = new Uint8Array(footer.length + 8);
    tail.set(footer, 0);
    new DataView(tail.buffer).setUint32(footer.length, footer.length, true);
    tail.set(MAGIC, footer.length + 4);
    await this.write(tail);
  }
}
