/**
 * Alerts in the database: raised from rule hits in the same transaction as the records that caused them,
 * deduplicated by rule + grouping values + window (one alert counts the hits, keeps first and last seen and up to
 * EVIDENCE_CAP records as evidence), with a lifecycle (open → acknowledged → closed with a reason → reopened), an
 * assignee and a history. The API and the console read and change them through these functions only.
 */
import type { AlertSeverity } from '../rules/types.js';
import { likeText, type Queryable, type Row } from '../store/database.js';

export const ALERT_STATUSES = ['open', 'acknowledged', 'closed', 'reopened'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Which status may follow which (a closed alert comes back as `reopened`, by hand or by a new hit in its window). */
export const TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  open: ['acknowledged', 'closed'],
  acknowledged: ['open', 'closed'],
  closed: ['reopened'],
  reopened: ['acknowledged', 'closed'],
};

/** Evidence rows kept per alert; the count goes on. */
export const EVIDENCE_CAP = 1000;

/** One record that caused a hit. */
export interface EvidenceRef {
  readonly source: string;
  readonly record_id: string;
  /** Event time, epoch ms. */
  readonly time: number;
}

/** What a rule says about the records of one batch (the detector merges hits of one rule and group first). */
export interface AlertHit {
  readonly rule_id: string;
  readonly rule_title: string;
  readonly severity: AlertSeverity;
  readonly tags: readonly string[];
  /** The grouping values (host and user for detections, the group-by fields for correlations). */
  readonly group: Readonly<Record<string, string>>;
  readonly host: string | null;
  readonly user: string | null;
  /** Hits counted (events for detections, matched events for correlations). */
  readonly count: number;
  /** Event times of the first and last record, epoch ms. */
  readonly first: number;
  readonly last: number;
  readonly evidence: readonly EvidenceRef[];
  /** When the newest of these records reached the service (epoch ms), for the ingest-to-alert latency. */
  readonly received: number;
}

export interface Alert {
  id: string;
  rule_id: string;
  rule_title: string;
  severity: AlertSeverity;
  status: AlertStatus;
  assignee: string | null;
  close_reason: string | null;
  count: number;
  first_seen: string;
  last_seen: string;
  created_at: string;
  updated_at: string;
  group_values: Record<string, string>;
  host: string | null;
  user_name: string | null;
  tags: string[];
}

/** What raising did, per alert (the notifier tells people about `created` and `reopened`). */
export interface Raised {
  readonly alert: Alert;
  readonly action: 'created' | 'updated' | 'reopened';
  readonly received: number;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
export const ALERT_COLUMNS = `id::text AS id, rule_id, rule_title, severity, status, assignee, close_reason, count::float8 AS count, ${ISO('first_seen')}, ${ISO('last_seen')}, ${ISO('created_at')}, ${ISO('updated_at')}, group_values, host, user_name, tags`;

function alertOf(r: Row): Alert {
  return { ...(r as unknown as Alert), count: Number(r.count) };
}

/** The key alerts are deduplicated on beside the rule: the grouping values, in name order. */
export function groupKey(group: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(group).sort().map((k) => [k, group[k]]));
}

/**
 * Raises the hits of one batch, in the batch's transaction: each merges into the alert of its rule and group whose
 * last hit is within `dedupMs` of it (a closed one is reopened), or opens a new one. Hits whose every evidence record
 * is already evidence of that alert (a replayed batch) change nothing.
 */
export async function raiseAlerts(tx: Queryable, hits: readonly AlertHit[], dedupMs: number): Promise<Raised[]> {
  const keyed = hits.map((h) => ({ h, key: groupKey(h.group) })).sort((a, b) => (a.h.rule_id + a.key < b.h.rule_id + b.key ? -1 : a.h.rule_id + a.key > b.h.rule_id + b.key ? 1 : 0));
  const out: Raised[] = [];
  for (const { h, key } of keyed) {
    // Instances writing at once take turns per rule and group (sorted: no two transactions wait on each other).
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${h.rule_id}\u001f${key}`]);
    const [found] = await tx.query<{ id: string; status: AlertStatus; count: number }>(
      `SELECT id::text AS id, status, count::float8 AS count FROM alerts WHERE rule_id = $1 AND group_key = $2 AND last_seen >= $3::timestamptz AND first_seen <= $4::timestamptz ORDER BY last_seen DESC LIMIT 1`,
      [h.rule_id, key, new Date(h.first - dedupMs).toISOString(), new Date(h.last + dedupMs).toISOString()],
    );
    if (found === undefined) {
      const [row] = await tx.query(
        `INSERT INTO alerts (rule_id, rule_title, severity, group_key, group_values, host, user_name, tags, count, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9, $10::timestamptz, $11::timestamptz) RETURNING ${ALERT_COLUMNS}`,
        [h.rule_id, h.rule_title, h.severity, key, JSON.stringify(h.group), h.host, h.user, JSON.stringify(h.tags), h.count, new Date(h.first).toISOString(), new Date(h.last).toISOString()],
      );
      const alert = alertOf(row);
      await addEvidence(tx, alert.id, h.evidence.slice(0, EVIDENCE_CAP));
      await history(tx, alert.id, 'seclog-siem', 'raised', { count: h.count });
      out.push({ alert, action: 'created', received: h.received });
      continue;
    }
    const room = Math.max(0, EVIDENCE_CAP - (await evidenceCount(tx, found.id)));
    const added = await addEvidence(tx, found.id, h.evidence.slice(0, room));
    if (added === 0 && h.evidence.length > 0 && room > 0) continue; // a replay: every record is evidence already
    const reopen = found.status === 'closed';
    const [row] = await tx.query(
      `UPDATE alerts SET count = count + $2, first_seen = least(first_seen, $3::timestamptz), last_seen = greatest(last_seen, $4::timestamptz),
         status = CASE WHEN status = 'closed' THEN 'reopened' ELSE status END, updated_at = now()
       WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
      [found.id, h.count, new Date(h.first).toISOString(), new Date(h.last).toISOString()],
    );
    if (reopen) await history(tx, found.id, 'seclog-siem', 'reopened', { reason: 'new hits', count: h.count });
    out.push({ alert: alertOf(row), action: reopen ? 'reopened' : 'updated', received: h.received });
  }
  return out;
}

