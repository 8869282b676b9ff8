/**
 * What every input shares: a batch of messages (source, text, when it arrived) is normalised and written once, and
 * retried, the same batch again, until the database takes it (a PostgreSQL restart costs time, not records). The
 * input commits its own position (Kafka offsets, file positions) only after `write` returns.
 */
import type { SiemMetrics } from '../metrics.js';
import { Normalisers, type Row } from '../normalise/normalise.js';
import type { Queryable } from '../store/database.js';
import type { PreparedBatch, RecordWriter, WriteResult } from '../store/writer.js';

/** Messages normalised between two turns of the event loop. */
const SLICE = 1000;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface Message {
  readonly source: string;
  readonly text: string;
  /** Epoch ms the message was sent or the file written (the year of a syslog time). */
  readonly reference: number;
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
  ) {}

  stop(): void {
    this.stopping = true;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Normalises a batch and turns it into COPY data (CPU, while earlier batches may be writing): in slices, giving the
   * event loop a turn between them, so the database connections are fed and Kafka fetches meanwhile.
   */
  async prepare(messages: readonly Message[]): Promise<PreparedBatch> {
    const rows: Row[] = [];
    const yearless: Message[] = [];
    for (let i = 0; i < messages.length; i++) {
      if (i % SLICE === SLICE - 1) await turn();
      const m = messages[i];
      if (this.normalisers.yearless(m.source)) {
        yearless.push(m);
        continue;
      }
      const from = rows.length;
      this.normalisers.for(m.source)(m.text, m, rows);
      for (let r = from; r < rows.length; r++) if (rows[r].time > this.newestDated && rows[r].time !== m.reference) this.newestDated = rows[r].time;
    }
    // A syslog time has no year: take it from the newest fully dated record seen (a backfill sent today still lands
    // in its own year), or from the message's own time when that is earlier or nothing dated came yet.
    for (let i = 0; i < yearless.length; i++) {
      if (i % SLICE === SLICE - 1) await turn();
      const m = yearless[i];
      const reference = this.newestDated > 0 ? Math.min(m.reference, this.newestDated) : m.reference;
      this.normalisers.for(m.source)(m.text, reference === m.reference ? m : { reference }, rows);
    }
    return this.writer.prepare(rows, turn, SLICE);
  }

  /** Normalises and writes; retries until written or stopped (then null: the input must not commit). */
  async write(messages: readonly Message[], alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult | null> {
    return this.commit(await this.prepare(messages), alsoInTransaction);
  }

  /** Writes a prepared batch; retries until written or stopped (then null: the input must not commit). */
  async commit(batch: PreparedBatch, alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult | null> {
    let delay = 200;
    for (;;) {
      const end = this.metrics.batchSeconds.startTimer();
      try {
        const result = await this.writer.write(batch, alsoInTransaction);
        end();
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
