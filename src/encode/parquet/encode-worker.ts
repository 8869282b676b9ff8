/**
 * Parquet encode worker: shreds a block of JSON records into columns and encodes one compressed page per column.
 * The block's buffers go back with the pages, for reuse.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ParquetLayout } from './layout.js';
import { compressor, PageEncoder, type EncodedPage, type ParquetCompression } from './pages.js';
import { Shredder } from './shredder.js';

export interface EncodeSetup {
  layout: ParquetLayout;
  actors: object[];
  compression: ParquetCompression;
  level?: number;
  /** Entries per block in a chunk's dictionary (0: no dictionaries). */
  dictionaryEntries: number;
}

export interface EncodeJob {
  bytes: ArrayBuffer;
  ends: ArrayBuffer;
  actors: ArrayBuffer;
  rows: number;
  /** The block's number within its row group (its dictionary slot). */
  slot: number;
}

export interface EncodeResult extends EncodeJob {
  pages: EncodedPage[];
}

const setup = workerData as EncodeSetup;
const shredder = new Shredder(setup.layout, setup.actors);
const compress = compressor(setup.compression, setup.level);
const encoder = typeof compress === 'string' ? null : new PageEncoder(compress, setup.dictionaryEntries);

parentPort!.on('message', (job: EncodeJob & { id: number }) => {
  try {
    if (!encoder) throw new Error(compress as string);
    const bytes = new Uint8Array(job.bytes);
    const ends = new Int32Array(job.ends);
    const actors = new Int32Array(job.actors);
    shredder.reset();
    let start = 0;
    for (let i = 0; i < job.rows; i++) {
      shredder.add(bytes, start, ends[i], actors[i]);
      start = ends[i];
    }
    const pages = shredder.columns.map((c) => encoder.encode(c, job.slot));
    const transfer: ArrayBuffer[] = [job.bytes, job.ends, job.actors];
    for (const p of pages) {
      transfer.push(p.bytes.buffer as ArrayBuffer);
      if (p.dictionary) transfer.push(p.dictionary.bytes.buffer as ArrayBuffer);
      if (p.plain) transfer.push(p.plain.bytes.buffer as ArrayBuffer);
    }
    parentPort!.postMessage({ id: job.id, bytes: job.bytes, ends: job.ends, actors: job.actors, rows: job.rows, slot: job.slot, pages }, transfer);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
