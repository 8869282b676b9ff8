/**
 * Parquet output, written by our own encoder (src/encode/parquet/). The ordered record stream is cut into blocks
 * of a fixed number of rows; a pool of worker threads shreds each block into columns and encodes one compressed
 * page per column; pages are written in order, a row group every `row_group_rows` rows, and a file ends at the
 * first block that takes it to `target_size_mb`. Block, row-group and file boundaries depend only on the records,
 * so output is byte-identical at any worker count. Files are written under a temporary name and renamed when
 * their footer is written; blocks in flight are bounded (backpressure).
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EncodeJob, EncodeResult, EncodeSetup } from '../../encode/parquet/encode-worker.js';
import { ParquetFileWriter } from '../../encode/parquet/file-writer.js';
import type { ParquetLayout } from '../../encode/parquet/layout.js';
import { compressor, fromSpans, type Compress, type ParquetCompression } from '../../encode/parquet/pages.js';
import { createEncoderPool, type EncoderPool } from '../../encode/parquet/encoder-pool.js';
import type { LeafColumn, SchemaNode } from '../../encode/parquet/schema.js';
import { Shredder } from '../../encode/parquet/shredder.js';
import { UsageError } from '../../util/errors.js';
import { copyBytes } from '../../encode/copy-bytes.js';
import { SharedBufferPool } from '../../encode/shared-buffers.js';
import type { Actor } from '../../population/actor.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { ensureDir } from '../../util/files.js';
import { fileName, lastSequence, temporaryName } from './naming.js';

export interface ParquetSinkOptions {
  dir: string;
  label: string;
  layout: ParquetLayout;
  actors: readonly Actor[];
  targetBytes: number;
  compression: ParquetCompression;
  rowGroupRows: number;
  /** Dictionary-encode byte-array columns where it pays (src/encode/parquet/dictionary.ts). */
  dictionary?: boolean;
  /** zstd level (default 1). */
  level?: number;
  /** Encoder threads. */
  threads: number;
  /** Rotate files older than this (wall clock). */
  maxAgeMs?: number;
  /** Where blocks and slabs come from and go back to when the sink closes (default: a pool of its own). */
  sharedBuffers?: SharedBufferPool;
  /** Number files after the highest one of `label` already in `dir` (`--append`). */
  append?: boolean;
}

/**
 * Rows per block (one page per column) at most. Measured with 1 worker + 2 encoders, 8 s runs: 16,384 rows made
 * 63-71k events/s at ~600 MB peak RSS; 8,192 made 73-83k at ~475 MB with files 3 % larger; 4,096 made 72-81k at
 * ~425 MB with files 7 % larger. Later, with dictionaries, 150 s runs: 8,192 rows peaked at 507 MB (too close to the
 * 512 MB bound on long runs), 6,144 at 477 MB with files 1.6 % larger and the same events/s (30 s runs, interleaved).
 */
const MAX_BLOCK_ROWS = 6_144;
const MIN_BLOCK_ROWS = 256;
/** Parquet bytes per CloudTrail row, roughly (measured: zstd ~150, snappy ~260, none ~1,000). Sizes blocks only. */
const ROW_BYTES: Readonly<Record<ParquetCompression, number>> = { zstd: 150, snappy: 260, none: 1000 };

/**
 * Files end at a block boundary, so a block should be a small part of a file: about 1/8 of the target size.
 * Computed from the config alone, so boundaries do not depend on timing.
 */
export function blockRows(targetBytes: number, compression: ParquetCompression, rowGroupRows: number): number {
  const forTarget = Math.floor(targetBytes / 8 / ROW_BYTES[compression]);
  return Math.max(MIN_BLOCK_ROWS, Math.min(MAX_BLOCK_ROWS, rowGroupRows, forTarget));
}

/** A block of rows, in buffers shared with the encoders. */
interface Block {
  bytes: Uint8Array;
  length: number;
  ends: Int32Array;
  actors: Int32Array;
  rows: number;
  minTime: number;
  maxTime: number;
  /** The block ends a row group: row groups end every row_group_rows rows of the stream (or with a file). */
  endsGroup: boolean;
}

/** Where an encoder writes a block's pages; held until the row group holding them is written. */
interface Slab {
  bytes: SharedArrayBuffer;
}

