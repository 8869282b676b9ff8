/**
 * File output with rotation. Plain JSONL is written straight from the workers' buffers and split at the first
 * record boundary that reaches the target size. Compressed output is cut into blocks at record boundaries (by size,
 * and by simulated time so data never waits longer than flush_interval), compressed in parallel, written in order;
 * files rotate at the first block boundary that reaches the target.
 */
import type { CompressedBlock, Compressor } from '../../encode/compress.js';
import { copyBytes } from '../../encode/copy-bytes.js';
import { SharedBufferPool } from '../../encode/shared-buffers.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { RotatingFile, type ClosedFile } from './rotating-file.js';

export interface FileSinkOptions {
  dir: string;
  label: string;
  compressor: Compressor | null;
  /** The files' extension when not the compressor's or `.jsonl` (text sources: `.log`, `.log.gz`…). */
  extension?: string;
  targetBytes: number;
  /** Rotate files older than this (wall clock). */
  maxAgeMs?: number;
  /** Seal a compression block once its data is this old in simulated time (Infinity: by size only). */
  flushSimMs: number;
  /** Compression blocks in flight at once. */
  parallelism?: number;
  /** Where compression blocks come from and go back to when the sink closes (default: a pool of its own). */
  sharedBuffers?: SharedBufferPool;
  /** Number files after the highest one of `label` already in `dir` (`--append`). */
  append?: boolean;
}

const DONE = Promise.resolve();

/** Room past a block's nominal size, so the record that crosses it still fits without growing the buffer. */
const BLOCK_SLACK = 256 * 1024;

interface PendingBlock {
  data: Promise<CompressedBlock>;
  records: number;
  minTime: number;
  maxTime: number;
}

