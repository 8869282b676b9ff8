/**
 * CloudTrail's own delivery files: what a trail writes to S3, so tools that read CloudTrail from S3 (Databricks Auto
 * Loader, Splunk's AWS add-on, Elastic's aws-s3 input, Athena) read them unchanged. Records are grouped per account,
 * region and 5 minutes of event time into gzip files holding `{"Records":[…]}`, at
 * `AWSLogs/<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`.
 * A group is written once simulated time has passed its end (every record of it has arrived); at the end of a run,
 * all remaining groups are written.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compactStamp } from '../../encode/time-format.js';
import type { Compressor } from '../../encode/compress.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { fnv1a, FNV_OFFSET_BASIS } from '../../util/hash.js';
import { ensureDir, temporaryPathFor } from '../../util/files.js';

/** The folder delivery files go under, as in a trail's S3 bucket. */
export const DELIVERY_ROOT = 'AWSLogs';

const DELIVERY_NAME = /^\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;

/** A name this sink writes. */
export function isDeliveryFileName(name: string): boolean {
  return DELIVERY_NAME.test(name);
}

/** How often a trail delivers: files cover this much event time. */
export const DELIVERY_INTERVAL_MS = 5 * 60_000;

export interface CloudTrailDeliveryOptions {
  dir: string;
  compressor: Compressor;
  /** Largest file (uncompressed bytes of records): a busy group is split over several files, as CloudTrail does. */
  maxFileBytes: number;
  /** Seeds the 16-character unique part of file names (deterministic per run). */
  seed: string;
}

interface Group {
  account: string;
  region: string;
  bucket: number;
  chunks: Uint8Array[];
  bytes: number;
  records: number;
  files: number;
}

const AWS_REGION = new TextEncoder().encode('"awsRegion":"');
const ACCOUNT = new TextEncoder().encode('"recipientAccountId":"');
const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The string value after `key` in a record (`"key":"value"`), found by a byte search. */
function valueAfter(bytes: Uint8Array, from: number, to: number, key: Uint8Array): string {
  outer: for (let i = from; i + key.length < to; i++) {
    for (let j = 0; j < key.length; j++) if (bytes[i + j] !== key[j]) continue outer;
    const start = i + key.length;
    let end = start;
    while (end < to && bytes[end] !== 34) end++;
    return String.fromCharCode(...bytes.subarray(start, end));
  }
  return 'unknown';
}

/** 16 characters that look like CloudTrail's random suffix, from a hash of the file's identity. */
function uniquePart(text: string): string {
  let h1 = FNV_OFFSET_BASIS;
  let h2 = 0x01000193;
  let out = '';
  for (let round = 0; out.length < 16; round++) {
    h1 = fnv1a(text, h1);
    for (let i = 0; i < text.length; i++) h2 = Math.imul(h2 ^ (text.charCodeAt(i) + round), 0x5bd1e995);
    let v = (h1 ^ (h2 >>> 7)) >>> 0;
    for (let k = 0; k < 5 && out.length < 16; k++) {
      out += ALPHANUM[v % 62];
      v = Math.floor(v / 62);
    }
  }
  return out;
}

export class CloudTrailDeliverySink implements RecordSink {
  readonly groupsByTime = true;
  private readonly groups = new Map<string, Group>();
  private bytesOut = 0;
  private files = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CloudTrailDeliveryOptions) {}

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
        const region = valueAfter(batch.bytes, start, end, AWS_REGION);
        const account = valueAfter(batch.bytes, start, end, ACCOUNT);
        const bucket = Math.floor(batch.times[i] / DELIVERY_INTERVAL_MS);
        const key = `${account}|${region}|${bucket}`;
        let g = this.groups.get(key);
        if (!g) this.groups.set(key, (g = { account, region, bucket, chunks: [], bytes: 0, records: 0, files: 0 }));
        g.chunks.push(batch.bytes.slice(start, end));
        g.bytes += end - start + 1;
        g.records++;
        if (g.bytes >= this.options.maxFileBytes) full.push(g);
      }
      for (const g of full) await this.deliver(g);
    });
  }

  /** Writes a group's records as one delivery file and empties it. */
  private async deliver(g: Group): Promise<void> {
    if (g.records === 0) return;
    const encoder = new TextEncoder();
    const head = encoder.encode('{"Records":[');
    const tail = encoder.encode(']}');
    const body = new Uint8Array(head.length + g.bytes - 1 + tail.length);
    body.set(head, 0);
    let pos = head.length;
    g.chunks.forEach((chunk, i) => {
      if (i > 0) body[pos++] = 44;
      body.set(chunk, pos);
      pos += chunk.length;
    });
    body.set(tail, pos);
    pos += tail.length;
    const delivered = (g.bucket + 1) * DELIVERY_INTERVAL_MS;
    const stamp = compactStamp(delivered).slice(0, 13) + 'Z'; // YYYYMMDDTHHmmZ
    const day = stamp.slice(0, 8);
    const name = `${g.account}_CloudTrail_${g.region}_${stamp}_${uniquePart(`${this.options.seed}/${g.account}/${g.region}/${g.bucket}/${g.files}`)}.json.gz`;
    const path = join(this.options.dir, DELIVERY_ROOT, g.account, 'CloudTrail', g.region, day.slice(0, 4), day.slice(4, 6), day.slice(6, 8), name);
    const compressed = await this.options.compressor.compress(body.buffer, pos, () => undefined);
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

  /** Writes the groups whose 5 minutes have fully passed, in a fixed order. */
  private async deliverUntil(simMs: number): Promise<void> {
    const due = [...this.groups.entries()].filter(([, g]) => (g.bucket + 1) * DELIVERY_INTERVAL_MS <= simMs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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
      await this.options.compressor.close();
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      this.groups.clear();
      await this.options.compressor.close();
    });
  }
}
