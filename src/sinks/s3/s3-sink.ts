/**
 * Writes files exactly as the file output does (same formats, rotation and atomic completion) into a local staging
 * directory, and uploads each completed file with a multipart upload, then deletes it. With Hive partitioning,
 * records are routed by event hour to one staging writer per hour, so a file never spans two partitions; an hour's
 * writer is closed once the simulated clock has passed the hour (every earlier record has arrived by then).
 */
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Delivery, PermanentError, onceUntilFailure } from '../delivery.js';
import { createFileSink } from '../file/index.js';
import type { SinkContext } from '../plugin.js';
import { ensureDir } from '../../util/files.js';
import { STAGING_PREFIX, stagingBase } from './staging.js';
import type { RecordBatch, RecordSink, SinkStats } from '../sink.js';
import type { S3OutputConfig } from './config.js';

const HOUR_MS = 3_600_000;
/** How often (at most) the staging directory is scanned for completed files while writing. */
const SCAN_INTERVAL_MS = 250;

interface StagedFile {
  path: string;
  key: string;
  bytes: number;
}

export function hivePartition(source: string, hourStartMs: number): string {
  const iso = new Date(hourStartMs).toISOString();
  return `source=${source}/date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

export class S3Sink implements RecordSink {
  private readonly client: S3Client;
  private readonly delivery: Delivery<StagedFile>;
  private readonly prefix: string;
  private readonly byHour: boolean;
  private readonly partitions = new Map<number, RecordSink>();
  /** Staging directories of closed hours that still hold files to upload. */
  private readonly closedDirs = new Set<string>();
  private single: RecordSink | null = null;
  private staging: string | null = null;
  private lastScan = 0;
  private scanning: Promise<void> = Promise.resolve();
  /** Staged files already queued for upload: one entry per file of the run. */
  private readonly queued = new Set<string>();
  private readonly bucketReady = onceUntilFailure(() => this.createBucket());
  private bytesOut = 0;
  private files = 0;
  /** Hourly partitions close on advance(): every record before that time must have been written. */
  readonly groupsByTime: boolean;

  constructor(
    private readonly config: S3OutputConfig,
    private readonly ctx: SinkContext,
    name: string,
    private readonly key: string,
  ) {
    this.prefix = config.prefix === '' || config.prefix.endsWith('/') ? config.prefix : `${config.prefix}/`;
    this.byHour = config.partitioning === 'hive' && config.format.type !== 'delivery';
    this.groupsByTime = this.byHour || config.format.type === 'delivery';
    // The SDK warns on Node 20 that versions after January 2027 will need Node 22; seclog pins its SDK version.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      region: config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      endpoint: config.endpoint,
      forcePathStyle: config.force_path_style ?? config.endpoint !== undefined,
      profile: config.profile,
      // Uploads are retried whole by Delivery; the SDK's own retries stay few. Timeouts, so a server that accepts
      // a connection and then stalls fails the attempt instead of hanging the run.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    });
    this.delivery = new Delivery((file) => this.upload(file), {
      name,
      maxInFlight: config.max_in_flight,
      retry: { initialBackoffMs: 250, maxBackoffMs: 10_000, deliveryTimeoutMs: config.delivery_timeout_ms },
    });
  }

  async write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from) return;
    if (!this.byHour) {
      await (await this.stagingSink()).write(batch);
    } else {
      // Runs of records in the same hour go to that hour's writer, as sub-ranges of the batch (no copies).
      const t = batch.times;
      let runStart = batch.from;
      let runHour = Math.floor(t[runStart] / HOUR_MS);
      for (let i = batch.from + 1; i <= batch.to; i++) {
        const hour = i < batch.to ? Math.floor(t[i] / HOUR_MS) : NaN;
        if (hour === runHour) continue;
        const sink = await this.partitionSink(runHour);
        await sink.write({ ...batch, from: runStart, to: i });
        runStart = i;
        runHour = hour;
      }
    }
    await this.uploadCompleted(false);
  }

  async advance(simMs: number): Promise<void> {
    // Called once per window (hundreds of times a second at full speed): the staging directory is scanned at once
    // only when an hour was closed, otherwise at most every SCAN_INTERVAL_MS.
    let closed = false;
    if (!this.byHour) {
      await this.single?.advance(simMs);
    } else {
      for (const [hour, sink] of this.partitions) {
        if ((hour + 1) * HOUR_MS <= simMs) {
          this.partitions.delete(hour);
          await sink.close();
          this.closedDirs.add(this.partitionDir(hour));
          closed = true;
        } else await sink.advance(simMs);
      }
    }
    await this.uploadCompleted(closed);
  }

  async rotateIfOld(): Promise<void> {
    for (const sink of this.openSinks()) await sink.rotateIfOld?.();
    await this.uploadCompleted(false);
  }

  async close(): Promise<void> {
    for (const sink of this.openSinks()) await sink.close();
    this.partitions.clear();
    this.single = null;
    await this.uploadCompleted(true);
    await this.delivery.drain();
    await this.removeStaging(true);
    this.client.destroy();
  }

  async abort(): Promise<void> {
    this.delivery.abort();
    await Promise.allSettled(this.openSinks().map((s) => s.abort()));
    this.partitions.clear();
    this.single = null;
    await this.removeStaging(false);
    this.client.destroy();
  }

  /**
   * Removes the staging directory. Scans that start from now on find nothing to do; on close, one under way (the
   * engine's age timer may have started it) finishes first. An aborting run does not wait for it: its uploads may
   * hang on a server that is gone, and the run has failed already.
   */
  private async removeStaging(waitForScan: boolean): Promise<void> {
    const staging = this.staging;
    this.staging = null;
    if (waitForScan) await this.scanning;
    if (staging) await rm(staging, { recursive: true, force: true });
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: this.files, delivery: this.delivery.stats() };
  }

  private openSinks(): RecordSink[] {
    return [...this.partitions.values(), ...(this.single ? [this.single] : [])];
  }

  /** A fresh directory of this run's own (inside staging_dir when given): only files it wrote are uploaded. */
  private async stagingDir(): Promise<string> {
    if (this.staging === null) {
      const base = stagingBase(this.config);
      await ensureDir(base);
      this.staging = await mkdtemp(join(base, `${STAGING_PREFIX}${process.pid}-`));
    }
    return this.staging;
  }

  private async stagingSink(): Promise<RecordSink> {
    this.single ??= createFileSink({ ...this.config, dir: await this.stagingDir() }, this.ctx, this.key);
    return this.single;
  }

  private partitionDir(hour: number): string {
    return join(this.staging!, hivePartition(this.ctx.source.type, hour * HOUR_MS));
  }

  private async partitionSink(hour: number): Promise<RecordSink> {
    let sink = this.partitions.get(hour);
    if (!sink) {
      await this.stagingDir();
      sink = createFileSink({ ...this.config, dir: this.partitionDir(hour) }, this.ctx, this.key);
      this.partitions.set(hour, sink);
    }
    return sink;
  }

  /** Queues every completed (non-hidden) staged file for upload; its key is its path under the staging dir. */
  private uploadCompleted(force: boolean): Promise<void> {
    // The age timer scans too: one scan at a time, or two could queue the same file.
    const scan = this.scanning.then(() => this.scanAndQueue(force));
    this.scanning = scan.catch(() => undefined);
    return scan;
  }

  private async scanAndQueue(force: boolean): Promise<void> {
    // Its own reference: removeStaging() clears the field while a scan may be under way.
    const staging = this.staging;
    if (!staging) return;
    const now = performance.now();
    if (!force && now - this.lastScan < SCAN_INTERVAL_MS) return;
    this.lastScan = now;
    await this.removeEmptyClosedDirs();
    const entries = await readdir(staging, { recursive: true, withFileTypes: true });
    const completed = entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => join(e.parentPath, e.name))
      .filter((p) => !this.queued.has(p))
      .sort();
    for (const path of completed) {
      this.queued.add(path);
      const bytes = (await stat(path)).size;
      const key = this.prefix + relative(staging, path).split(sep).join('/');
      await this.delivery.submit({ path, key, bytes }, 1, bytes);
    }
  }

  /**
   * A closed hour's directory goes once its files are uploaded, or the staging tree (scanned up to four times a second)
   * would keep one per simulated hour for the whole run. Only here, inside the serialized scan: a directory removed
   * while a recursive readdir walks the tree makes that readdir fail with ENOENT.
   */
  private async removeEmptyClosedDirs(): Promise<void> {
    for (const dir of this.closedDirs) {
      await rmdir(dir).then(
        () => this.closedDirs.delete(dir),
        () => undefined, // not empty yet: a later scan removes it
      );
    }
  }

  private async upload(file: StagedFile): Promise<void> {
    if (this.config.create_bucket) {
      await this.bucketReady();
    }
    try {
      await new Upload({
        client: this.client,
        params: { Bucket: this.config.bucket, Key: file.key, Body: createReadStream(file.path), ContentType: contentType(file.key) },
        partSize: this.config.part_size_mb * 1024 * 1024,
        queueSize: 2,
        leavePartsOnError: false,
      }).done();
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const message = `s3://${this.config.bucket}/${file.key}: ${(err as Error).name}: ${(err as Error).message}`;
      if (status === 403 || status === 404 || status === 400) throw new PermanentError(message, { cause: err });
      throw new Error(message, { cause: err });
    }
    this.bytesOut += file.bytes;
    this.files++;
    await rm(file.path, { force: true });
  }

  private async createBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.config.bucket })).catch((err: Error) => {
        if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(err.name)) throw err;
      });
    }
  }
}

function contentType(key: string): string {
  if (key.endsWith('.parquet')) return 'application/vnd.apache.parquet';
  if (key.endsWith('.gz')) return 'application/gzip';
  if (key.endsWith('.zst')) return 'application/zstd';
  return 'application/x-ndjson';
}
