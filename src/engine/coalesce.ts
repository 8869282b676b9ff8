/**
 * Small ordered segments (a few records of one worker in one window) are copied together into a staging batch,
 * so the sink sees few, large writes; big segments pass through without a copy.
 */
import { copyBytes } from '../encode/copy-bytes.js';
import { recordStart, type RecordBatch } from '../sinks/sink.js';

const SMALL_SEGMENT_BYTES = 256 * 1024;
const STAGING_BYTES = 4 * 1024 * 1024;
const STAGING_RECORDS = 32 * 1024;

export class Coalescer {
  private bytes = new Uint8Array(STAGING_BYTES);
  private readonly ends = new Uint32Array(STAGING_RECORDS);
  private readonly times = new Float64Array(STAGING_RECORDS);
  private readonly actors = new Uint32Array(STAGING_RECORDS);
  private readonly sources = new Uint8Array(STAGING_RECORDS);
  private pos = 0;
  private count = 0;

  constructor(private readonly write: (batch: RecordBatch) => Promise<void>) {}

  async add(batch: RecordBatch): Promise<void> {
    const start = recordStart(batch, batch.from);
    const size = batch.ends[batch.to - 1] - start;
    const records = batch.to - batch.from;
    if (size >= SMALL_SEGMENT_BYTES) {
      await this.flush();
      await this.write(batch);
      return;
    }
    if (this.pos + size > this.bytes.length || this.count + records > this.ends.length) await this.flush();
    copyBytes(this.bytes, this.pos, batch.bytes, start, start + size);
    for (let i = batch.from; i < batch.to; i++) {
      this.ends[this.count] = this.pos + (batch.ends[i] - start);
      this.times[this.count] = batch.times[i];
      this.actors[this.count] = batch.actors[i];
      this.sources[this.count] = batch.sources[i];
      this.count++;
    }
    this.pos += size;
  }

  async flush(): Promise<void> {
    if (this.count === 0) return;
    const batch: RecordBatch = { bytes: this.bytes, ends: this.ends, times: this.times, actors: this.actors, sources: this.sources, from: 0, to: this.count };
    this.pos = 0;
    this.count = 0;
    await this.write(batch);
  }
}
