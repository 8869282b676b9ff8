/**
 * Compression worker thread: compresses blocks synchronously (gzip from node:zlib; zstd from zstd-napi's context
 * API into a reused buffer, else node:zlib's zstd on Node >= 22.15) and hands both buffers back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { reusingZstd, zstdCompressSync } from './zstd.js';

interface Job {
  id: number;
  input: ArrayBuffer;
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

parentPort!.on('message', (job: Job) => {
  const out = compress(new Uint8Array(job.input, 0, job.length));
  // Transfer the output's memory when the output owns all of it; otherwise copy it out (zlib's result is often a
  // view on a larger chunk, and Buffer#slice would share, not copy).
  let output: ArrayBuffer;
  if (!reusing && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) output = out.buffer as ArrayBuffer;
  else {
    const copy = new Uint8Array(out.byteLength);
    copy.set(out);
    output = copy.buffer;
  }
  parentPort!.postMessage({ id: job.id, input: job.input, output }, [job.input, output]);
});
