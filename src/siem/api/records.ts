/**
 * Searching what was ingested: `/logs` and `/process-logs` (newest first, keyset cursors that stay stable while
 * records arrive), and `/trends` (counts per interval by source, event type or outcome; CPU and memory per host).
 * The queries are exported (searchLogs, searchProcessLogs, trends): the console calls them too.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NORMALISED_FIELDS, SEVERITIES } from '../../schema/record.js';
import { likeText, type Queryable, type Row } from '../store/database.js';
import { columnOf } from '../store/writer.js';
import type { ApiDeps } from './server.js';
import { ALL_ROLES, SECURITY } from './server.js';

const TIME = { type: 'string', format: 'date-time' } as const;
const TEXT = { type: 'string', minLength: 1, maxLength: 512 } as const;
const COMMON_FILTERS = {
  from: TIME,
  to: TIME,
  source: TEXT,
  host: TEXT,
  user: TEXT,
  q: TEXT,
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  cursor: { type: 'string', minLength: 1, maxLength: 1024 },
} as const;

export interface Filters {
  from?: string;
  to?: string;
  source?: string;
  host?: string;
  user?: string;
  q?: string;
  limit: number;
  cursor?: string;
  event_type?: string;
  outcome?: string;
  severity?: string;
  process?: string;
}

class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  add(sql: (p: string) => string, value: unknown): void {
    this.params.push(value);
    this.clauses.push(sql(`$${this.params.length}`));
  }
  toString(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

type Cursor = [time: string, source: string, id: string];

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor | null {
  try {
    const c: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(c) && c.length === 3 && c.every((v) => typeof v === 'string') && !Number.isNaN(Date.parse(c[0] as string))) return c as Cursor;
  } catch {
    // falls through
  }
  return null;
}

const badCursor = (reply: FastifyReply) => reply.code(400).send({ error: 'bad_request', message: 'querystring.cursor: not a cursor this API returned' });

/** A cursor this API did not return. */
export class CursorError extends Error {
  constructor() {
    super('querystring.cursor: not a cursor this API returned');
  }
}

const TIME_TEXT = `to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time`;

function filtersOf(f: Filters, where: Where, columns: { host: string; user: string; q: string }): void {
  if (f.from !== undefined) where.add((p) => `time >= ${p}::timestamptz`, f.from);
  if (f.to !== undefined) where.add((p) => `time < ${p}::timestamptz`, f.to);
  if (f.source !== undefined) where.add((p) => `source = ${p}`, f.source);
  if (f.host !== undefined) where.add((p) => `${columns.host} = ${p}`, f.host);
  if (f.user !== undefined) where.add((p) => `${columns.user} = ${p}`, f.user);
  if (f.q !== undefined) where.add((p) => `${columns.q} ILIKE ${p}`, likeText(f.q));
}

export interface Page<T = Row> {
  items: T[];
  next: string | null;
}

/** One page, newest first, after the cursor; throws CursorError for a cursor this API did not return. */
async function page(db: Queryable, table: string, select: string, f: Filters, where: Where): Promise<Page> {
  if (f.cursor !== undefined) {
    const c = decodeCursor(f.cursor);
    if (c === null) throw new CursorError();
    where.params.push(c[0], c[1], c[2]);
    const n = where.params.length;
    where.clauses.push(`(time, source, record_id) < ($${n - 2}::timestamptz, $${n - 1}, $${n})`);
  }
  where.params.push(f.limit + 1);
  const rows = await db.query(`SELECT ${TIME_TEXT}, ${select} FROM ${table} ${where} ORDER BY time DESC, source DESC, record_id DESC LIMIT $${where.params.length}`, where.params);
  const more = rows.length > f.limit;
  const items = more ? rows.slice(0, f.limit) : rows;
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? encodeCursor([last.time as string, last.source as string, last.record_id as string]) : null };
}

const LOG_COLUMNS = ['source', 'record_id', ...NORMALISED_FIELDS.map((f) => (f === 'user' ? 'user_name AS "user"' : columnOf(f))), 'severity', 'host_owner', 'host_criticality', 'raw'].join(', ');
const PROCESS_COLUMNS = 'source, record_id, host, user_name AS "user", pid, ppid, process_name, executable, command_line, parent_name, host_owner, host_criticality, raw';

/** `GET /logs`: log records matching the filters (`q`: text anywhere in the record), newest first. */
export async function searchLogs(db: Queryable, f: Filters): Promise<Page> {
  const where = new Where();
  filtersOf(f, where, { host: 'host', user: 'user_name', q: 'raw::text' });
  if (f.event_type !== undefined) where.add((p) => `event_type = ${p}`, f.event_type);
  if (f.outcome !== undefined) where.add((p) => `outcome = ${p}`, f.outcome);
  if (f.severity !== undefined) where.add((p) => `severity = ${p}`, f.severity);
  return page(db, 'logs', LOG_COLUMNS, f, where);
}

