/**
 * A sink that shows each record to a callback and keeps nothing (the measuring scripts here and the tests that use
 * them): the record's bytes, as a view valid only during the call, its time, actor and source index.
 */
import { recordStart, type RecordBatch, type RecordSink } from '../../src/sinks/sink.js';

export interface SeenRecord {
  /** The record's bytes with their newline: a view of the engine's memory, copy what must outlive the call. */
  bytes: Uint8Array;
  time: number;
  actor: number;
  source: number;
}

export function eachRecord(onRecord: (r: SeenRecord) => void): RecordSink {
  return {
    async write(b: RecordBatch) {
      for (let i = b.from; i < b.to; i++) onRecord({ bytes: b.bytes.subarray(recordStart(b, i), b.ends[i]), time: b.times[i], actor: b.actors[i], source: b.sources[i] });
    },
    async advance() {},
    async close() {},
    async abort() {},
    stats: () => ({ bytesOut: 0, files: 0 }),
  };
}