function timeRange(batch: RecordBatch, from: number, to: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  const t = batch.times;
  for (let i = from; i < to; i++) {
    const v = t[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** First index k in [lo, hi) with ends[k] >= target, or hi. */
function firstEndAtLeast(ends: Uint32Array, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid] >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class FileSink implements RecordSink {
  private readonly file: RotatingFile;
  private readonly blockBytes: number;
  private block: Uint8Array;
  private blockPos = 0;
  private blockRecords = 0;
  private blockMin = Infinity;
  private blockMax = -Infinity;
  private blockFirstSim = Infinity;
  private lastSim = -Infinity;
  private readonly pending: PendingBlock[] = [];
  /** Block buffers back from the compressor, for reuse (shared: see Compressor.compress). */
  private readonly spareBlocks: SharedArrayBuffer[] = [];
  private bytesOut = 0;
  private readonly parallelism: number;
  private readonly sharedBuffers: SharedBufferPool;

  constructor(private readonly options: FileSinkOptions) {
    this.file = new RotatingFile(options.dir, options.label, options.extension ?? options.compressor?.extension ?? '.jsonl', options.append);
    // A compressed block should be ~0.5% of a file or less so files land within 1% of the target size.
    this.blockBytes = Math.max(64 * 1024, Math.min(4 * 1024 * 1024, Math.floor(options.targetBytes * 0.05)));
    this.sharedBuffers = options.sharedBuffers ?? new SharedBufferPool();
    this.block = options.compressor ? new Uint8Array(this.sharedBuffers.take(this.blockBytes + BLOCK_SLACK)) : new Uint8Array(0);
    this.parallelism = options.parallelism ?? 4;
  }

  get closedFiles(): readonly ClosedFile[] {
    return this.file.closed;
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: this.file.closed.length };
  }

  /** Serialises every operation: the engine and the age timer both drive the sink. */
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from) return Promise.resolve();
    return this.serial(() => (this.options.compressor ? this.writeCompressed(batch) : this.writePlain(batch)));
  }

  private async writePlain(batch: RecordBatch): Promise<void> {
    const target = this.options.targetBytes;
    let i = batch.from;
    while (i < batch.to) {
      const start = recordStart(batch, i);
      const k = firstEndAtLeast(batch.ends, start + Math.max(1, target - this.file.size), i, batch.to);
      const last = Math.min(k, batch.to - 1);
      const end = batch.ends[last];
      const [min, max] = timeRange(batch, i, last + 1);
      await this.file.append([batch.bytes.subarray(start, end)], last + 1 - i, min, max);
      this.bytesOut += end - start;
      i = last + 1;
      if (this.file.size >= target || this.tooOld()) await this.file.finish();
    }
  }

  private tooOld(): boolean {
    return this.options.maxAgeMs !== undefined && this.file.age() >= this.options.maxAgeMs;
  }

  private async writeCompressed(batch: RecordBatch): Promise<void> {
    if (this.blockRecords === 0) this.blockFirstSim = this.lastSim;
    for (let i = batch.from; i < batch.to; ) {
      // Copy as many whole records as fit before the block is due.
      const start = recordStart(batch, i);
      const k = firstEndAtLeast(batch.ends, start + Math.max(1, this.blockBytes - this.blockPos), i, batch.to);
      const last = Math.min(k, batch.to - 1);
      const end = batch.ends[last];
      this.appendToBlock(batch.bytes, start, end);
      this.blockRecords += last + 1 - i;
      const [min, max] = timeRange(batch, i, last + 1);
      if (min < this.blockMin) this.blockMin = min;
      if (max > this.blockMax) this.blockMax = max;
      i = last + 1;
      if (this.blockPos >= this.blockBytes) await this.sealBlock();
    }
  }

  private appendToBlock(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.blockPos + length > this.block.length) {
      const grown = new Uint8Array(Math.max(this.block.length * 2, this.blockPos + length));
      grown.set(this.block.subarray(0, this.blockPos));
      this.block = grown;
    }
    copyBytes(this.block, this.blockPos, source, start, end);
    this.blockPos += length;
  }

  private async sealBlock(): Promise<void> {
    if (this.blockRecords === 0) return;
    // The compressor takes this buffer over (another thread reads it) and returns it when done.
    const data = this.options.compressor!.compress(this.block.buffer, this.blockPos, (b) => {
      // Blocks that grew for a large record are not kept.
      if (b instanceof SharedArrayBuffer && b.byteLength === this.blockBytes + BLOCK_SLACK) this.spareBlocks.push(b);
    });
    // Awaited in order by writeOldestBlock; after abort() nothing awaits it, and its rejection must not be unhandled.
    data.catch(() => undefined);
    this.pending.push({ data, records: this.blockRecords, minTime: this.blockMin, maxTime: this.blockMax });
    const spare = this.spareBlocks.pop();
    this.block = new Uint8Array(spare ?? this.sharedBuffers.take(this.blockBytes + BLOCK_SLACK));
    this.blockPos = 0;
    this.blockRecords = 0;
    this.blockMin = Infinity;
    this.blockMax = -Infinity;
    this.blockFirstSim = this.lastSim;
    while (this.pending.length > this.parallelism) await this.writeOldestBlock();
  }

  private async writeOldestBlock(): Promise<void> {
    const head = this.pending.shift()!;
    const block = await head.data;
    try {
      await this.file.append([block.bytes], head.records, head.minTime, head.maxTime);
    } finally {
      block.release();
    }
    this.bytesOut += block.bytes.length;
    if (this.file.size >= this.options.targetBytes || this.tooOld()) await this.file.finish();
  }

  private async drain(): Promise<void> {
    await this.sealBlock();
    while (this.pending.length > 0) await this.writeOldestBlock();
  }

  advance(simMs: number): Promise<void> {
    // Only time-based flushing happens here: without it there is nothing to queue behind the writes (called once per
    // window, hundreds of times a second at full speed). Files that grow old are rotated by `rotateIfOld`.
    if (!Number.isFinite(this.options.flushSimMs)) return DONE;
    return this.serial(() => this.advanceNow(simMs));
  }

  private async advanceNow(simMs: number): Promise<void> {
    this.lastSim = simMs;
    const due = simMs - this.blockFirstSim >= this.options.flushSimMs;
    if (this.options.compressor && this.blockRecords > 0 && due) await this.drain();
  }

  /** Rotates a file that has grown too old while no data arrived (called from a wall-clock timer). */
  rotateIfOld(): Promise<void> {
    return this.serial(async () => {
      if (!this.tooOld()) return;
      if (this.options.compressor) await this.drain();
      await this.file.finish();
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.options.compressor) await this.drain();
      await this.file.finish();
      await this.options.compressor?.close();
      this.giveBackBlocks();
    });
  }

  /** Once no compression thread can read them: the blocks, for the run's next sink. */
  private giveBackBlocks(): void {
    if (this.block.buffer instanceof SharedArrayBuffer) this.sharedBuffers.give(this.block.buffer);
    this.sharedBuffers.give(...this.spareBlocks.splice(0));
    this.block = new Uint8Array(0);
  }

  abort(): Promise<void> {
    this.pending.length = 0;
    return this.serial(async () => {
      await this.file.discard();
      await this.options.compressor?.close();
      // Blocks still with the threads are left to the GC (a failed run ends soon).
      this.giveBackBlocks();
    });
  }
}
