/**
 * What every input shares: a batch of messages (source, text, when it arrived) is normalised and written once, and
 * retried, the same batch again, until the database takes it (a PostgreSQL restart costs time, not records). The
 * input commits its own position (Kafka offsets, file positions) only after `write` returns.
 */
import type { AlertHit } from '../alerts/store.js';
import type { SiemMetrics } from '../metrics.js';
import { Normalisers, type RecordSeen, type Row } from '../normalise/normalise.js';
import { HitCollector } from '../rules/engine.js';
import type { Queryable } from '../store/database.js';
import type { PreparedBatch, RecordWriter, WriteResult } from '../store/writer.js';

/** A batch ready to write: its records' COPY data and the rule hits among them. */
export interface DetectedBatch extends PreparedBatch {
  readonly hits: readonly AlertHit[];
}

/** What runs the rules on a batch's records, and raises their hits in the batch's transaction. */
export interface Detection {
  /** The detector now (rules change while the service runs). */
  current(): {
    reads(source: string): boolean;
    observe(source: string, record: unknown, text: string, row: Row, received: number, into: HitCollector): void;
  };
  /** Raises a written batch's hits in its transaction; returns what to do once it has committed (notify). */
  raise(tx: Queryable, hits: readonly AlertHit[]): Promise<() => void>;
}

export interface Message {
  readonly source: string;
  readonly text: string;
  /** Epoch ms the message was sent or the file written (the year of a syslog time). */
  readonly reference: number;
}

/** A batch being built from messages. */
export interface IngestBatch {
  add(message: Message): void;
  finish(): DetectedBatch;
  /** Rows so far. */
  readonly size: number;
}

export interface IngestLog {
  (line: string): void;
}

export class Ingest {
  private readonly normalisers = new Normalisers();
  private stopping = false;
  /** The newest time of a record whose time carries its year (epoch ms; 0: none yet). */
  private newestDated = 0;

  constructor(
    private readonly writer: RecordWriter,
    private readonly metrics: SiemMetrics,
    private readonly log: IngestLog,
    private readonly detection: Detection | null = null,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  /** A new batch: `add` messages as they arrive (each normalised and encoded at once), then `commit(finish())`. */
  batch(): IngestBatch {
    const builder = this.writer.batch();
    const rows: Row[] = [];
    const hits = new HitCollector();
    // The detector of the batch's start (a rule change applies from the next batch), told each record as parsed.
    const detector = this.detection?.current() ?? null;
    let source = '';
    let received = 0;
    const seen: RecordSeen = (record, text, row) => detector!.observe(source, record, text, row, received, hits);
    const add = (m: Message) => {
      const yearless = this.normalisers.yearless(m.source);
      // A syslog time has no year: take it from the newest fully dated record seen (a backfill sent today still
      // lands in its own year), or from the message's own time when that is earlier or nothing dated came yet.
      const ctx = yearless && this.newestDated > 0 && this.newestDated < m.reference ? { reference: this.newestDated } : m;
      const watch = detector !== null && detector.reads(m.source);
      if (watch) {
        source = m.source;
        received = Date.now();
      }
      this.normalisers.for(m.source)(m.text, ctx, rows, watch ? seen : undefined);
      for (const r of rows) {
        if (!yearless && r.time > this.newestDated && r.time !== m.reference) this.newestDated = r.time;
        builder.add(r);
      }
      rows.length = 0;
    };
    return { add, finish: () => ({ ...builder.finish(), hits: hits.hits() }), get size() { return builder.size; } };
  }

  /** Normalises and writes; retries until written or stopped (then null: the input must not commit). */
  write(messages: readonly Message[], alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult | null> {
    const batch = this.batch();
    for (const m of messages) batch.add(m);
    return this.commit(batch.finish(), alsoInTransaction);
  }

  /** Writes a prepared batch; retries until written or stopped (then null: the input must not commit). */
  async commit(batch: DetectedBatch, alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult | null> {
    let delay = 200;
    const detection = this.detection;
    for (;;) {
      const end = this.metrics.batchSeconds.startTimer();
      try {
        let afterCommit: (() => void) | null = null;
        const also =
          detection === null || batch.hits.length === 0
            ? alsoInTransaction
            : async (tx: Queryable) => {
                await alsoInTransaction?.(tx);
                afterCommit = await detection.raise(tx, batch.hits);
              };
        const result = await this.writer.write(batch, also);
        end();
        (afterCommit as (() => void) | null)?.();
        this.metrics.batchRecords.observe(batch.size);
        this.count(batch, result);
        return result;
      } catch (err) {
        this.metrics.errors.inc({ stage: 'write' });
        if (this.stopping) return null;
        this.log(`seclog siem: writing a batch of ${batch.size} records failed (${(err as Error).message}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private count(batch: PreparedBatch, result: WriteResult): void {
    if (result.duplicates > 0) this.metrics.duplicates.inc(result.duplicates);
    if (result.inserted === 0 || batch.size === 0) return;
    // Duplicates are not told apart by source; the per-source counts are shares of what was inserted.
    const scale = result.inserted / batch.size;
    for (const [key, n] of batch.counts) {
      const [source, table] = key.split('\t');
      this.metrics.records.inc({ source, table }, n * scale);
    }
  }
}
