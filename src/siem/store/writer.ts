/**
 * Writes a batch of rows durably and once: each table's rows COPY into the partitioned table, or, when that trips the
 * primary key (source, record id, time) because some are there already, into a temporary staging table from which
 * only the new ones move; all in one transaction with whatever else must commit with the batch (a followed file's
 * position). Replays, restarts and rebalances therefore neither
 * duplicate nor lose.
 */
import { NORMALISED_FIELDS } from '../../schema/record.js';
import type { Row } from '../normalise/normalise.js';
import type { Inventory } from '../enrich/inventory.js';
import { sqlState, type Database, type Queryable } from './database.js';
import { CopyBinary } from './copy-binary.js';
import { dayOf, Partitions, RECORD_TABLES, type RecordTable } from './partitions.js';

const EMPTY = Buffer.alloc(0);
const TABLE_INDEX: Record<RecordTable, number> = { logs: 0, process_logs: 1, host_metrics: 2 };

/** A normalised field's column (`user` is a reserved word in SQL). */
export function columnOf(field: string): string {
  return field === 'user' ? 'user_name' : field;
}

const COLUMNS: Record<RecordTable, readonly string[]> = {
  logs: ['time', 'source', 'record_id', ...NORMALISED_FIELDS.map(columnOf), 'severity', 'host_owner', 'host_criticality', 'raw'],
  process_logs: ['time', 'source', 'record_id', 'host', 'user_name', 'pid', 'ppid', 'process_name', 'executable', 'command_line', 'parent_name', 'host_owner', 'host_criticality', 'raw'],
  host_metrics: ['time', 'source', 'record_id', 'host', 'metricset', 'cpu_pct', 'memory_pct', 'raw'],
};

const HOST = NORMALISED_FIELDS.indexOf('host');

export interface WriteResult {
  /** Rows new to the database. */
  inserted: number;
  /** Rows it had already (replays). */
  duplicates: number;
}

/** A batch turned into COPY data per table (CPU work, done while the previous batch is being written). */
export interface PreparedBatch {
  readonly byTable: Readonly<Record<RecordTable, { readonly data: Buffer; readonly rows: number }>>;
  readonly days: Readonly<Record<RecordTable, Set<number>>>;
  /** Rows per source and table, for the metrics. */
  readonly counts: ReadonlyMap<string, number>;
  readonly size: number;
}

export class RecordWriter {
  readonly partitions: Partitions;

  constructor(
    private readonly db: Database,
    private readonly inventory: Inventory,
  ) {
    this.partitions = new Partitions(db);
  }

  /** A batch to add rows to as they are normalised: each row is encoded at once, only its bytes stay. */
  batch(expectedBytes = 1 << 20): BatchBuilder {
    return new BatchBuilder(this.inventory, expectedBytes);
  }

