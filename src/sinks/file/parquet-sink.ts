/**
 * Parquet output, written by our own encoder (src/encode/parquet/). The ordered record stream is cut into blocks
 * of a fixed number of rows; a pool of worker threads shreds each block into columns and encodes one compressed
 * page per column; pages are written in order, a row group every `row_group_rows` rows, and a file ends at the
 * first block that takes it to `target_size_mb`. Block, row-group and file boundaries depend only on the records,
 * so output is byte-identical at any worker count. Files are written under a temporary name and renamed when
 * their footer is written; blocks in flight are bounded (backpressure).
 */
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EncodeJob, EncodeResult, EncodeSetup } from '../../encode/parquet/encode-worker.js';
import { ParquetFileWriter } from '../../encode/parquet/file-writer.js';
import type { ParquetLayout } from '../../encode/parquet/layout.js';
import { compressor, type Compress, type ParquetCompression } from '../../encode/parquet/pages.js';
import { createEncoderPool, type EncoderPool } from '../../encode/parquet/encoder-pool.js';
import type { LeafColumn, SchemaNode } from '../../encode/parquet/schema.js';
import { Shredder } from '../../encode/parquet/shredder.js';
import { UsageError } from '../../config/errors.js';
import type { Actor } from '../../population/actor.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { fileName, temporaryName } from './naming.js';

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
}

/**
 * Rows per block (one page per column) at most. Measured with 1 worker + 2 encoders, 8 s runs: 16,384 rows made
 * 63-71k events/s at ~600 MB peak RSS; 8,192 made 73-83k at ~475 MB with files 3 % larger; 4,096 made 72-81k at
 * ~425 MB with files 7 % larger.
 */
const MAX_BLOCK_ROWS = 8_192;
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
  /** Spare block buffers, returned by the encoders. */
  private readonly spare: Block[] = [];
  /** Encoded blocks, in order, not yet written. */
  private readonly inFlight: Promise<{ result: EncodeResult; block: Block }>[] = [];
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
    this.pool = createEncoderPool(setup, threads);
    // Enough blocks in flight that no encoder waits while the oldest block finishes (blocks are written in order).
    this.maxInFlight = 2 * threads + 1;
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
    return { bytes: new Uint8Array(this.blockRows * 2048), length: 0, ends: new Int32Array(this.blockRows), actors: new Int32Array(this.blockRows), rows: 0, minTime: Infinity, maxTime: -Infinity, endsGroup: false };
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
        const bigger = new Uint8Array(Math.max(b.bytes.length * 2, b.length + runEnd - runStart));
        bigger.set(b.bytes.subarray(0, b.length));
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
      b.bytes.set(batch.bytes.subarray(runStart, runEnd), b.length);
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
    const job: EncodeJob = { bytes: block.bytes.buffer as ArrayBuffer, ends: block.ends.buffer as ArrayBuffer, actors: block.actors.buffer as ArrayBuffer, rows: block.rows, slot: this.groupBlocks++ };
    if (block.endsGroup) this.groupBlocks = 0;
    const encoded = this.pool.run(job, [job.bytes, job.ends, job.actors]).then((result) => ({ result, block }));
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
    let done: { result: EncodeResult; block: Block };
    try {
      done = await next;
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
      throw this.failed;
    }
    const { result, block } = done;
    block.bytes = new Uint8Array(result.bytes);
    block.ends = new Int32Array(result.ends);
    block.actors = new Int32Array(result.actors);
    const f = (this.file ??= await this.openFile());
    f.writer.addPages(result.pages, result.rows);
    if (block.minTime < f.minTime) f.minTime = block.minTime;
    if (block.maxTime > f.maxTime) f.maxTime = block.maxTime;
    this.spare.push(block);
    this.written++;
    if (block.endsGroup) await f.writer.endRowGroup();
    if (f.writer.size >= this.options.targetBytes || this.written === this.endAfter) await this.finishFile();
  }

  private async openFile(): Promise<OpenFile> {
    const o = this.options;
    await mkdir(o.dir, { recursive: true });
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
      }
    });
  }

  /** Drops what is not written: stops the encoders (pending blocks are rejected) and removes the open file. */
  async abort(): Promise<void> {
    await this.pool.close();
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