interface OpenFile {
  sequence: number;
  path: string;
  handle: FileHandle;
  writer: ParquetFileWriter;
  minTime: number;
  maxTime: number;
}

export class ParquetSink implements RecordSink {
  private readonly pool: EncoderPool;
  private readonly schema: readonly SchemaNode[];
  private readonly leaves: readonly LeafColumn[];
  private block: Block;
  /** Blocks whose rows are encoded, ready for reuse. */
  private readonly spare: Block[] = [];
  /** Every block and slab made, to hand back to `sharedBuffers` when the encoders have stopped. */
  private readonly blocks: Block[] = [];
  private readonly slabs: Slab[] = [];
  private readonly sharedBuffers: SharedBufferPool;
  /** Encoded blocks, in order, not yet written. */
  private readonly inFlight: Promise<{ result: EncodeResult; block: Block; slab: Slab }>[] = [];
  private readonly spareSlabs: Slab[] = [];
  /** Slabs whose pages the open row group holds. */
  private groupSlabs: Slab[] = [];
  private readonly maxInFlight: number;
  private file: OpenFile | null = null;
  private sequence = 0;
  private bytesOut = 0;
  private readonly closed: string[] = [];
  private readonly blockRows: number;
  /** Set when the age limit asks for the open file to end after the blocks sent so far. */
  private endAfter = -1;
  private sent = 0;
  private written = 0;
  private failed: Error | null = null;
  private dataSince: number | null = null;
  /** Rows put into blocks so far (decides where row groups end). */
  private rowsStaged = 0;
  /** Blocks sent since the row group began: the next block's dictionary slot. */
  private groupBlocks = 0;
  private readonly compress: Compress;
  /** Calls run one at a time (the engine's age timer may call while a write is waiting on an encoder). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ParquetSinkOptions) {
    const compress = compressor(options.compression, options.level);
    if (typeof compress === 'string') throw new UsageError(compress);
    this.compress = compress;
    const layout = options.layout;
    // The encoders build the same shredder; building one here makes a layout error fail now, with its message.
    const shredder = new Shredder(layout, options.actors);
    this.schema = shredder.schema;
    this.leaves = shredder.leaves;
    this.blockRows = blockRows(options.targetBytes, options.compression, options.rowGroupRows);
    // A block's dictionary slot holds a quarter of its rows' worth of distinct values; more and the page stays
    // PLAIN. Slots are padded to this size in the chunk's dictionary page: half the rows made files 6 % smaller
    // but took peak RSS over 512 MB (1 worker + 2 encoders, 8 s runs).
    const dictionaryEntries = options.dictionary ? Math.max(64, this.blockRows >> 2) : 0;
    const setup: EncodeSetup = { layout, actors: options.actors as object[], compression: options.compression, level: options.level, dictionaryEntries };
    const threads = Math.max(1, options.threads);
    this.sharedBuffers = options.sharedBuffers ?? new SharedBufferPool();
    this.pool = createEncoderPool(setup, threads);
    // Enough blocks in flight that an encoder rarely waits while the oldest block finishes (blocks are written in
    // order). Measured with 1 worker + 2 encoders, 6 s runs interleaved: 4 blocks made as many events/s as 5, at
    // ~15 MB less peak RSS.
    this.maxInFlight = 2 * threads;
    this.block = this.newBlock();
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: this.closed.length };
  }

  get closedFiles(): readonly string[] {
    return this.closed;
  }

  private newBlock(): Block {
    const spare = this.spare.pop();
    if (spare) {
      spare.length = 0;
      spare.rows = 0;
      spare.minTime = Infinity;
      spare.maxTime = -Infinity;
      spare.endsGroup = false;
      return spare;
    }
    // About 1.5 KB per CloudTrail record; the buffer grows for larger records.
    const block: Block = {
      bytes: new Uint8Array(this.sharedBuffers.take(this.blockRows * 2048)),
      length: 0,
      ends: new Int32Array(this.sharedBuffers.take(this.blockRows * 4)),
      actors: new Int32Array(this.sharedBuffers.take(this.blockRows * 4)),
      rows: 0,
      minTime: Infinity,
      maxTime: -Infinity,
      endsGroup: false,
    };
    this.blocks.push(block);
    return block;
  }

  /**
   * A slab for a block's pages: about four times the compressed size of a block (dictionary pages come with PLAIN
   * twins), so it rarely grows. Its memory is touched only as far as pages fill it.
   */
  private takeSlab(): Slab {
    if (this.spareSlabs.length > 0) return this.spareSlabs.pop()!;
    const slab = { bytes: this.sharedBuffers.take(this.blockRows * ROW_BYTES[this.options.compression] * 4) };
    this.slabs.push(slab);
    return slab;
  }

