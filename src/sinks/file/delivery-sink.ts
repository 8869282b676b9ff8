/**
 * A source's own delivery files (`format.type = "delivery"`): what the vendor writes to its bucket, so tools that read
 * that bucket read these unchanged. The layout is the source's (`SourcePlugin.delivery`, data): records are grouped by
 * the values of some of their fields and by a fixed interval of event time, each group written, once simulated time
 * has passed its end, as one compressed file holding the records between a head and a tail, at the path the layout
 * names. At the end of a run all remaining groups are written.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Compressor } from '../../encode/compress.js';
import type { DeliveryLayout } from '../../sources/source.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { fnv1a, FNV_OFFSET_BASIS } from '../../util/hash.js';
import { ensureDir, temporaryPathFor } from '../../util/files.js';
import { stringAfter } from '../record-field.js';

export interface DeliveryOptions {
  dir: string;
  layout: DeliveryLayout;
  /** Null: the layout's files are not compressed. */
  compressor: Compressor | null;
  /** Largest file (uncompressed bytes of records): a busy group is split over several files, as vendors do. */
  maxFileBytes: number;
  /** Seeds the unique part of file names (deterministic per run). */
  seed: string;
}

interface Group {
  values: string[];
  bucket: number;
  chunks: Uint8Array[];
  bytes: number;
  records: number;
  files: number;
}

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';


/** `length` letters and digits that look random, from a hash of the file's identity. */
function uniquePart(text: string, length: number): string {
  let h1 = FNV_OFFSET_BASIS;
  let h2 = 0x01000193;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    h1 = fnv1a(text, h1);
    for (let i = 0; i < text.length; i++) h2 = Math.imul(h2 ^ (text.charCodeAt(i) + round), 0x5bd1e995);
    let v = (h1 ^ (h2 >>> 7)) >>> 0;
    for (let k = 0; k < 5 && out.length < length; k++) {
      out += ALPHANUM[v % 62];
      v = Math.floor(v / 62);
    }
  }
  return out;
}

export class DeliverySink implements RecordSink {
  readonly groupsByTime = true;
  private readonly groups = new Map<string, Group>();
  private bytesOut = 0;
  private files = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly keys: Uint8Array[];
  private readonly head: Uint8Array;
  private readonly tail: Uint8Array;
  private readonly separator: Uint8Array;

  constructor(private readonly options: DeliveryOptions) {
    const encoder = new TextEncoder();
    this.keys = options.layout.groupBy.map((field) => encoder.encode(`"${field}":"`));
    this.head = encoder.encode(options.layout.head);
    this.tail = encoder.encode(options.layout.tail);
    this.separator = encoder.encode(options.layout.separator ?? ',');
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: this.files };
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  write(batch: RecordBatch): Promise<void> {
    return this.serial(async () => {
      const full: Group[] = [];
      for (let i = batch.from; i < batch.to; i++) {
        const start = recordStart(batch, i);
        const end = batch.ends[i] - 1; // without the newline
        const values = this.keys.map((k) => stringAfter(batch.bytes, start, end, k, 'unknown'));
        const bucket = Math.floor(batch.times[i] / this.options.layout.intervalMs);
        const key = `${values.join('|')}|${bucket}`;
        let g = this.groups.get(key);
        if (!g) this.groups.set(key, (g = { values, bucket, chunks: [], bytes: 0, records: 0, files: 0 }));
        g.chunks.push(batch.bytes.slice(start, end));
        g.bytes += end - start + 1;
        g.records++;
        if (g.bytes >= this.options.maxFileBytes && !this.options.layout.oneFilePerGroup) full.push(g);
      }
      for (const g of full) await this.deliver(g);
    });
  }

  /** Writes a group's records as one delivery file and empties it. */
  private async deliver(g: Group): Promise<void> {
    if (g.records === 0) return;
    const { head, tail, separator } = this;
    // g.bytes counts one byte (the newline) per record beyond its chunk: room for a separator of one byte.
    const body = new Uint8Array(head.length + g.bytes - 1 + (g.records - 1) * (separator.length - 1) + tail.length);
    body.set(head, 0);
    let pos = head.length;
    g.chunks.forEach((chunk, i) => {
      if (i > 0) {
        body.set(separator, pos);
        pos += separator.length;
      }
      body.set(chunk, pos);
      pos += chunk.length;
    });
    body.set(tail, pos);
    pos += tail.length;
    const layout = this.options.layout;
    const delivered = (g.bucket + 1) * layout.intervalMs;
    const unique = uniquePart(`${this.options.seed}/${g.values.join('/')}/${g.bucket}/${g.files}`, layout.uniqueLength);
    const path = join(this.options.dir, layout.path(g.values, delivered, unique));
    const compressed = this.options.compressor ? await this.options.compressor.compress(body.buffer, pos, () => undefined) : { bytes: body.subarray(0, pos), release: () => undefined };
    await ensureDir(dirname(path));
    const tmp = temporaryPathFor(path);
    try {
      await writeFile(tmp, compressed.bytes);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      compressed.release();
    }
    this.bytesOut += compressed.bytes.length;
    this.files++;
    g.files++;
    g.chunks = [];
    g.bytes = 0;
    g.records = 0;
  }

  /** Writes the groups whose interval has fully passed, in a fixed order. */
  private async deliverUntil(simMs: number): Promise<void> {
    const due = [...this.groups.entries()].filter(([, g]) => (g.bucket + 1) * this.options.layout.intervalMs <= simMs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, g] of due) {
      await this.deliver(g);
      this.groups.delete(key);
    }
  }

  advance(simMs: number): Promise<void> {
    return this.serial(() => this.deliverUntil(simMs));
  }

  close(): Promise<void> {
    return this.serial(async () => {
      await this.deliverUntil(Infinity);
      await this.options.compressor?.close();
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      this.groups.clear();
      await this.options.compressor?.close();
    });
  }
}
