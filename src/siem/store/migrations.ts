/**
 * The schema, as numbered migrations applied in order and recorded in `schema_migrations`. A migration is never
 * edited once released: changes are new migrations. Several instances starting at once take turns (an advisory lock).
 */
import type { Database } from './database.js';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

/** Columns every record table shares, then each table's own. Record tables are range-partitioned by day on time. */
const RECORD_KEY = `time timestamptz NOT NULL,
  source text NOT NULL,
  record_id text NOT NULL`;
const RECORD_TAIL = `raw jsonb NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, record_id, time)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'records, users, audit',
    sql: `
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE logs (
  ${RECORD_KEY},
  event_type text,
  outcome text,
  severity text NOT NULL,
  actor text,
  target text,
  host text,
  user_name text,
  ip text,
  user_agent text,
  session_id text,
  tenant_id text,
  host_owner text,
  host_criticality text,
  ${RECORD_TAIL}
) PARTITION BY RANGE (time);
CREATE INDEX logs_time ON logs (time);
CREATE INDEX logs_host ON logs (host, time);
CREATE INDEX logs_user ON logs (user_name, time);
CREATE INDEX logs_event_type ON logs (event_type, time);

CREATE TABLE process_logs (
  ${RECORD_KEY},
  host text,
  user_name text,
  pid bigint,
  ppid bigint,
  process_name text,
  executable text,
  command_line text,
  parent_name text,
  host_owner text,
  host_criticality text,
  ${RECORD_TAIL}
) PARTITION BY RANGE (time);
CREATE INDEX process_logs_time ON process_logs (time);
CREATE INDEX process_logs_host ON process_logs (host, time);
CREATE INDEX process_logs_user ON process_logs (user_name, time);
CREATE INDEX process_logs_name ON process_logs (process_name, time);

CREATE TABLE host_metrics (
  ${RECORD_KEY},
  host text,
  metricset text NOT NULL,
  cpu_pct double precision,
  memory_pct double precision,
  ${RECORD_TAIL}
) PARTITION BY RANGE (time);
CREATE INDEX host_metrics_host ON host_metrics (host, time);
CREATE INDEX host_metrics_time ON host_metrics (time);

CREATE TABLE users (
  username text PRIMARY KEY,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  time timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  details jsonb,
  ip text
);
CREATE INDEX audit_log_time ON audit_log (time);

CREATE TABLE input_files (
  path text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    id: 2,
    name: 'rules, alerts',
    sql: `
CREATE TABLE rules (
  id text PRIMARY KEY,
  title text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('detection', 'correlation', 'threshold', 'process')),
  level text NOT NULL,
  tags jsonb NOT NULL DEFAULT '[]',
  enabled boolean NOT NULL DEFAULT true,
  yaml text NOT NULL,
  origin text NOT NULL,
  edited boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  rule_id text NOT NULL,
  rule_title text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
  group_key text NOT NULL,
  group_values jsonb NOT NULL,
  host text,
  user_name text,
  tags jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed', 'reopened')),
  assignee text,
  close_reason text,
  count bigint NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_dedup ON alerts (rule_id, group_key, last_seen);
CREATE INDEX alerts_queue ON alerts (status, last_seen);
CREATE INDEX alerts_last_seen ON alerts (last_seen);

CREATE TABLE alert_evidence (
  alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  source text NOT NULL,
  record_id text NOT NULL,
  time timestamptz NOT NULL,
  PRIMARY KEY (alert_id, source, record_id)
);
CREATE INDEX alert_evidence_record ON alert_evidence (source, record_id);

CREATE TABLE alert_history (
  id bigserial PRIMARY KEY,
  alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  time timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  details jsonb
);
CREATE INDEX alert_history_alert ON alert_history (alert_id, time);
`,
  },
];

/** Lock id for migrations and partition DDL (any constant both instances agree on). */
export const SCHEMA_LOCK = 0x5ec106;

/** Applies the migrations not yet applied; returns their ids. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => Number(r.id)));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      for (const statement of m.sql.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s !== '')) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
    }
    return applied;
  });
}
