/**
 * The SIEM's one view of its database: queries, transactions and COPY, on a PostgreSQL server (`pg`) or on the
 * embedded PostgreSQL (PGlite) that runs the same SQL and migrations in a data folder.
 */

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** `COPY <table> (<columns>) FROM STDIN` with `data` in COPY's binary format. */
  copyIn(table: string, columns: readonly string[], data: Buffer): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `fn` in one transaction (BEGIN … COMMIT; ROLLBACK when it throws) on one connection. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Whether the server answers now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** `%text%` for ILIKE, the user's `%`, `_` and `\` matched literally. */
export function likeText(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQLSTATE codes and messages of errors the service handles; everything else is reported without its SQL. */
export function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
}
