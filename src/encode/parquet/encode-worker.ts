/**
 * Parquet encode worker: shreds a block of JSON records into columns and encodes one compressed page per column.
 * Rows come in, and pages go out, through buffers shared with the sink; messages carry only numbers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ParquetLayout } from './layout.js';
import { ByteWriter } from '../byte-writer.js';
import { compressor, encodeColumns, PageEncoder, toSpans, type PageSpans, type ParquetCompression } from './pages.js';
import { Shredder } from './shredder.js';

export interface EncodeSetup {
  layout: ParquetLayout;
  actors: object[];
  compression: ParquetCompression;
  level?: number;
  /** Entries per block in a chunk's dictionary (0: no dictionaries). */
  dictionaryEntries: number;
}

/**
 * Buffers shared with the sink (SharedArrayBuffer), registered once (and again when one grows) so jobs do not carry
 * them: a block's rows, or an output slab its pages are written to. Transferring new buffers with every job made
 * each thread take in 16 MB of new ArrayBuffers per block and drop the pages' after each row group, which V8 counts
 * as external memory and answers with garbage collections (and RSS held until they run).
 */
export type SharedBuffers =
  | { kind: 'block'; block: number; bytes: SharedArrayBuffer; ends: SharedArrayBuffer; actors: SharedArrayBuffer }
  | { kind: 'slab'; slab: number; bytes: SharedArrayBuffer };

export interface EncodeJob {
  /** The registered block holding the rows. */
  block: number;
  /** The registered slab the pages are written to. */
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
const blocks = new Map<number, { bytes: Uint8Array; ends: Int32Array; actors: Int32Array }>();
const slabs = new Map<number, Uint8Array>();
const out = new ByteWriter(0);

parentPort!.on('message', (message: (EncodeJob & { id: number }) | SharedBuffers) => {
  if ('kind' in message) {
    if (message.kind === 'block') blocks.set(message.block, { bytes: new Uint8Array(message.bytes), ends: new Int32Array(message.ends), actors: new Int32Array(message.actors) });
    else slabs.set(message.slab, new Uint8Array(message.bytes));
    return;
  }
  const job = message;
  try {
    if (!encoder) throw new Error(compress as string);
    const block = blocks.get(job.block);
    const slab = slabs.get(job.slab);
    if (!block || !slab) throw new Error(`block ${job.block} or slab ${job.slab} was never registered`);
    const { bytes, ends, actors } = block;
    shredder.reset();
    let start = 0;
    for (let i = 0; i < job.rows; i++) {
      shredder.add(bytes, start, ends[i], actors[i]);
      start = ends[i];
    }
    out.reset(slab);
    const pages = encodeColumns(shredder, encoder, job.slot, out).map(toSpans);
    if (out.buf === slab) parentPort!.postMessage({ id: job.id, pages, used: out.pos });
    else {
      // Outgrew the slab (growing copied the pages so far): this buffer goes instead; the sink makes the slab bigger.
      const grown = out.buf.buffer as ArrayBuffer;
      parentPort!.postMessage({ id: job.id, pages, grown, used: out.pos }, [grown]);
    }
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
