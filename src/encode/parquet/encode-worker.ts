/**
 * Parquet encode worker: shreds a block of JSON records into columns and encodes one compressed page per column.
 * Rows come in, and pages go out, through buffers shared with the sink; messages carry only numbers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ParquetLayout } from './layout.js';
import { ByteWriter } from '../byte-writer.js';
import { compressor, encodeColumns, PageEncoder, toSpans, type PageSpans, type ParquetCompression } from './pages.js';
import { serveJobs } from '../thread-pool.js';
import { Shredder } from './shredder.js';

export interface EncodeSetup {
  layout: ParquetLayout;
  actors: object[];
  compression: ParquetCompression;
  level?: number;
  /** Entries per block in a chunk's dictionary (0: no dictionaries). */
  dictionaryEntries: number;
}

/** A job names its buffers by their `ThreadPool.share` numbers. */
export interface EncodeJob {
  /** The block: its records' bytes, their end offsets and their actors. */
  bytes: number;
  ends: number;
  actors: number;
  /** The slab the pages are written to. */
  slab: number;
  rows: number;
  /** The block's number within its row group (its dictionary slot). */
  slot: number;
}

export interface EncodeResult {
  /** The pages, as spans of the slab, or of `grown` when they did not fit in it. */
  pages: PageSpans[];
  /** A buffer of their own for this block's pages, when the slab was too small. */
  grown?: ArrayBuffer;
  /** Bytes the pages take (with `grown`: how big a slab they needed). */
  used: number;
}

const setup = workerData as EncodeSetup;
const shredder = new Shredder(setup.layout, setup.actors);
const compress = compressor(setup.compression, setup.level);
const encoder = typeof compress === 'string' ? null : new PageEncoder(compress, setup.dictionaryEntries);
const out = new ByteWriter(0);

serveJobs<EncodeJob>((job, shared) => {
  try {
    if (!encoder) throw new Error(compress as string);
    const bytes = new Uint8Array(shared(job.bytes));
    const ends = new Int32Array(shared(job.ends));
    const actors = new Int32Array(shared(job.actors));
    const slab = shared(job.slab);
    shredder.reset();
    let start = 0;
    for (let i = 0; i < job.rows; i++) {
      shredder.add(bytes, start, ends[i], actors[i]);
      start = ends[i];
    }
    out.reset(new Uint8Array(slab));
    const pages = encodeColumns(shredder, encoder, job.slot, out).map(toSpans);
    if (out.buf.buffer === slab) parentPort!.postMessage({ id: job.id, pages, used: out.pos });
    else {
      // Outgrew the slab (growing copied the pages so far): this buffer goes instead; the sink makes the slab bigger.
      const grown = out.buf.buffer as ArrayBuffer;
      parentPort!.postMessage({ id: job.id, pages, grown, used: out.pos }, [grown]);
    }
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
