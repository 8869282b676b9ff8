/**
 * Block compressors for file output. Each block becomes one gzip member or zstd frame; concatenated members and
 * frames are valid files that every gzip and zstd reader decompresses as one stream. Blocks are compressed by a
 * pool of worker threads (one per generation worker by default), so compression scales with cores and a slow
 * compressor slows generation through the sink's backpressure.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../config/errors.js';
import { zstdCompressSync } from './zstd.js';

export type CompressionKind = 'none' | 'gzip' | 'zstd';

export interface Compressor {
  readonly extension: string;
  /**
   * Compresses bytes [0, length) of `buffer`. The buffer is handed over (another thread reads it) and comes back,
   * for reuse, through `reuse` once compressed.
   */
  compress(buffer: ArrayBuffer, length: number, reuse: (buffer: ArrayBuffer) => void): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const DEFAULT_GZIP_LEVEL = 6;
export const DEFAULT_ZSTD_LEVEL = 3;

function workerScript(): string {
  const here = fileURLToPath(new URL('./compress-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(import.meta.url).replace(/[\\/]src[\\/]encode[\\/]compress\.ts$/, '/dist/src/encode/compress-worker.js');
}

class CompressionPool implements Compressor {
  private readonly workers: Worker[] = [];
  private readonly inFlight: number[] = [];
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void; worker: number; reuse: (b: ArrayBuffer) => void }>();
  private nextId = 0;

  constructor(
    readonly extension: string,
    kind: 'gzip' | 'zstd',
    level: number,
    threads: number,
  ) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerScript(), { workerData: { kind, level } });
      worker.on('message', (msg: { id: number; input: ArrayBuffer; output: ArrayBuffer }) => {
        const job = this.pending.get(msg.id)!;
        this.pending.delete(msg.id);
        this.inFlight[job.worker]--;
        job.reuse(msg.input);
        job.resolve(new Uint8Array(msg.output));
      });
      worker.on('error', (err) => {
        for (const job of this.pending.values()) job.reject(err);
        this.pending.clear();
      });
      worker.unref();
      this.workers.push(worker);
      this.inFlight.push(0);
    }
  }

  compress(buffer: ArrayBuffer, length: number, reuse: (buffer: ArrayBuffer) => void): Promise<Uint8Array> {
    // The least busy worker (ties: lowest index): output bytes do not depend on which worker compressed.
    let worker = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.inFlight[i] < this.inFlight[worker]) worker = i;
    const id = this.nextId++;
    this.inFlight[worker]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker, reuse });
      this.workers[worker].postMessage({ id, input: buffer, length }, [buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
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
        throw new UsageError('output.format.compression = "zstd" needs Node.js >= 22.15 or the zstd-napi package (an optional dependency: reinstall with build tools present)');
      }
      return new CompressionPool('.json.zst', 'zstd', level ?? DEFAULT_ZSTD_LEVEL, threads);
  }
}
