/**
 * Compression worker thread: compresses blocks synchronously (gzip from node:zlib; zstd from node:zlib on
 * Node >= 22.15, else zstd-napi) and hands both buffers back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { zstdCompressSync } from './zstd.js';

interface Job {
  id: number;
  input: ArrayBuffer;
  length: number;
}

const { kind, level } = workerData as { kind: 'gzip' | 'zstd'; level: number };
const compress =
  kind === 'gzip'
    ? (b: Uint8Array) => zlib.gzipSync(b, { level })
    : (b: Uint8Array) => {
        if (!zstdCompressSync) throw new Error('zstd is not available');
        return zstdCompressSync(b, level);
      };

parentPort!.on('message', (job: Job) => {
  const out = compress(new Uint8Array(job.input, 0, job.length));
  // A fresh ArrayBuffer holding exactly the output (zlib's Buffer may sit in a shared pool).
  const result = new Uint8Array(out.length);
  result.set(out);
  parentPort!.postMessage({ id: job.id, input: job.input, output: result.buffer }, [job.input, result.buffer]);
});
