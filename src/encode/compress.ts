/**
 * Block compressors for file output. Each block becomes one gzip member or zstd frame; concatenated members and
 * frames are valid files that every gzip and zstd reader decompresses as one stream. Blocks are compressed by a
 * pool of worker threads (one per generation worker by default), so compression scales with cores and a slow
 * compressor slows generation through the sink's backpressure.
 */
import { UsageError } from '../util/errors.js';
import type { CompressJob, CompressResult } from './compress-worker.js';
import { SharedBufferPool } from './shared-buffers.js';
import { workerScript } from '../util/worker-script.js';
import { ThreadPool } from './thread-pool.js';
import { ZSTD_UNAVAILABLE, zstdCompressSync } from './zstd.js';

export type CompressionKind = 'none' | 'gzip' | 'zstd';

/** A compressed block. */
export interface CompressedBlock {
  readonly bytes: Uint8Array;
  /** Done with `bytes`: their memory takes a later block's output. */
  release(): void;
}

export interface Compressor {
  readonly extension: string;
  /**
   * Compresses bytes [0, length) of `buffer`. The buffer is handed over (another thread reads it) and comes back,
   * for reuse, through `reuse` once compressed. Pass a SharedArrayBuffer you will reuse: it is registered with the
   * threads once and never moves (a transferred buffer is new memory on each side every time, which V8 answers with
   * collections when it is megabytes per block); its block then comes back in a reused shared buffer too.
   */
  compress(buffer: ArrayBuffer | SharedArrayBuffer, length: number, reuse: (buffer: ArrayBuffer | SharedArrayBuffer) => void): Promise<CompressedBlock>;
  close(): Promise<void>;
}

export const DEFAULT_GZIP_LEVEL = 6;
export const DEFAULT_ZSTD_LEVEL = 3;

/** Room for the compressed form of `n` bytes in the worst case (above both zstd's compressBound and deflate's). */
function outputBytes(n: number): number {
  return n + (n >>> 7) + 65536;
}

const NOTHING_TO_RELEASE = () => undefined;

class CompressionPool implements Compressor {
  private readonly pool: ThreadPool<CompressJob, CompressResult>;

  constructor(
    readonly extension: string,
    kind: 'gzip' | 'zstd',
    level: number,
    threads: number,
    /** Output buffers come from here and go back once their block is written. */
    private readonly outputs: SharedBufferPool,
  ) {
    this.pool = new ThreadPool(workerScript(import.meta.url, 'compress-worker'), { kind, level }, threads);
  }

  async compress(buffer: ArrayBuffer | SharedArrayBuffer, length: number, reuse: (buffer: ArrayBuffer | SharedArrayBuffer) => void): Promise<CompressedBlock> {
    if (buffer instanceof SharedArrayBuffer) {
      // Compressed blocks come back in shared buffers too: a transferred one per block is megabytes a second of
      // new external memory on the main thread, which V8 answered with a mark-compact every ~200 ms.
      const output = this.outputs.take(outputBytes(buffer.byteLength));
      // A job that failed (the pool closed or a thread died) may still be running and writing into `output`: it
      // is left to the GC rather than handed back for another block.
      const result = await this.pool.run({ shared: this.pool.share(buffer), length, output: this.pool.share(output) }, []);
      reuse(buffer);
      if (result.transferred) {
        this.outputs.give(output);
        return { bytes: new Uint8Array(result.transferred, 0, result.length), release: NOTHING_TO_RELEASE };
      }
      let released = false;
      return {
        bytes: new Uint8Array(output, 0, result.length),
        release: () => {
          if (released) return;
          released = true;
          this.outputs.give(output);
        },
      };
    }
    const result = await this.pool.run({ input: buffer, length }, [buffer]);
    reuse(result.input!);
    return { bytes: new Uint8Array(result.transferred!, 0, result.length), release: NOTHING_TO_RELEASE };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** `outputs`: where compressed blocks' shared buffers come from (pass the run's pool; default: one of its own). */
export function createCompressor(kind: CompressionKind, level: number | undefined, threads: number, outputs = new SharedBufferPool()): Compressor | null {
  switch (kind) {
    case 'none':
      return null;
    case 'gzip':
      return new CompressionPool('.json.gz', 'gzip', level ?? DEFAULT_GZIP_LEVEL, threads, outputs);
    case 'zstd':
      if (!zstdCompressSync) {
        throw new UsageError(`output.format.compression = "zstd" ${ZSTD_UNAVAILABLE}`);
      }
      return new CompressionPool('.json.zst', 'zstd', level ?? DEFAULT_ZSTD_LEVEL, threads, outputs);
  }
}
