/**
 * Several outputs at once: every batch goes to each sink concurrently, and the engine may reuse the batch only
 * when the slowest has let go of it, so one slow output slows generation instead of letting the others run ahead
 * into unbounded memory.
 */
import type { RecordBatch, RecordSink, SinkStats } from './sink.js';

export interface NamedSink {
  readonly name: string;
  readonly description: string;
  readonly sink: RecordSink;
}

export class FanOutSink implements RecordSink {
  readonly groupsByTime: boolean;

  constructor(readonly outputs: readonly NamedSink[]) {
    this.groupsByTime = outputs.some((o) => o.sink.groupsByTime);
  }

  async write(batch: RecordBatch): Promise<void> {
    if (this.outputs.length === 1) return this.outputs[0].sink.write(batch);
    // Every output must be done with the batch before anything else happens (abort included), even if one failed.
    const results = await Promise.allSettled(this.outputs.map((o) => o.sink.write(batch)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async advance(simMs: number): Promise<void> {
    // Once per window, hundreds of times a second at full speed: no arrays for a single output.
    if (this.outputs.length === 1) return this.outputs[0].sink.advance(simMs);
    await Promise.all(this.outputs.map((o) => o.sink.advance(simMs)));
  }

  async rotateIfOld(): Promise<void> {
    await Promise.all(this.outputs.map((o) => o.sink.rotateIfOld?.()));
  }

  /** Closes every output even when one fails, then reports the first failure. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.outputs.map((o) => o.sink.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async abort(): Promise<void> {
    await Promise.allSettled(this.outputs.map((o) => o.sink.abort()));
  }

  stats(): SinkStats {
    let bytesOut = 0;
    let files = 0;
    for (const o of this.outputs) {
      const s = o.sink.stats();
      bytesOut += s.bytesOut;
      files += s.files;
    }
    return { bytesOut, files };
  }

  outputStats(): OutputStats[] {
    return this.outputs.map((o) => ({ name: o.name, description: o.description, ...o.sink.stats() }));
  }
}

export interface OutputStats extends SinkStats {
  name: string;
  description: string;
}
