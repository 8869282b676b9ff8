/**
 * What every input shares: a batch of messages (source, text, when it arrived) is normalised and written once, and
 * retried, the same batch again, until the database takes it (a PostgreSQL restart costs time, not records). The
 * input commits its own position (Kafka offsets, file positions) only after `write` returns.
 */
import type { SiemMetrics } from '../metrics.js';
import { Normalisers, type Row } from '../normalise/normalise.js';
import type { Queryable } from '../store/database.js';
import type { RecordWriter, WriteResult } from '../store/writer.js';

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

  /** Normalises and writes; retries until written or stopped (then null: the input must not commit). */
  async write(messages: readonly Message[], alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult | null> {
    const rows: Row[] = [];
    for (const m of messages) this.normalisers.for(m.source)(m.text, m, rows);
    let delay = 200;
    for (;;) {
      const end = this.metrics.batchSeconds.startTimer();
      try {
        const result = await this.writer.write(rows, alsoInTransaction);
        end();
        this.metrics.batchRecords.observe(rows.length);
        this.count(rows, result);
        return result;
      } catch (err) {
        this.metrics.errors.inc({ stage: 'write' });
        if (this.stopping) return null;
        this.log(`seclog siem: writing a batch of ${rows.length} records failed (${(err as Error).message}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  private count(rows: readonly Row[], result: WriteResult): void {
    if (result.duplicates > 0) this.metrics.duplicates.inc(result.duplicates);
    if (result.inserted === 0) return;
    const bySource = new Map<string, number>();
    for (const r of rows) bySource.set(`${r.source}\t${r.table}`, (bySource.get(`${r.source}\t${r.table}`) ?? 0) + 1);
    // Duplicates are not told apart by source; the per-source counts are shares of what was inserted.
    const scale = result.inserted / rows.length;
    for (const [key, n] of bySource) {
      const [source, table] = key.split('\t');
      this.metrics.records.inc({ source, table }, n * scale);
    }
  }
}