async function evidenceCount(tx: Queryable, id: string): Promise<number> {
  const [r] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM alert_evidence WHERE alert_id = $1', [id]);
  return Number(r.n);
}

async function addEvidence(tx: Queryable, id: string, refs: readonly EvidenceRef[]): Promise<number> {
  if (refs.length === 0) return 0;
  const rows = await tx.query(
    `INSERT INTO alert_evidence (alert_id, source, record_id, time)
     SELECT $1, s, r, to_timestamp(t / 1000.0) FROM unnest($2::text[], $3::text[], $4::float8[]) AS u(s, r, t)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [id, refs.map((e) => e.source), refs.map((e) => e.record_id), refs.map((e) => e.time)],
  );
  return rows.length;
}

async function history(tx: Queryable, id: string, actor: string, action: string, details: unknown): Promise<void> {
  await tx.query('INSERT INTO alert_history (alert_id, actor, action, details) VALUES ($1, $2, $3, $4::jsonb)', [id, actor, action, JSON.stringify(details)]);
}

export interface AlertFilters {
  status?: AlertStatus;
  severity?: AlertSeverity;
  rule_id?: string;
  host?: string;
  user?: string;
  assignee?: string;
  /** Text in the rule's title. */
  q?: string;
  /** Last seen at or after / before. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
  /** Each alert with the (source, record id) of its evidence (up to EVIDENCE_CAP): scoring reads these. */
  evidence_ids?: boolean;
}

/** Alerts, most recently seen first, with a keyset cursor (`next`); `null` cursor text when it is not one we made. */
export async function listAlerts(db: Queryable, f: AlertFilters): Promise<{ items: Alert[]; next: string | null } | null> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    clauses.push(sql(`$${params.length}`));
  };
  if (f.status !== undefined) add((p) => `status = ${p}`, f.status);
  if (f.severity !== undefined) add((p) => `severity = ${p}`, f.severity);
  if (f.rule_id !== undefined) add((p) => `rule_id = ${p}`, f.rule_id);
  if (f.host !== undefined) add((p) => `host = ${p}`, f.host);
  if (f.user !== undefined) add((p) => `user_name = ${p}`, f.user);
  if (f.assignee !== undefined) add((p) => `assignee = ${p}`, f.assignee);
  if (f.q !== undefined) add((p) => `rule_title ILIKE ${p}`, likeText(f.q));
  if (f.from !== undefined) add((p) => `last_seen >= ${p}::timestamptz`, f.from);
  if (f.to !== undefined) add((p) => `last_seen < ${p}::timestamptz`, f.to);
  if (f.cursor !== undefined) {
    const c = decodeCursor(f.cursor);
    if (c === null) return null;
    params.push(c[0], c[1]);
    clauses.push(`(last_seen, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  params.push(f.limit + 1);
  const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
  const evidence = f.evidence_ids === true ? `, (SELECT coalesce(json_agg(json_build_array(e.source, e.record_id)), '[]') FROM alert_evidence e WHERE e.alert_id = alerts.id) AS evidence_ids` : '';
  const rows = (await db.query(`SELECT ${ALERT_COLUMNS}${evidence} FROM alerts ${where} ORDER BY last_seen DESC, alerts.id DESC LIMIT $${params.length}`, params)).map(alertOf);
  const more = rows.length > f.limit;
  const items = more ? rows.slice(0, f.limit) : rows;
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? Buffer.from(JSON.stringify([last.last_seen, last.id])).toString('base64url') : null };
}

function decodeCursor(s: string): [string, string] | null {
  try {
    const c: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && !Number.isNaN(Date.parse(c[0])) && typeof c[1] === 'string' && /^\d{1,18}$/.test(c[1])) return [c[0], c[1]];
  } catch {
    // falls through
  }
  return null;
}

