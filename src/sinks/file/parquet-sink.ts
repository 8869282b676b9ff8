/**
 * Parquet output. Records are staged as JSONL in a hidden temporary file (each line tagged with its actor's index);
 * when the staged data would make a Parquet file of about target_size_mb, DuckDB converts the staging file with an
 * explicit schema (no inference) into Parquet, under a temporary name renamed when complete. One conversion runs
 * while the next file stages; a second waits (backpressure). Rows keep the output order.
 */
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ByteWriter } from '../../encode/byte-writer.js';
import { columnsLiteral, duckdb, sqlString } from '../../encode/parquet/duckdb.js';
import type { Actor } from '../../population/actor.js';
import type { ParquetLayout } from '../../sources/source.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';
import { fileName, temporaryName } from './naming.js';

export interface ParquetSinkOptions {
  dir: string;
  label: string;
  layout: ParquetLayout;
  actors: readonly Actor[];
  targetBytes: number;
  compression: 'zstd' | 'snappy' | 'none';
  rowGroupRows: number;
  /** Rotate files older than this (wall clock). */
  maxAgeMs?: number;
}

/** Staging lines are written in chunks of about this size. */
const STAGING_CHUNK = 1 << 20;

/** JSONL bytes per Parquet byte assumed until real files have been written (CloudTrail with zstd: ~14). */
const INITIAL_RATIO: Readonly<Record<ParquetSinkOptions['compression'], number>> = { zstd: 12, snappy: 7, none: 3 };

interface Staging {
  sequence: number;
  path: string;
  handle: FileHandle;
  bytes: number;
  records: number;
  minTime: number;
  maxTime: number;
  openedAt: number;
  /** Staged bytes at which this file is converted (decided when it opens, from files already written). */
  threshold: number;
}

