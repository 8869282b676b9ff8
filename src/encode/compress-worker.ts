/**
 * Compression worker thread: compresses blocks synchronously (gzip from node:zlib; zstd from zstd-napi's context
 * API into a reused buffer, else node:zlib's zstd on Node >= 22.15) and hands both buffers back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { serveJobs } from './thread-pool.js';
import { reusingZstd, zstdCompressSync } from './zstd.js';

/** A job: bytes [0, length) of a transferred buffer (`input`), or of a shared one (its `ThreadPool.share` number). */
export interface CompressJob {
  input?: ArrayBuffer;
  shared?: number;
  length: number;
}

const { kind, level } = workerData as { kind: 'gzip' | 'zstd'; level: number };
/** zstd into one reused buffer (no compressBound-sized allocation per block); its result is always copied out. */
const reusing = kind === 'zstd' ? reusingZstd(level) : null;
const compress =
  reusing ??
  (kind === 'gzip'
    ? (b: Uint8Array) => zlib.gzipSync(b, { level })
    : (b: Uint8Array) => {
        if (!zstdCompressSync) throw new Error('zstd is not available');
        return zstdCompressSync(b, level);
      });

serveJobs<CompressJob>((job, shared) => {
  const input = new Uint8Array(job.input ?? shared(job.shared!), 0, job.length);
  const out = compress(input);
  // Transfer the output's memory when the output owns all of it; otherwise copy it out (zlib's result is often a
  // view on a larger chunk, and Buffer#slice would share, not copy).
  let output: ArrayBuffer;
  if (!reusing && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) output = out.buffer as ArrayBuffer;
  else {
    const copy = new Uint8Array(out.byteLength);
    copy.set(out);
    output = copy.buffer;
  }
  parentPort!.postMessage({ id: job.id, input: job.input, output }, job.input ? [job.input, output] : [output]);
});
