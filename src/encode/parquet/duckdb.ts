/**
 * DuckDB, for reading: the population file, the validation suite, and tests that check what we write the way
 * users will read it. (Parquet is written by our own encoder, src/encode/parquet/.)
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | undefined;

/** One in-memory DuckDB per process, created on first use (the native library loads only when needed). */
export async function duckdb(): Promise<DuckDBConnection> {
  instance ??= import('@duckdb/node-api').then((m) => m.DuckDBInstance.create(':memory:', { threads: '2' }));
  return (await instance).connect();
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `{name: 'VARCHAR', ...}` as DuckDB's read_json `columns` struct literal. */
export function columnsLiteral(columns: readonly (readonly [string, string])[]): string {
  return `{${columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`;
}

export async function readParquetRows(path: string): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const conn = await duckdb();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)})`);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJS() as Record<string, unknown>[] };
  } finally {
    conn.closeSync();
  }
}
