/**
 * The contract between the engine and a sink: ordered batches of encoded records with their index.
 */

/** Records [from, to) of a part. Record i spans bytes [i === 0 ? 0 : ends[i - 1], ends[i]). */
export interface RecordBatch {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  readonly times: Float64Array;
  readonly actors: Uint32Array;
  /** Per record: the index of its source among the run's sources (all 0 in a one-source run). */
  readonly sources: Uint8Array;
  readonly from: number;
  readonly to: number;
}

export function recordStart(batch: RecordBatch, i: number): number {
  return i === 0 ? 0 : batch.ends[i - 1];
}

export interface SinkStats {
  /** Bytes written to the destination (after compression). */
  bytesOut: number;
  /** Completed output objects (files) so far. */
  files: number;
  /** Records taken, for outputs that count them (blackhole). */
  records?: number;
  /** Messages acknowledged, for outputs that put several records in one message (the delivery counts stay in records). */
  messages?: number;
  /** Network outputs: what was sent and what the server acknowledged. */
  delivery?: DeliveryStats;
}

export interface DeliveryStats {
  /** Records handed to the server at least once. */
  sent: number;
  /** Records the server acknowledged. */
  acked: number;
  /** Records sent again after a failed attempt (counted once per retry). */
  retried: number;
  /** Records given up on (the run fails when this is not zero). */
  failed: number;
  /** Record bytes acknowledged (before the protocol's own framing and compression). */
  bytes: number;
  /** Batches sent and not yet acknowledged. */
  inFlight: number;
  /** Time from first send to acknowledgement of a batch, milliseconds. */
  latencyMsAvg: number;
  latencyMsMax: number;
}

export interface RecordSink {
  /**
   * Takes a batch; the promise resolves once the sink no longer needs the batch's memory (backpressure). The bytes
   * are a view of a worker's shared memory, rewritten with later records as soon as every sink has resolved: keep
   * nothing that points into them (copy what must outlive the call), and use `bytes` with its offset, never
   * `bytes.buffer` alone.
   */
  write(batch: RecordBatch): Promise<void>;
  /** Simulated time has reached `simMs` (a window ended): time-based flushing happens here. */
  advance(simMs: number): Promise<void>;
  /** True when advance() acts on what was written before it: every record before simMs must reach the sink first. */
  readonly groupsByTime?: boolean;
  /** Wall-clock age rotation (files): called every second. */
  rotateIfOld?(): Promise<void>;
  /** Flushes everything and completes every output; after this, outputs are final. */
  close(): Promise<void>;
  /** Gives up: removes incomplete outputs. */
  abort(): Promise<void>;
  stats(): SinkStats;
}
