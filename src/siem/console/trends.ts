/**
 * Trends as inline SVG: events per source per interval (the API's trends query), alerts by severity per day (a query
 * of its own: the alert store has none), CPU and memory per host. The range ends at `to`, else at the newest record
 * (a backfill of past days shows its own days), and spans `hours`.
 */
import type { FastifyInstance } from 'fastify';
import { trends, type CountTrend, type MetricTrend } from '../api/records.js';
import type { ApiDeps } from '../api/server.js';
import type { Queryable } from '../store/database.js';
import { ALERT_SEVERITIES } from '../rules/types.js';
import { lineChart, stackedBars, type Series } from './charts.js';
import { field, FormError, localValue, READERS, sendHtml, timeField } from './common.js';
import { html, when } from './html.js';
import { layout } from './layout.js';

const RANGES = [1, 6, 24, 72, 168] as const;
const STEP = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const SEVERITY_COLOURS: Record<string, string> = { LOW: '#9db4d3', MEDIUM: '#f2c94c', HIGH: '#d9480f', CRITICAL: '#7a1010' };
const MAX_HOSTS = 10;

/** Bucket starts from `from` to `to` (UTC, truncated like date_trunc), as the API writes them. */
function buckets(from: number, to: number, interval: keyof typeof STEP): string[] {
  const step = STEP[interval];
  const out: string[] = [];
  for (let t = Math.floor(from / step) * step; t < to && out.length < 2000; t += step) out.push(new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'));
  return out;
}

function countSeries(items: CountTrend[], all: string[]): Series[] {
  const index = new Map(all.map((b, i) => [b, i]));
  const by = new Map<string, number[]>();
  for (const it of items) {
    const key = it.key ?? '(none)';
    if (!by.has(key)) by.set(key, all.map(() => 0));
    const i = index.get(it.bucket);
    if (i !== undefined) by.get(key)![i] += it.count;
  }
  return [...by.entries()].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0)).map(([name, values]) => ({ name, values }));
}

function metricSeries(items: MetricTrend[], all: string[]): { series: Series[]; hidden: number } {
  const index = new Map(all.map((b, i) => [b, i]));
  const by = new Map<string, (number | null)[]>();
  const peak = new Map<string, number>();
  for (const it of items) {
    const host = it.host ?? '(none)';
    if (!by.has(host)) by.set(host, all.map(() => null));
    const i = index.get(it.bucket);
    if (i !== undefined) by.get(host)![i] = it.avg * 100;
    peak.set(host, Math.max(peak.get(host) ?? 0, it.max));
  }
  const hosts = [...by.keys()].sort((a, b) => (peak.get(b) ?? 0) - (peak.get(a) ?? 0));
  return { series: hosts.slice(0, MAX_HOSTS).map((h) => ({ name: h, values: by.get(h)! })), hidden: Math.max(0, hosts.length - MAX_HOSTS) };
}

async function alertsBySeverity(db: Queryable, from: string, to: string): Promise<{ bucket: string; severity: string; count: number }[]> {
  const rows = await db.query<{ bucket: string; severity: string; count: string | number }>(
    `SELECT to_char(date_trunc('day', first_seen AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket, severity, count(*) AS count
     FROM alerts WHERE first_seen >= $1::timestamptz AND first_seen < $2::timestamptz GROUP BY 1, 2 ORDER BY 1, 2`,
    [from, to],
  );
  return rows.map((r) => ({ bucket: r.bucket, severity: r.severity, count: Number(r.count) }));
}