  /** The open row group is written: its slabs can take new pages. */
  private releaseGroupSlabs(): void {
    this.spareSlabs.push(...this.groupSlabs);
    this.groupSlabs = [];
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  write(batch: RecordBatch): Promise<void> {
    return this.serial(() => this.stage(batch));
  }

  private async stage(batch: RecordBatch): Promise<void> {
    if (this.failed) throw this.failed;
    if (batch.to > batch.from) this.dataSince ??= Date.now();
    let i = batch.from;
    while (i < batch.to) {
      const b = this.block;
      // Copy the run of records that completes the block (or the batch) in one `set`. Blocks also end where a row
      // group does, so groups never exceed row_group_rows.
      const toGroupEnd = this.options.rowGroupRows - (this.rowsStaged % this.options.rowGroupRows);
      const j = Math.min(batch.to, i + Math.min(this.blockRows - b.rows, toGroupEnd));
      const runStart = recordStart(batch, i);
      const runEnd = batch.ends[j - 1];
      if (b.length + runEnd - runStart > b.bytes.length) {
        const bigger = new Uint8Array(this.sharedBuffers.take(Math.max(b.bytes.length * 2, b.length + runEnd - runStart)));
        bigger.set(b.bytes.subarray(0, b.length));
        // The block is being filled, so no encoder reads the old buffer.
        this.sharedBuffers.give(b.bytes.buffer as SharedArrayBuffer);
        b.bytes = bigger;
      }
      for (let k = i; k < j; k++) {
        const t = batch.times[k];
        if (t < b.minTime) b.minTime = t;
        if (t > b.maxTime) b.maxTime = t;
        b.ends[b.rows] = b.length + batch.ends[k] - runStart;
        b.actors[b.rows] = batch.actors[k];
        b.rows++;
      }
      copyBytes(b.bytes, b.length, batch.bytes, runStart, runEnd);
      b.length += runEnd - runStart;
      this.rowsStaged += j - i;
      i = j;
      if (this.rowsStaged % this.options.rowGroupRows === 0) {
        b.endsGroup = true;
        await this.send();
      } else if (b.rows === this.blockRows) await this.send();
    }
    if (this.tooOld()) await this.endFileSoon();
  }

  /** Hands the current block to an encoder; waits while too many blocks are in flight. */
  private async send(): Promise<void> {
    const block = this.block;
    if (block.rows === 0) return;
    this.block = this.newBlock();
    const slab = this.takeSlab();
    const share = (view: Uint8Array | Int32Array) => this.pool.share(view.buffer as SharedArrayBuffer);
    const job: EncodeJob = { bytes: share(block.bytes), ends: share(block.ends), actors: share(block.actors), slab: this.pool.share(slab.bytes), rows: block.rows, slot: this.groupBlocks++ };
    if (block.endsGroup) this.groupBlocks = 0;
    const encoded = this.pool.run(job, []).then((result) => ({ result, block, slab }));
    // Awaited in order by writeNext; a later block failing first must not become an unhandled rejection.
    encoded.catch(() => undefined);
    this.inFlight.push(encoded);
    this.sent++;
    while (this.inFlight.length >= this.maxInFlight) await this.writeNext();
  }

  /** Writes the oldest encoded block to the open file (opening one if needed), rotating as its size says. */
  private async writeNext(): Promise<void> {
    const next = this.inFlight.shift();
    if (!next) return;
    let done: { result: EncodeResult; block: Block; slab: Slab };
    try {
      done = await next;
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
      throw this.failed;
    }
    const { result, block, slab } = done;
    const pagesIn = result.grown ?? slab.bytes;
    // Pages that outgrew the slab came in a buffer of their own: a bigger slab for the next blocks.
    if (result.grown) {
      // The encoder is done with the old slab (its pages are in `grown`).
      this.sharedBuffers.give(slab.bytes);
      slab.bytes = this.sharedBuffers.take(Math.ceil(result.used * 1.25));
    }
    const f = (this.file ??= await this.openFile());
    f.writer.addPages(
      result.pages.map((p) => fromSpans(p, pagesIn)),
      block.rows,
    );
    this.groupSlabs.push(slab);
    if (block.minTime < f.minTime) f.minTime = block.minTime;
    if (block.maxTime > f.maxTime) f.maxTime = block.maxTime;
    this.spare.push(block);
    this.written++;
    if (block.endsGroup) {
      await f.writer.endRowGroup();
      this.releaseGroupSlabs();
    }
    if (f.writer.size >= this.options.targetBytes || this.written === this.endAfter) await this.finishFile();
  }

  private async openFile(): Promise<OpenFile> {
    const o = this.options;
    if (this.sequence === 0) {
      await ensureDir(o.dir);
      if (o.append) this.sequence = await lastSequence(o.dir, o.label);
    }
    const sequence = ++this.sequence;
    const path = join(o.dir, temporaryName(o.label, sequence, '.parquet'));
    const handle = await open(path, 'w');
    return { sequence, path, handle, writer: new ParquetFileWriter(handle, this.schema, this.leaves, o.compression, this.compress), minTime: Infinity, maxTime: -Infinity };
  }

  private async finishFile(): Promise<void> {
    const f = this.file;
    // Rows already sent on belong to the next file: its age counts from now.
    this.dataSince = this.inFlight.length > 0 || this.block.rows > 0 ? Date.now() : null;
    if (!f) return;
    this.file = null;
    this.endAfter = -1;
    try {
      await f.writer.finish();
      this.releaseGroupSlabs();
      await f.handle.close();
      const path = join(this.options.dir, fileName(this.options.label, f.minTime, f.maxTime, f.sequence, '.parquet'));
      await rename(f.path, path);
      this.bytesOut += f.writer.size;
      this.closed.push(path);
    } catch (err) {
      await f.handle.close().catch(() => undefined);
      await rm(f.path, { force: true });
      throw err;
    }
  }

  /** Age rotation counts from the first record the open file (or the block in hand) received. */
  private tooOld(): boolean {
    return this.options.maxAgeMs !== undefined && this.dataSince !== null && Date.now() - this.dataSince >= this.options.maxAgeMs;
  }

  /** Ends the open file after the blocks already sent, plus the partial block now. */
  private async endFileSoon(): Promise<void> {
    await this.send();
    // The open file, and so its row group, ends after this block.
    this.groupBlocks = 0;
    this.endAfter = this.sent;
    while (this.inFlight.length > 0) await this.writeNext();
    if (this.file) await this.finishFile();
  }

  advance(): Promise<void> {
    return this.serial(async () => {
      if (this.tooOld()) await this.endFileSoon();
    });
  }

  rotateIfOld(): Promise<void> {
    return this.advance();
  }

  close(): Promise<void> {
    return this.serial(async () => {
      try {
        await this.send();
        while (this.inFlight.length > 0) await this.writeNext();
        await this.finishFile();
      } finally {
        await this.pool.close();
        this.giveBackBuffers();
      }
    });
  }

  /** Once the encoders have stopped: every block and slab, for the run's next sink. */
  private giveBackBuffers(): void {
    for (const b of this.blocks.splice(0)) this.sharedBuffers.give(b.bytes.buffer as SharedArrayBuffer, b.ends.buffer as SharedArrayBuffer, b.actors.buffer as SharedArrayBuffer);
    for (const s of this.slabs.splice(0)) this.sharedBuffers.give(s.bytes);
    this.spare.length = 0;
    this.spareSlabs.length = 0;
  }

  /** Drops what is not written: stops the encoders (pending blocks are rejected) and removes the open file. */
  async abort(): Promise<void> {
    await this.pool.close();
    this.giveBackBuffers();
    await this.queue;
    this.inFlight.splice(0);
    const f = this.file;
    this.file = null;
    if (f) {
      await f.handle.close().catch(() => undefined);
      await rm(f.path, { force: true });
    }
  }
}