  /** Writes a prepared batch and runs `alsoInTransaction` in the same transaction. */
  async write(batch: PreparedBatch, alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult> {
    const { byTable, days } = batch;
    for (const t of RECORD_TABLES) if (byTable[t].rows > 0) await this.partitions.ensure(t, days[t]);
    try {
      return await this.commit(byTable, alsoInTransaction);
    } catch (err) {
      // 23514: no partition for a row (another instance's retention dropped one this instance still knew).
      if (sqlState(err) !== '23514') throw err;
      this.partitions.forget();
      for (const t of RECORD_TABLES) if (byTable[t].rows > 0) await this.partitions.ensure(t, days[t]);
      return this.commit(byTable, alsoInTransaction);
    }
  }

  private commit(byTable: PreparedBatch['byTable'], alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult> {
    return this.db.transaction(async (tx) => {
      let inserted = 0;
      let total = 0;
      for (const t of RECORD_TABLES) {
        const { data, rows } = byTable[t];
        if (rows === 0) continue;
        total += rows;
        // The usual batch holds nothing the table has: COPY straight in. A replay (restart, rebalance) trips the
        // primary key, and only that batch takes the slower way: COPY into staging, then move what is new.
        await tx.query('SAVEPOINT direct');
        try {
          await tx.copyIn(t, COLUMNS[t], data);
          await tx.query('RELEASE SAVEPOINT direct');
          inserted += rows;
          continue;
        } catch (err) {
          if (sqlState(err) !== '23505') throw err;
          await tx.query('ROLLBACK TO SAVEPOINT direct');
        }
        const stage = `stage_${t}`;
        await tx.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${t} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
        await tx.copyIn(stage, COLUMNS[t], data);
        const r = await tx.query<{ n: string | number }>(`WITH ins AS (INSERT INTO ${t} SELECT * FROM ${stage} ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) AS n FROM ins`);
        inserted += Number(r[0].n);
      }
      if (alsoInTransaction !== undefined) await alsoInTransaction(tx);
      return { inserted, duplicates: total - inserted };
    });
  }
}

/**
 * The batch being built: rows encoded into binary COPY data per table as they come, with the days they need
 * partitions for and counts per source for the metrics. Nothing of a row but its bytes outlives `add` (a batch of
 * tens of thousands of records costs the heap no objects, so the collector has little to trace).
 */
export class BatchBuilder {
  private readonly copies: Record<RecordTable, CopyBinary | null> = { logs: null, process_logs: null, host_metrics: null };
  private readonly days: Record<RecordTable, Set<number>> = { logs: new Set(), process_logs: new Set(), host_metrics: new Set() };
  private readonly counts = new Map<string, number[]>();
  size = 0;

  constructor(
    private readonly inventory: Inventory,
    private readonly expectedBytes: number,
  ) {}

  add(r: Row): void {
    const c = (this.copies[r.table] ??= new CopyBinary(this.expectedBytes));
    this.encode(r, c);
    const day = dayOf(r.time);
    const days = this.days[r.table];
    if (!days.has(day)) days.add(day);
    let n = this.counts.get(r.source);
    if (n === undefined) this.counts.set(r.source, (n = [0, 0, 0]));
    n[TABLE_INDEX[r.table]]++;
    this.size++;
  }

  finish(): PreparedBatch {
    const done = (c: CopyBinary | null) => (c === null ? { data: EMPTY, rows: 0 } : { rows: c.rows, data: c.finish() });
    const counts = new Map<string, number>();
    for (const [source, n] of this.counts) RECORD_TABLES.forEach((t, i) => n[i] > 0 && counts.set(`${source}\t${t}`, n[i]));
    return { byTable: { logs: done(this.copies.logs), process_logs: done(this.copies.process_logs), host_metrics: done(this.copies.host_metrics) }, days: this.days, counts, size: this.size };
  }

  /** One row, in its table's COLUMNS order. */
  private encode(r: Row, c: CopyBinary): void {
    if (r.table === 'logs') {
      c.row(COLUMNS.logs.length);
      c.time(r.time);
      c.text(r.source);
      c.text(r.record_id);
      for (const f of r.fields) c.text(f);
      c.text(r.severity);
      const owner = this.inventory.lookup(r.fields[HOST]);
      c.text(owner?.owner ?? null);
      c.text(owner?.criticality ?? null);
      c.jsonb(r.raw);
      return;
    }
    if (r.table === 'process_logs') {
      c.row(COLUMNS.process_logs.length);
      c.time(r.time);
      c.text(r.source);
      c.text(r.record_id);
      c.text(r.host);
      c.text(r.user);
      c.int8(r.pid);
      c.int8(r.ppid);
      c.text(r.name);
      c.text(r.executable);
      c.text(r.command_line);
      c.text(r.parent_name);
      const owner = this.inventory.lookup(r.host);
      c.text(owner?.owner ?? null);
      c.text(owner?.criticality ?? null);
      c.jsonb(r.raw);
      return;
    }
    c.row(COLUMNS.host_metrics.length);
    c.time(r.time);
    c.text(r.source);
    c.text(r.record_id);
    c.text(r.host);
    c.text(r.metricset);
    c.float8(r.cpu_pct);
    c.float8(r.memory_pct);
    c.jsonb(r.raw);
  }
}
