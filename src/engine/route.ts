/**
 * Per-source routing: in a run of several sources an output takes each source through its own sink (its own
 * folder, topic, prefix or index), and each of those sinks sees only its source's records. Sources' records are
 * interleaved tick by tick (a CloudTrail call, an Okta sign-in, …), so runs of one source are short: each filter
 * copies its source's records out of a batch into a staging batch of its own and hands that on in one write.
 * A batch that holds only the filter's source goes on as it is.
 */
import { copyBytes } from '../encode/copy-bytes.js';
import { recordStart, type RecordBatch, type RecordSink, type SinkStats } from '../sinks/sink.js';

export class SourceFilter implements RecordSink {
  readonly groupsByTime?: boolean;
  readonly rotateIfOld?: () => Promise<void>;
  private bytes = new Uint8Array(1 << 20);
  private ends = new Uint32Array(4096);
  private times = new Float64Array(4096);
  private actors = new Uint32Array(4096);
  private sources = new Uint8Array(4096);

  constructor(
    private readonly sink: RecordSink,
    private readonly source: number,
  ) {
    this.groupsByTime = sink.groupsByTime;
    if (sink.rotateIfOld) this.rotateIfOld = () => sink.rotateIfOld!();
  }

  async write(batch: RecordBatch): Promise<void> {
    const sources = batch.sources;
    const want = this.source;
    const { from, to } = batch;
    let count = 0;
    let pos = 0;
    let i = from;
    while (i < to) {
      while (i < to && sources[i] !== want) i++;
      if (i === to) break;
      const start = i;
      while (i < to && sources[i] === want) i++;
      if (start === from && i === to) return this.sink.write(batch);
      const byteStart = recordStart(batch, start);
      const size = batch.ends[i - 1] - byteStart;
      this.reserve(pos + size, count + (i - start));
      copyBytes(this.bytes, pos, batch.bytes, byteStart, byteStart + size);
      for (let r = start; r < i; r++) {
        this.ends[count] = pos + (batch.ends[r] - byteStart);
        this.times[count] = batch.times[r];
        this.actors[count] = batch.actors[r];
        this.sources[count] = want;
        count++;
      }
      pos += size;
    }
    if (count === 0) return;
    await this.sink.write({ bytes: this.bytes, ends: this.ends, times: this.times, actors: this.actors, sources: this.sources, from: 0, to: count });
  }

  /** Room for `bytes` bytes and `records` records (kept: the staging only grows). */
  private reserve(bytes: number, records: number): void {
    if (bytes > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < bytes) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.bytes);
      this.bytes = next;
    }
    if (records > this.ends.length) {
      let n = this.ends.length * 2;
      while (n < records) n *= 2;
      const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(n);
        b.set(a as never);
        return b;
      };
      this.ends = grow(this.ends, (k) => new Uint32Array(k));
      this.times = grow(this.times, (k) => new Float64Array(k));
      this.actors = grow(this.actors, (k) => new Uint32Array(k));
      this.sources = grow(this.sources, (k) => new Uint8Array(k));
    }
  }

  advance(simMs: number): Promise<void> {
    return this.sink.advance(simMs);
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  abort(): Promise<void> {
    return this.sink.abort();
  }

  stats(): SinkStats {
    return this.sink.stats();
  }
}