export async function trendRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db } = deps;
  app.get('/trends', { schema: { hide: true }, config: { consoleRoles: READERS } }, async (req, reply) => {
    const hours = Number(field(req.query, 'hours') ?? 24);
    if (!(RANGES as readonly number[]).includes(hours)) throw new FormError(`hours: one of ${RANGES.join(', ')}`);
    const interval = (field(req.query, 'interval') ?? 'hour') as keyof typeof STEP;
    if (!Object.hasOwn(STEP, interval)) throw new FormError('interval: minute, hour or day');
    let to = timeField(field(req.query, 'to'), 'to');
    if (to === undefined) {
      const [row] = await db.query<{ newest: string | null }>(`SELECT to_char(max(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS newest FROM logs`);
      const newest = row?.newest === null || row?.newest === undefined ? Date.now() : Math.min(Date.now(), Date.parse(row.newest));
      // The end of the newest record's interval, so that it is counted.
      to = new Date(Math.floor(newest / STEP[interval]) * STEP[interval] + STEP[interval]).toISOString();
    }
    const toMs = Date.parse(to);
    const from = new Date(toMs - hours * 3_600_000).toISOString();
    const all = buckets(Date.parse(from), toMs, interval);
    const limit = 10_000;
    const [events, cpu, memory] = [
      (await trends(db, { by: 'source', interval, from, to, limit })).items as CountTrend[],
      (await trends(db, { by: 'cpu', interval, from, to, limit })).items as MetricTrend[],
      (await trends(db, { by: 'memory', interval, from, to, limit })).items as MetricTrend[],
    ];
    // Alerts per day over at least a week ending at the range's end.
    const days = Math.max(7, Math.ceil(hours / 24));
    const dayEnd = Math.ceil(toMs / STEP.day) * STEP.day;
    const alertFrom = dayEnd - days * STEP.day;
    const alertDays = buckets(alertFrom, dayEnd, 'day');
    const bySeverity = await alertsBySeverity(db, new Date(alertFrom).toISOString(), new Date(dayEnd).toISOString());
    const dayIndex = new Map(alertDays.map((b, i) => [b, i]));
    const severitySeries: Series[] = ALERT_SEVERITIES.map((s) => {
      const values = alertDays.map(() => 0);
      for (const r of bySeverity) if (r.severity === s && dayIndex.has(r.bucket)) values[dayIndex.get(r.bucket)!] += r.count;
      return { name: s, values, color: SEVERITY_COLOURS[s] };
    });
    const pct = (v: number) => `${Math.round(v)}%`;
    const cpuSeries = metricSeries(cpu, all);
    const memSeries = metricSeries(memory, all);
    const form = html`<form class="filters" method="get" action="/trends" id="trend-range">
<label>Span <select name="hours">${RANGES.map((h) => html`<option value="${h}" ${h === hours ? html`selected` : null}>${h < 24 ? `${h} h` : `${h / 24} d`}</option>`)}</select></label>
<label>Interval <select name="interval">${Object.keys(STEP).map((i) => html`<option value="${i}" ${i === interval ? html`selected` : null}>${i}</option>`)}</select></label>
<label>Ending (UTC) <input type="datetime-local" step="1" name="to" value="${field(req.query, 'to') === undefined ? '' : localValue(to)}"></label>
<button type="submit">Show</button></form>
<p class="muted">From ${when(from)} to ${when(to)}.</p>`;
    const body = html`${form}
<section id="chart-events">${lineChart({ title: `Events per source per ${interval}`, buckets: all, series: countSeries(events, all) })}</section>
<section id="chart-alerts">${stackedBars({ title: 'Alerts by severity per day (first seen)', buckets: alertDays, series: severitySeries })}</section>
<section id="chart-cpu">${lineChart({ title: `CPU in use per host (average per ${interval})`, buckets: all, series: cpuSeries.series, format: pct, max: 100 })}${cpuSeries.hidden > 0 ? html`<p class="muted">${cpuSeries.hidden} more hosts not drawn (the ${MAX_HOSTS} with the highest peaks are).</p>` : null}</section>
<section id="chart-memory">${lineChart({ title: `Memory in use per host (average per ${interval})`, buckets: all, series: memSeries.series, format: pct, max: 100 })}${memSeries.hidden > 0 ? html`<p class="muted">${memSeries.hidden} more hosts not drawn.</p>` : null}</section>`;
    return sendHtml(reply, layout({ title: 'Trends', principal: req.principal, section: 'trends', body }));
  });
}