export class ParquetSink implements RecordSink {
  private staging: Staging | null = null;
  private conversion: Promise<void> | null = null;
  private sequence = 0;
  private bytesOut = 0;
  private readonly closed: string[] = [];
  /** JSONL/Parquet size ratio of each written file, by sequence number. */
  private readonly ratios = new Map<number, number>();
  private readonly line = new ByteWriter(STAGING_CHUNK + 65536);
  private connection: Promise<DuckDBConnection> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ParquetSinkOptions) {}

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: this.closed.length };
  }

  get closedFiles(): readonly string[] {
    return this.closed;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One DuckDB connection per sink, holding the actor list the rows draw their id and geo from. */
  private db(): Promise<DuckDBConnection> {
    this.connection ??= (async () => {
      const conn = await duckdb();
      await conn.run("SET preserve_insertion_order = true");
      // DuckDB spills to disk beyond this. Converting the sink's SELECT (order kept) ran 92k rows/s alone at 512 MB
      // and 115k at 1 GB (bench/dev/parquet-cost.ts); in whole runs 39-41k → 69-75k events/s, with the same peak
      // RSS (1.1-1.5 GB either way: the staged file's pages, not DuckDB's limit, dominate).
      await conn.run("SET memory_limit = '1GB'");
      const path = join(this.options.dir, `.${this.options.label}-actors.jsonl.tmp`);
      await mkdir(this.options.dir, { recursive: true });
      const out = createWriteStream(path);
      this.options.actors.forEach((a, i) => {
        out.write(
          `${JSON.stringify({ i, id: a.id, geo: { country: a.country, city: a.city, latitude: a.latitude, longitude: a.longitude, asn: a.asn, isp: a.isp } })}\n`,
        );
      });
      out.end();
      await finished(out);
      const columns = columnsLiteral([['i', 'BIGINT'], ...this.options.layout.actorColumns]);
      const fields = this.options.layout.actorColumns.map(([name]) => `'${name}': ${name}`).join(', ');
      await conn.run(`SET VARIABLE seclog_actors = (SELECT list({${fields}} ORDER BY i) FROM read_json(${sqlString(path)}, format = 'newline_delimited', columns = ${columns}))`);
      await rm(path, { force: true });
      return conn;
    })();
    return this.connection;
  }

  write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from) return Promise.resolve();
    return this.serial(() => this.stage(batch));
  }

  private threshold(sequence: number): number {
    // Files k-1 (being converted) may not be done yet; k-2 always is: boundaries never depend on timing.
    const known = this.ratios.get(sequence - 2);
    return this.options.targetBytes * (known ?? INITIAL_RATIO[this.options.compression]);
  }

  private async openStaging(): Promise<Staging> {
    await mkdir(this.options.dir, { recursive: true });
    const sequence = ++this.sequence;
    const path = join(this.options.dir, temporaryName(this.options.label, sequence, '.staging.jsonl'));
    return { sequence, path, handle: await open(path, 'w'), bytes: 0, records: 0, minTime: Infinity, maxTime: -Infinity, openedAt: Date.now(), threshold: this.threshold(sequence) };
  }

  private async stage(batch: RecordBatch): Promise<void> {
    let i = batch.from;
    while (i < batch.to) {
      this.staging ??= await this.openStaging();
      const s = this.staging;
      // Each line gets the actor's index as a leading `_a` field: `{"_a":12,` + the record minus its `{`.
      const w = this.line;
      w.pos = 0;
      while (i < batch.to && s.bytes + w.pos < s.threshold && w.pos < STAGING_CHUNK) {
        const start = recordStart(batch, i);
        w.ascii('{"_a":');
        w.uint(batch.actors[i]);
        w.byte(44);
        w.bytes(batch.bytes.subarray(start + 1, batch.ends[i]));
        const t = batch.times[i];
        if (t < s.minTime) s.minTime = t;
        if (t > s.maxTime) s.maxTime = t;
        s.records++;
        i++;
      }
      await s.handle.write(w.buf, 0, w.pos);
      s.bytes += w.pos;
      if (s.bytes >= s.threshold || this.tooOld(s)) await this.rotate();
    }
  }

  private tooOld(s: Staging): boolean {
    return this.options.maxAgeMs !== undefined && Date.now() - s.openedAt >= this.options.maxAgeMs;
  }

  /** Closes the staging file and converts it; waits for the previous conversion first (one at a time). */
  private async rotate(): Promise<void> {
    const s = this.staging;
    if (!s) return;
    this.staging = null;
    await s.handle.close();
    if (s.records === 0) {
      await rm(s.path, { force: true });
      return;
    }
    await this.conversion;
    this.conversion = this.convert(s);
    // Surface conversion errors on the next operation rather than as unhandled rejections.
    this.conversion.catch(() => undefined);
  }

  private async convert(s: Staging): Promise<void> {
    const o = this.options;
    const conn = await this.db();
    const tmp = join(o.dir, temporaryName(o.label, s.sequence, '.parquet'));
    const columns = columnsLiteral([['_a', 'BIGINT'], ...o.layout.columns]);
    const source = `read_json(${sqlString(s.path)}, format = 'newline_delimited', columns = ${columns})`;
    const compression = o.compression === 'none' ? 'uncompressed' : o.compression;
    try {
      await conn.run(`COPY (${o.layout.select(source, "getvariable('seclog_actors')")}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE ${o.rowGroupRows})`);
      const size = (await stat(tmp)).size;
      const path = join(o.dir, fileName(o.label, s.minTime, s.maxTime, s.sequence, '.parquet'));
      await rename(tmp, path);
      this.ratios.set(s.sequence, s.bytes / size);
      this.bytesOut += size;
      this.closed.push(path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      await rm(s.path, { force: true });
    }
  }

  advance(): Promise<void> {
    return this.serial(async () => {
      if (this.staging && this.tooOld(this.staging)) await this.rotate();
    });
  }

  rotateIfOld(): Promise<void> {
    return this.advance();
  }

  close(): Promise<void> {
    return this.serial(async () => {
      await this.rotate();
      await this.conversion;
      this.connection?.then((c) => c.closeSync()).catch(() => undefined);
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      const s = this.staging;
      this.staging = null;
      if (s) {
        await s.handle.close().catch(() => undefined);
        await rm(s.path, { force: true });
      }
      await this.conversion?.catch(() => undefined);
    });
  }
}
