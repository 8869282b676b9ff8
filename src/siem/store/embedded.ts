/**
 * The embedded default: PostgreSQL compiled to WebAssembly (PGlite), its files in a data folder. The same SQL and
 * migrations as a server; one connection, so queries and ingest take turns.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, Row } from './database.js';

function on(db: PGlite | Transaction): Queryable {
  return {
    async query<T extends Row>(sql: string, params?: readonly unknown[]) {
      const r = await db.query<T>(sql, params as unknown[] | undefined);
      return r.rows;
    },
    async copyIn(table, columns, data) {
      await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([data]) });
    },
  };
}

export async function openEmbedded(dir: string): Promise<Database> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const direct = on(db);
  return {
    kind: 'embedded',
    query: direct.query,
    copyIn: direct.copyIn,
    transaction: (fn) => db.transaction((tx) => fn(on(tx))),
    ping: async () => !db.closed,
    close: () => db.close(),
  };
}
