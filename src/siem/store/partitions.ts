/**
 * Daily range partitions of the record tables: created before a batch that needs them, dropped whole by retention.
 * Partition DDL takes the schema lock, so instances sharing a database take turns.
 */
import type { Database } from './database.js';
import { SCHEMA_LOCK } from './migrations.js';

export const RECORD_TABLES = ['logs', 'process_logs', 'host_metrics'] as const;
export type RecordTable = (typeof RECORD_TABLES)[number];

const DAY = 86_400_000;

/** `logs_p20251201`: the partition of `table` holding the UTC day of `dayStart`. */
export function partitionName(table: RecordTable, dayStart: number): string {
  return `${table}_p${new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export function dayOf(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

export class Partitions {
  private readonly known = new Set<string>();

  constructor(private readonly db: Database) {}

  /** Forgets what it knew (another instance may have dropped partitions): the next `ensure` asks the database. */
  forget(): void {
    this.known.clear();
  }

  async ensure(table: RecordTable, days: Iterable<number>): Promise<void> {
    const missing = [...days].filter((d) => !this.known.has(partitionName(table, d)));
    if (missing.length === 0) return;
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      for (const d of missing) {
        const name = partitionName(table, d);
        const from = new Date(d).toISOString();
        const to = new Date(d + DAY).toISOString();
        await tx.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}')`);
      }
    });
    for (const d of missing) this.known.add(partitionName(table, d));
  }

  /** The table's partitions with their day, oldest first. */
  async list(table: RecordTable): Promise<{ name: string; day: number }[]> {
    const rows = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 ORDER BY c.relname`,
      [table],
    );
    return rows
      .map((r) => {
        const m = /_p(\d{4})(\d\d)(\d\d)$/.exec(r.name);
        return m === null ? null : { name: r.name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) };
      })
      .filter((p): p is { name: string; day: number } => p !== null);
  }

  /**
   * Drops the partitions of `table` whose whole day is older than `days` before `now`; returns their names.
   */
  async dropOlderThan(table: RecordTable, days: number, now: number): Promise<string[]> {
    const cutoff = dayOf(now) - days * DAY;
    const old = (await this.list(table)).filter((p) => p.day < cutoff);
    if (old.length === 0) return [];
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      for (const p of old) await tx.query(`DROP TABLE IF EXISTS ${p.name}`);
    });
    for (const p of old) this.known.delete(p.name);
    return old.map((p) => p.name);
  }
}
