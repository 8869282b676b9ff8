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
import { dayOf, Partitions, RECORD_TABLES, type RecordTable } from './partitions.js';

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

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE_ALL = /[\\\t\n\r]/g;

/** A value in COPY's text format. */
function cell(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE_ALL, (c) => ESCAPES[c]) : v;
}

export interface WriteResult {
  /** Rows new to the database. */
  inserted: number;
  /** Rows it had already (replays). */
  duplicates: number;
}

/** A batch turned into COPY text per table (CPU work, done while the previous batch is being written). */
export interface PreparedBatch {
  readonly byTable: Readonly<Record<RecordTable, string[]>>;
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

  prepare(rows: readonly Row[]): PreparedBatch {
    const byTable: Record<RecordTable, string[]> = { logs: [], process_logs: [], host_metrics: [] };
    const days: Record<RecordTable, Set<number>> = { logs: new Set(), process_logs: new Set(), host_metrics: new Set() };
    const counts = new Map<string, number>();
    for (const r of rows) {
      byTable[r.table].push(this.line(r));
      days[r.table].add(dayOf(r.time));
      const key = `${r.source}\t${r.table}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return { byTable, days, counts, size: rows.length };
  }

  /** Writes a prepared batch and runs `alsoInTransaction` in the same transaction. */
  async write(batch: PreparedBatch, alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult> {
    const { byTable, days } = batch;
    for (const t of RECORD_TABLES) if (byTable[t].length > 0) await this.partitions.ensure(t, days[t]);
    try {
      return await this.commit(byTable, alsoInTransaction);
    } catch (err) {
      // 23514: no partition for a row (another instance's retention dropped one this instance still knew).
      if (sqlState(err) !== '23514') throw err;
      this.partitions.forget();
      for (const t of RECORD_TABLES) if (byTable[t].length > 0) await this.partitions.ensure(t, days[t]);
      return this.commit(byTable, alsoInTransaction);
    }
  }

  private commit(byTable: Readonly<Record<RecordTable, string[]>>, alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<WriteResult> {
    return this.db.transaction(async (tx) => {
      let inserted = 0;
      let total = 0;
      for (const t of RECORD_TABLES) {
        const lines = byTable[t];
        if (lines.length === 0) continue;
        const data = lines.join('');
        total += lines.length;
        // The usual batch holds nothing the table has: COPY straight in. A replay (restart, rebalance) trips the
        // primary key, and only that batch takes the slower way: COPY into staging, then move what is new.
        await tx.query('SAVEPOINT direct');
        try {
          await tx.copyIn(t, COLUMNS[t], data);
          await tx.query('RELEASE SAVEPOINT direct');
          inserted += lines.length;
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

  /** One row as a line of COPY text. */
  private line(r: Row): string {
    const head = `${new Date(r.time).toISOString()}\t${cell(r.source)}\t${cell(r.record_id)}\t`;
    if (r.table === 'logs') {
      const owner = this.inventory.lookup(r.fields[HOST]);
      return `${head}${r.fields.map(cell).join('\t')}\t${r.severity}\t${cell(owner?.owner ?? null)}\t${cell(owner?.criticality ?? null)}\t${cell(r.raw)}\n`;
    }
    if (r.table === 'process_logs') {
      const owner = this.inventory.lookup(r.host);
      return `${head}${[r.host, r.user, r.pid, r.ppid, r.name, r.executable, r.command_line, r.parent_name, owner?.owner ?? null, owner?.criticality ?? null, r.raw].map(cell).join('\t')}\n`;
    }
    return `${head}${[r.host, r.metricset, r.cpu_pct, r.memory_pct, r.raw].map(cell).join('\t')}\n`;
  }
}
