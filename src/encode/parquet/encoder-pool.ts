/** The pool of Parquet encode threads (encode-worker.ts): blocks of JSON records in, one page per column out. */
import { workerScript } from '../../util/worker-script.js';
import { ThreadPool } from '../thread-pool.js';
import type { EncodeJob, EncodeResult, EncodeSetup } from './encode-worker.js';

export type EncoderPool = ThreadPool<EncodeJob, EncodeResult>;

export function createEncoderPool(setup: EncodeSetup, threads: number): EncoderPool {
  return new ThreadPool(workerScript(import.meta.url, 'encode-worker'), setup, threads);
}
