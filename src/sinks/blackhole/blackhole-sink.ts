/**
 * Counts records and bytes and discards them: the sink of `[[outputs]] type = "blackhole"`, for measuring how fast
 * records are generated with no destination to wait on, and of the benchmarks (which also write the bytes to
 * /dev/null, so the write path is exercised).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';

export class BlackholeSink implements RecordSink {
  private readonly fd: number | null;
  private records = 0;
  private bytesOut = 0;

  /** `path`: a file the bytes are also written to (`/dev/null` in the benchmarks); none: they are only counted. */
  constructor(path: string | null = null) {
    this.fd = path === null ? null : openSync(path, 'w');
  }

  async write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from) return;
    const start = recordStart(batch, batch.from);
    const end = batch.ends[batch.to - 1];
    if (this.fd !== null) writeSync(this.fd, batch.bytes, start, end - start);
    this.records += batch.to - batch.from;
    this.bytesOut += end - start;
  }

  async advance(): Promise<void> {}

  async close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
  }

  async abort(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: 0, records: this.records };
  }
}
