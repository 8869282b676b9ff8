/**
 * Per-source routing: in a run of several sources an output takes each source through its own sink (its own
 * folder, topic, prefix or index), and each of those sinks sees only its source's records. A batch holds runs of
 * records of one source (a shard's lane in a window); each run goes on as a sub-range of the batch, no copies.
 */
import type { RecordBatch, RecordSink, SinkStats } from '../sinks/sink.js';

export class SourceFilter implements RecordSink {
  readonly groupsByTime?: boolean;
  readonly rotateIfOld?: () => Promise<void>;

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
    let i = batch.from;
    const to = batch.to;
    while (i < to) {
      while (i < to && sources[i] !== want) i++;
      if (i === to) break;
      const start = i;
      while (i < to && sources[i] === want) i++;
      await this.sink.write(start === batch.from && i === to ? batch : { ...batch, from: start, to: i });
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
