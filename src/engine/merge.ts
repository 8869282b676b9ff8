/**
 * Interleaves the workers' part streams into the one deterministic order: window by window, and within a window
 * worker 0's shards, then worker 1's… (= shard order, whatever the number of workers). Window boundaries are read
 * off the records' event times, so windows without records cost nothing. Parts go back to their worker once used.
 */
import type { RecordBatch } from '../sinks/sink.js';
import type { PartBuffers, PartLabel, PartMessage } from './part.js';

interface QueuedPart {
  message: PartMessage;
  batch: { bytes: Uint8Array; ends: Uint32Array; times: Float64Array; actors: Uint32Array; sources: Uint8Array };
  cursor: number;
}

export interface MergeTarget {
  /** Called before the first records of `window` are delivered (pacing to the clock happens here). */
  beforeWindow(window: number): Promise<void>;
  /**
   * Ordered records, with the ground-truth labels of those among them (indexes into the batch's arrays); returns
   * false to stop the run after this batch.
   */
  records(batch: RecordBatch, labels: readonly PartLabel[]): Promise<boolean>;
  /** Every worker is past `window`. */
  windowDone(window: number): Promise<void>;
  /** The worker's part `slot` is free for it to fill again. */
  recycle(worker: number, slot: number): void;
}

const NO_LABELS: readonly PartLabel[] = [];

export class OrderedMerge {
  private readonly queues: QueuedPart[][];
  /** Per worker: its parts, by slot (views of the worker's shared memory). */
  private readonly parts: PartBuffers[][];
  /** Per worker: every window before this one is complete in what it has sent. */
  private readonly through: number[];
  private worker = 0;
  private window = 0;
  private windowStarted = false;
  private pumping = false;
  private finished = false;
  private stopped = false;
  private resolveFinished!: () => void;
  private rejectFinished!: (err: unknown) => void;
  /** Resolves when every worker is done and everything has been delivered, or the run was stopped. */
  readonly finishedPromise: Promise<void>;

  constructor(
    private readonly workers: number,
    private readonly startMs: number,
    private readonly windowMs: number,
    private readonly target: MergeTarget,
  ) {
    this.queues = Array.from({ length: workers }, () => []);
    this.parts = Array.from({ length: workers }, () => []);
    this.through = new Array(workers).fill(0);
    this.finishedPromise = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
  }

  /** A worker's parts, before any of its part messages. */
  addParts(worker: number, parts: PartBuffers[]): void {
    this.parts[worker] = parts;
  }

  push(message: PartMessage): void {
    const part = this.parts[message.worker][message.slot];
    this.through[message.worker] = message.through;
    this.queues[message.worker].push({
      message,
      batch: { bytes: (message.grown ?? part.bytes).subarray(0, message.byteLength), ends: part.ends, times: part.times, actors: part.actors, sources: part.sources },
      cursor: 0,
    });
    void this.pump();
  }

  workerDone(worker: number): void {
    this.through[worker] = Infinity;
    void this.pump();
  }

  /**
   * Stops delivering; queued data is dropped (files are closed whole, never half-written). If a delivery is under
   * way, the run finishes when it completes, so counts and outputs agree.
   */
  stop(): void {
    this.stopped = true;
    if (!this.pumping) this.finish();
  }

  fail(err: unknown): void {
    this.stopped = true;
    if (this.finished) return;
    this.finished = true;
    this.rejectFinished(err);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.resolveFinished();
  }

  private windowOf(timeMs: number): number {
    return Math.floor((timeMs - this.startMs) / this.windowMs);
  }

  /** First record index in [lo, hi) whose window is after `window` (windows never decrease within a worker). */
  private endOfWindow(times: Float64Array, window: number, lo: number, hi: number): number {
    const limit = this.startMs + (window + 1) * this.windowMs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] >= limit) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The earliest window any worker may still deliver records for. */
  private nextWindow(): number {
    let next = Infinity;
    for (let j = 0; j < this.workers; j++) {
      const head = this.queues[j].find((p) => p.cursor < p.message.count);
      next = Math.min(next, head ? this.windowOf(head.batch.times[head.cursor]) : this.through[j]);
    }
    return next;
  }

  private async advanceWorker(): Promise<void> {
    this.worker++;
    if (this.worker < this.workers) return;
    this.worker = 0;
    this.windowStarted = false;
    await this.target.windowDone(this.window);
    const next = this.nextWindow();
    this.window = Math.max(this.window + 1, Number.isFinite(next) ? next : this.window + 1);
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.finished) return;
    this.pumping = true;
    try {
      while (!this.stopped) {
        if (this.through.every((t) => t === Infinity) && this.queues.every((q) => q.length === 0)) {
          this.finish();
          break;
        }
        const queue = this.queues[this.worker];
        const head = queue[0];
        if (head && head.cursor >= head.message.count) {
          queue.shift();
          this.target.recycle(head.message.worker, head.message.slot);
          continue;
        }
        if (!head) {
          if (this.through[this.worker] > this.window) {
            await this.advanceWorker();
            continue;
          }
          break; // wait for this worker's next part
        }
        const recordWindow = this.windowOf(head.batch.times[head.cursor]);
        if (recordWindow > this.window) {
          await this.advanceWorker();
          continue;
        }
        if (recordWindow < this.window) throw new Error(`merge out of order: worker ${this.worker} sent window ${recordWindow} after window ${this.window}`);
        if (!this.windowStarted) {
          this.windowStarted = true;
          await this.target.beforeWindow(this.window);
          if (this.stopped) break;
        }
        const end = this.endOfWindow(head.batch.times, this.window, head.cursor, head.message.count);
        const batch: RecordBatch = { ...head.batch, from: head.cursor, to: end };
        const labels = head.message.labels?.filter((l) => l.index >= head.cursor && l.index < end) ?? NO_LABELS;
        head.cursor = end;
        if (!(await this.target.records(batch, labels)) || this.stopped) {
          this.stopped = true;
          break;
        }
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.pumping = false;
      if (this.stopped) this.finish();
    }
  }
}
