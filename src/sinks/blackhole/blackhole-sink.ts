/**
 * Discards records after writing them to /dev/null (so the write path is exercised): the sink of benchmarks and of
 * load generators that only want the generator's side.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sink.js';

export class BlackholeSink implements RecordSink {
  private readonly fd: number;
  private bytesOut = 0;

  constructor(path = '/dev/null') {
    this.fd = openSync(path, 'w');
  }

  async write(batch: RecordBatch): Promise<void> {
    if (batch.to <= batch.from) return;
    const start = recordStart(batch, batch.from);
    const end = batch.ends[batch.to - 1];
    writeSync(this.fd, batch.bytes, start, end - start);
    this.bytesOut += end - start;
  }

  async advance(): Promise<void> {}

  async close(): Promise<void> {
    closeSync(this.fd);
  }

  async abort(): Promise<void> {
    closeSync(this.fd);
  }

  stats(): SinkStats {
    return { bytesOut: this.bytesOut, files: 0 };
  }
}
