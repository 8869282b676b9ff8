/**
 * Block compressors for file output. Each block becomes one gzip member or zstd frame; concatenated members and
 * frames are valid files that every gzip and zstd reader decompresses as one stream. Blocks are compressed by a
 * pool of worker threads (one per generation worker by default), so compression scales with cores and a slow
 * compressor slows generation through the sink's backpressure.
 */
import { UsageError } from '../config/errors.js';
import type { CompressJob } from './compress-worker.js';
import { ThreadPool, workerScript } from './thread-pool.js';
import { ZSTD_UNAVAILABLE, zstdCompressSync } from './zstd.js';

export type CompressionKind = 'none' | 'gzip' | 'zstd';

export interface Compressor {
  readonly extension: string;
  /**
   * Compresses bytes [0, length) of `buffer`. The buffer is handed over (another thread reads it) and comes back,
   * for reuse, through `reuse` once compressed. Pass a SharedArrayBuffer you will reuse: it is registered with the
   * threads once and never moves (a transferred buffer is new memory on each side every time, which V8 answers with
   * collections when it is megabytes per block).
   */
  compress(buffer: ArrayBuffer | SharedArrayBuffer, length: number, reuse: (buffer: ArrayBuffer | SharedArrayBuffer) => void): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const DEFAULT_GZIP_LEVEL = 6;
export const DEFAULT_ZSTD_LEVEL = 3;

class CompressionPool implements Compressor {
  private readonly pool: ThreadPool<CompressJob, { input?: ArrayBuffer; output: ArrayBuffer }>;

  constructor(
    readonly extension: string,
    kind: 'gzip' | 'zstd',
    level: number,
    threads: number,
  ) {
    this.pool = new ThreadPool(workerScript(import.meta.url, 'compress-worker'), { kind, level }, threads);
  }

  async compress(buffer: ArrayBuffer | SharedArrayBuffer, length: number, reuse: (buffer: ArrayBuffer | SharedArrayBuffer) => void): Promise<Uint8Array> {
    if (buffer instanceof SharedArrayBuffer) {
      const { output } = await this.pool.run({ shared: this.pool.share(buffer), length }, []);
      reuse(buffer);
      return new Uint8Array(output);
    }
    const { input, output } = await this.pool.run({ input: buffer, length }, [buffer]);
    reuse(input!);
    return new Uint8Array(output);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export function createCompressor(kind: CompressionKind, level: number | undefined, threads: number): Compressor | null {
  switch (kind) {
    case 'none':
      return null;
    case 'gzip':
      return new CompressionPool('.json.gz', 'gzip', level ?? DEFAULT_GZIP_LEVEL, threads);
    case 'zstd':
      if (!zstdCompressSync) {
        throw new UsageError(`output.format.compression = "zstd" ${ZSTD_UNAVAILABLE}`);
      }
      return new CompressionPool('.json.zst', 'zstd', level ?? DEFAULT_ZSTD_LEVEL, threads);
  }
}
