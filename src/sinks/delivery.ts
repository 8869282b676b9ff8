/**
 * At-least-once delivery for network outputs: a bounded number of batches in flight (the caller waits when the
 * bound is reached, which slows generation), each retried with exponential backoff and jitter until the server
 * acknowledges it or the delivery timeout passes. A batch given up on fails the run loudly, with counts; nothing is
 * dropped silently.
 */
import type { DeliveryStats } from './sink.js';

export interface RetryPolicy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How long one batch may keep failing before the run gives up on it. */
  readonly deliveryTimeoutMs: number;
}

/**
 * A setup step (create the topic, the bucket) that every send awaits: run once and shared while it succeeds or runs;
 * after a failure the next send tries again (the server may have been down).
 */
export function onceUntilFailure(step: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () =>
    (running ??= step().catch((err: unknown) => {
      running = null;
      throw err;
    }));
}

/** A failure retrying cannot fix (bad credentials, a rejected request): the batch fails at once. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * What a send achieved when it was not all-or-nothing (bulk APIs answer per item): some records acknowledged, some
 * rejected for good, and the rest to be sent again (the sender has narrowed the batch to them).
 */
export interface PartialOutcome {
  readonly acked: number;
  readonly ackedBytes: number;
  readonly rejected: number;
  readonly rejectReason?: string;
  readonly remaining: number;
  readonly remainingBytes: number;
  readonly retryReason?: string;
}

export interface DeliveryOptions {
  readonly name: string;
  readonly maxInFlight: number;
  readonly retry: RetryPolicy;
  /** Called before each retry (e.g. to log it); attempt counts from 1. */
  readonly onRetry?: (attempt: number, err: unknown) => void;
}

export class Delivery<B> {
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightRecords = 0;
  private failure: { err: unknown; records: number } | null = null;
  private aborted = false;
  private readonly wakeSleepers = new Set<() => void>();
  private readonly counters = { sent: 0, acked: 0, retried: 0, failed: 0, bytes: 0, batches: 0, latencySum: 0, latencyMax: 0 };

  constructor(
    private readonly send: (batch: B) => Promise<void | PartialOutcome>,
    private readonly options: DeliveryOptions,
  ) {}

  /** Starts delivering `batch`; resolves once it is in flight (waits while the in-flight bound is reached). */
  async submit(batch: B, records: number, bytes: number): Promise<void> {
    this.refuseAfterFailure(records);
    while (this.inFlight.size >= this.options.maxInFlight) await Promise.race(this.inFlight);
    this.refuseAfterFailure(records);
    const p: Promise<void> = this.deliver(batch, records, bytes).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for every batch in flight; throws when any was given up on. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  /** Stops retrying: batches still failing are abandoned (the run is failing anyway). */
  abort(): void {
    this.aborted = true;
    for (const wake of this.wakeSleepers) wake();
  }

  stats(): DeliveryStats {
    const c = this.counters;
    return {
      sent: c.sent,
      acked: c.acked,
      retried: c.retried,
      failed: c.failed,
      bytes: c.bytes,
      inFlight: this.inFlight.size,
      latencyMsAvg: c.batches > 0 ? c.latencySum / c.batches : 0,
      latencyMsMax: c.latencyMax,
    };
  }

  private async deliver(batch: B, records: number, bytes: number): Promise<void> {
    const c = this.counters;
    const started = performance.now();
    c.sent += records;
    this.inFlightRecords += records;
    let left = records;
    let leftBytes = bytes;
    const giveUp = (err: unknown, count: number) => {
      c.failed += count;
      if (!this.failure) this.failure = { err, records: count };
      else this.failure.records += count;
    };
    try {
      for (let attempt = 1; ; attempt++) {
        let retryErr: unknown;
        try {
          const outcome = await this.send(batch);
          if (!outcome) {
            c.acked += left;
            c.bytes += leftBytes;
            left = 0;
          } else {
            c.acked += outcome.acked;
            c.bytes += outcome.ackedBytes;
            if (outcome.rejected > 0) giveUp(new PermanentError(outcome.rejectReason ?? 'rejected by the server'), outcome.rejected);
            left = outcome.remaining;
            leftBytes = outcome.remainingBytes;
            retryErr = new Error(outcome.retryReason ?? 'some records must be sent again');
          }
          if (left === 0) {
            const latency = performance.now() - started;
            c.batches++;
            c.latencySum += latency;
            if (latency > c.latencyMax) c.latencyMax = latency;
            return;
          }
        } catch (err) {
          retryErr = err;
        }
        const backoff = this.backoff(attempt);
        if (retryErr instanceof PermanentError || this.aborted || performance.now() - started + backoff > this.options.retry.deliveryTimeoutMs) {
          giveUp(retryErr, left);
          return;
        }
        this.options.onRetry?.(attempt, retryErr);
        c.retried += left;
        await this.sleep(backoff);
      }
    } finally {
      this.inFlightRecords -= records;
    }
  }

  /** Exponential backoff with full jitter in its upper half: spreads retries of many batches after an outage. */
  private backoff(attempt: number): number {
    const { initialBackoffMs, maxBackoffMs } = this.options.retry;
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleepers.add(done);
    });
  }

  /** After a failure the run is ending: a batch handed over now is never sent, and counts as not delivered. */
  private refuseAfterFailure(records: number): void {
    if (!this.failure) return;
    this.counters.failed += records;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (!this.failure) return;
    const c = this.counters;
    const { err } = this.failure;
    const reason = err instanceof Error ? err.message : String(err);
    const timeout = this.options.retry.deliveryTimeoutMs / 1000;
    const cause = err instanceof PermanentError ? 'rejected' : `not acknowledged within ${timeout}s`;
    throw new DeliveryError(
      `output ${this.options.name}: ${c.failed.toLocaleString('en-US')} record${c.failed === 1 ? '' : 's'} not delivered (${cause}: ${reason}); ` +
        `${c.acked.toLocaleString('en-US')} of ${c.sent.toLocaleString('en-US')} sent were acknowledged, ${this.inFlightRecords.toLocaleString('en-US')} still in flight`,
    );
  }
}
