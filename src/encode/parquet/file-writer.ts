/**
 * A Parquet file from encoded pages: `PAR1`, then per row group each column's pages back to back (its column
 * chunk), then the footer (FileMetaData, Thrift compact), its length, and `PAR1`. Pages arrive in row order, several
 * per column chunk; a row group's pages are held (compressed) until the group is complete.
 */
import type { FileHandle } from 'node:fs/promises';
import { setInt64 } from './columns.js';
import { CODEC, type EncodedPage, type ParquetCompression } from './pages.js';
import { PHYSICAL, writeSchemaElements, type LeafColumn, type SchemaNode } from './schema.js';
import { CompactWriter } from './thrift.js';

const MAGIC = new TextEncoder().encode('PAR1');
const CREATED_BY = 'seclog';

interface ChunkMeta {
  offset: number;
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
  private pendingRows = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly schema: readonly SchemaNode[],
    private readonly leaves: readonly LeafColumn[],
    private readonly compression: ParquetCompression,
  ) {
    this.pending = leaves.map(() => []);
  }

  /** Bytes written so far plus the pages held for the open row group. */
  get size(): number {
    let held = 0;
    for (const pages of this.pending) for (const p of pages) held += p.bytes.length;
    return this.offset + held;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.offset + done);
      done += bytesWritten;
    }
    this.offset += bytes.length;
  }

  /** Adds one page per column (`pages[i]` for leaf i) holding the same `rows` rows. */
  addPages(pages: readonly EncodedPage[], rows: number): void {
    pages.forEach((p, i) => this.pending[i].push(p));
    this.pendingRows += rows;
  }

  /** Writes the held pages as one row group. */
  async endRowGroup(): Promise<void> {
    if (this.pendingRows === 0) return;
    if (this.offset === 0) await this.write(MAGIC);
    const chunks: ChunkMeta[] = [];
    for (const pages of this.pending) {
      const chunk: ChunkMeta = { offset: this.offset, compressed: 0, uncompressed: 0, values: 0, nulls: 0, min: Infinity, max: -Infinity };
      const total = pages.reduce((n, p) => n + p.bytes.length, 0);
      const joined = new Uint8Array(total);
      let at = 0;
      for (const p of pages) {
        joined.set(p.bytes, at);
        at += p.bytes.length;
        chunk.uncompressed += p.uncompressedSize;
        chunk.values += p.values;
        chunk.nulls += p.nulls;
        if (p.min < chunk.min) chunk.min = p.min;
        if (p.max > chunk.max) chunk.max = p.max;
      }
      chunk.compressed = total;
      await this.write(joined);
      chunks.push(chunk);
    }
    this.groups.push({ rows: this.pendingRows, chunks });
    this.pending = this.leaves.map(() => []);
    this.pendingRows = 0;
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
            m.i32(1, PHYSICAL[leaf.type]).i32List(2, [0, 3]).stringList(3, leaf.path).i32(4, codec).i64(5, c.values).i64(6, c.uncompressed).i64(7, c.compressed).i64(9, c.offset);
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