export interface EvidenceRecord {
  source: string;
  record_id: string;
  time: string;
  table: 'logs' | 'process_logs' | 'host_metrics' | null;
  event_type: string | null;
  host: string | null;
  user_name: string | null;
  raw: unknown;
}

export interface AlertDetail extends Alert {
  evidence: EvidenceRecord[];
  history: { time: string; actor: string; action: string; details: unknown }[];
}

/** One alert with its evidence (the records themselves, up to `evidenceLimit`, oldest first) and its history. */
export async function getAlert(db: Queryable, id: string, evidenceLimit = 200): Promise<AlertDetail | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id]);
  if (row === undefined) return null;
  const evidence = await db.query<EvidenceRecord & Row>(
    `SELECT e.source, e.record_id, to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
       CASE WHEN l.record_id IS NOT NULL THEN 'logs' WHEN p.record_id IS NOT NULL THEN 'process_logs' WHEN m.record_id IS NOT NULL THEN 'host_metrics' END AS "table",
       l.event_type, coalesce(l.host, p.host, m.host) AS host, coalesce(l.user_name, p.user_name) AS user_name, coalesce(l.raw, p.raw, m.raw) AS raw
     FROM alert_evidence e
     LEFT JOIN logs l ON l.source = e.source AND l.record_id = e.record_id AND l.time = e.time
     LEFT JOIN process_logs p ON l.record_id IS NULL AND p.source = e.source AND p.record_id = e.record_id AND p.time = e.time
     LEFT JOIN host_metrics m ON l.record_id IS NULL AND p.record_id IS NULL AND m.source = e.source AND m.record_id = e.record_id AND m.time = e.time
     WHERE e.alert_id = $1 ORDER BY e.time, e.source, e.record_id LIMIT $2`,
    [id, evidenceLimit],
  );
  const hist = await db.query<{ time: string; actor: string; action: string; details: unknown } & Row>(
    `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, actor, action, details FROM alert_history WHERE alert_id = $1 ORDER BY time, id`,
    [id],
  );
  return { ...alertOf(row), evidence, history: hist };
}

export interface AlertChange {
  status?: AlertStatus;
  /** Someone's user name; null unassigns. */
  assignee?: string | null;
  /** Required when closing. */
  close_reason?: string;
}

export type ChangeResult = { id: string; ok: true; alert: Alert } | { id: string; ok: false; error: 'not_found' | 'conflict'; message: string };

/** Changes alerts' status and assignee, each checked against TRANSITIONS, with a history row per change. */
export async function updateAlerts(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, ids: readonly string[], change: AlertChange, actor: string): Promise<ChangeResult[]> {
  return db.transaction(async (tx) => {
    const out: ChangeResult[] = [];
    for (const id of ids) {
      const [row] = /^\d{1,18}$/.test(id) ? await tx.query<{ status: AlertStatus; assignee: string | null }>('SELECT status, assignee FROM alerts WHERE id = $1 FOR UPDATE', [id]) : [];
      if (row === undefined) {
        out.push({ id, ok: false, error: 'not_found', message: `no alert ${id}` });
        continue;
      }
      const to = change.status;
      if (to !== undefined && to !== row.status && !TRANSITIONS[row.status].includes(to)) {
        out.push({ id, ok: false, error: 'conflict', message: `alert ${id} is ${row.status}: it can become ${TRANSITIONS[row.status].join(' or ')}, not ${to}` });
        continue;
      }
      const sets: string[] = ['updated_at = now()'];
      const params: unknown[] = [id];
      const details: Record<string, unknown> = {};
      if (to !== undefined && to !== row.status) {
        params.push(to);
        sets.push(`status = $${params.length}`);
        params.push(to === 'closed' ? (change.close_reason ?? null) : null);
        sets.push(`close_reason = $${params.length}`);
        details.from = row.status;
        details.to = to;
        if (to === 'closed') details.reason = change.close_reason;
      }
      if (change.assignee !== undefined && change.assignee !== row.assignee) {
        params.push(change.assignee);
        sets.push(`assignee = $${params.length}`);
        details.assignee = change.assignee;
      }
      const [updated] = await tx.query(`UPDATE alerts SET ${sets.join(', ')} WHERE id = $1 RETURNING ${ALERT_COLUMNS}`, params);
      if (Object.keys(details).length > 0) await history(tx, id, actor, details.to !== undefined ? String(details.to) : 'assigned', details);
      out.push({ id, ok: true, alert: alertOf(updated) });
    }
    return out;
  });
}
