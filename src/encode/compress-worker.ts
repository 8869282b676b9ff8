/**
 * Compression worker thread: compresses blocks synchronously (gzip from node:zlib; zstd from zstd-napi's context
 * API, else node:zlib's zstd on Node >= 22.15). The result goes into the job's shared output buffer when it fits;
 * otherwise it travels back as a transferred buffer of its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { copyBytes } from './copy-bytes.js';
import { serveJobs } from './thread-pool.js';
import { reusingZstd, zstdCompressSync } from './zstd.js';

/**
 * A job: bytes [0, length) of a transferred buffer (`input`), or of a shared one (its `ThreadPool.share` number),
 * and where the compressed bytes should go (`output`, a shared buffer's number).
 */
export interface CompressJob {
  input?: ArrayBuffer;
  shared?: number;
  length: number;
  output?: number;
}

/** The compressed bytes: the first `length` bytes of the job's output buffer, or `transferred` when they did not fit. */
export interface CompressResult {
  input?: ArrayBuffer;
  length: number;
  transferred?: ArrayBuffer;
}

const { kind, level } = workerData as { kind: 'gzip' | 'zstd'; level: number };
/** zstd straight into the output buffer (or a reused one of its own): no compressBound-sized allocation per block. */
const reusing = kind === 'zstd' ? reusingZstd(level) : null;
const compress: (input: Uint8Array, into?: Uint8Array) => Uint8Array =
  reusing ??
  (kind === 'gzip'
    ? (b: Uint8Array) => zlib.gzipSync(b, { level })
    : (b: Uint8Array) => {
        if (!zstdCompressSync) throw new Error('zstd is not available');
        return zstdCompressSync(b, level);
      });

serveJobs<CompressJob>((job, shared) => {
  const memory = job.input ?? shared(job.shared!);
  const into = job.output !== undefined ? new Uint8Array(shared(job.output)) : undefined;
  const out = compress(new Uint8Array(memory, 0, job.length), into);
  const reply = (result: CompressResult, transfer: ArrayBuffer[]) => {
    if (job.input) transfer.push(job.input);
    parentPort!.postMessage({ id: job.id, ...result }, transfer);
  };
  if (into !== undefined && out.buffer === into.buffer) return reply({ input: job.input, length: out.length }, []);
  if (into !== undefined && out.length <= into.length) {
    copyBytes(into, 0, out, 0, out.length);
    return reply({ input: job.input, length: out.length }, []);
  }
  // Transfer the output's memory when the output owns all of it; otherwise copy it out (zlib's result is often a
  // view on a larger chunk, and Buffer#slice would share, not copy).
  let transferred: ArrayBuffer;
  if (!reusing && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) transferred = out.buffer as ArrayBuffer;
  else {
    const copy = new Uint8Array(out.byteLength);
    copy.set(out);
    transferred = copy.buffer;
  }
  reply({ input: job.input, length: out.length, transferred }, [transferred]);
});
