/**
 * Parquet through DuckDB: JSONL bytes are read with an explicit column schema (no type inference) and copied to a
 * Parquet file. This is the fastest writer measured for our record shapes, and DuckDB is also what users query the
 * output with, so what we write is what they read.
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

export interface ParquetOptions {
  compression?: 'zstd' | 'snappy' | 'uncompressed';
  rowGroupSize?: number;
}

/** Converts a JSONL file (optionally gzip) with the given columns into a Parquet file at `target`. */
export async function jsonlToParquet(source: string, columns: readonly (readonly [string, string])[], target: string, options: ParquetOptions = {}): Promise<void> {
  const conn = await duckdb();
  try {
    const rowGroup = options.rowGroupSize ? `, ROW_GROUP_SIZE ${options.rowGroupSize}` : '';
    await conn.run(
      `COPY (SELECT * FROM read_json(${sqlString(source)}, format = 'newline_delimited', columns = ${columnsLiteral(columns)})) ` +
        `TO ${sqlString(target)} (FORMAT parquet, COMPRESSION ${options.compression ?? 'zstd'}${rowGroup})`,
    );
  } finally {
    conn.closeSync();
  }
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