/** `GET /process-logs`: process records matching the filters (`q`: text in the command line), newest first. */
export async function searchProcessLogs(db: Queryable, f: Filters): Promise<Page> {
  const where = new Where();
  filtersOf(f, where, { host: 'host', user: 'user_name', q: 'command_line' });
  if (f.process !== undefined) where.add((p) => `process_name = ${p}`, f.process);
  return page(db, 'process_logs', PROCESS_COLUMNS, f, where);
}

export const TREND_INTERVALS = { minute: 'minute', hour: 'hour', day: 'day' } as const;
export interface TrendQuery {
  from?: string;
  to?: string;
  interval: keyof typeof TREND_INTERVALS;
  by: 'source' | 'event_type' | 'outcome' | 'cpu' | 'memory';
  source?: string;
  host?: string;
  limit: number;
}
export type CountTrend = { bucket: string; key: string; count: number };
export type MetricTrend = { bucket: string; host: string; avg: number; max: number };

/** `GET /trends`: counts per interval and key, or average and peak CPU or memory per interval and host. */
export async function trends(db: Queryable, f: TrendQuery): Promise<{ items: CountTrend[] | MetricTrend[] }> {
  const where = new Where();
  if (f.from !== undefined) where.add((p) => `time >= ${p}::timestamptz`, f.from);
  if (f.to !== undefined) where.add((p) => `time < ${p}::timestamptz`, f.to);
  if (f.source !== undefined) where.add((p) => `source = ${p}`, f.source);
  if (f.host !== undefined) where.add((p) => `host = ${p}`, f.host);
  const bucket = `to_char(date_trunc('${TREND_INTERVALS[f.interval]}', time AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  where.params.push(f.limit);
  const limit = `$${where.params.length}`;
  if (f.by === 'cpu' || f.by === 'memory') {
    const column = f.by === 'cpu' ? 'cpu_pct' : 'memory_pct';
    const metricWhere = where.clauses.length === 0 ? `WHERE ${column} IS NOT NULL` : `${where} AND ${column} IS NOT NULL`;
    const rows = await db.query(`SELECT ${bucket} AS bucket, host, avg(${column}) AS avg, max(${column}) AS max FROM host_metrics ${metricWhere} GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${limit}`, where.params);
    return { items: rows.map((r) => ({ bucket: r.bucket as string, host: r.host as string, avg: Number(r.avg), max: Number(r.max) })) };
  }
  const rows = await db.query(`SELECT ${bucket} AS bucket, ${f.by} AS key, count(*) AS count FROM logs ${where} GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ${limit}`, where.params);
  return { items: rows.map((r) => ({ bucket: r.bucket as string, key: r.key as string, count: Number(r.count) })) };
}

export async function recordRoutes(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db } = deps;

  api.get<{ Querystring: Filters }>(
    '/logs',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Search log records, newest first',
        security: SECURITY,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...COMMON_FILTERS, event_type: TEXT, outcome: { type: 'string', enum: ['success', 'failure'] }, severity: { type: 'string', enum: [...SEVERITIES] } },
        },
      },
    },
    async (req, reply) => searchLogs(db, req.query).catch((err: unknown) => (err instanceof CursorError ? badCursor(reply) : Promise.reject(err))),
  );

  api.get<{ Querystring: Filters }>(
    '/process-logs',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Search process records (Sysmon 1, Windows 4688, auditd EXECVE, process snapshots), newest first',
        security: SECURITY,
        querystring: { type: 'object', additionalProperties: false, properties: { ...COMMON_FILTERS, process: TEXT } },
      },
    },
    async (req, reply) => searchProcessLogs(db, req.query).catch((err: unknown) => (err instanceof CursorError ? badCursor(reply) : Promise.reject(err))),
  );

  api.get<{ Querystring: TrendQuery }>(
    '/trends',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Counts per interval by source, event type or outcome; or average and peak CPU or memory per host',
        security: SECURITY,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: TIME,
            to: TIME,
            interval: { type: 'string', enum: Object.keys(TREND_INTERVALS), default: 'hour' },
            by: { type: 'string', enum: ['source', 'event_type', 'outcome', 'cpu', 'memory'], default: 'source' },
            source: TEXT,
            host: TEXT,
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
          },
        },
      },
    },
    async (req) => trends(db, req.query),
  );
}
