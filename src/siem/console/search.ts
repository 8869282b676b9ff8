/** Log search: the filters of GET /api/v1/logs, newest first, paged by the same keyset cursor (the same query code). */
import type { FastifyInstance } from 'fastify';
import { SEVERITIES } from '../../schema/record.js';
import { CursorError, searchLogs, type Filters } from '../api/records.js';
import type { Principal } from '../api/auth.js';
import type { ApiDeps } from '../api/server.js';
import { field, FormError, localValue, READERS, sendHtml, timeField, wantsFragment } from './common.js';
import { html, query, when, type Html } from './html.js';
import { layout } from './layout.js';

const TEXT_FILTERS = ['source', 'host', 'user', 'event_type', 'q'] as const;

export function searchFilters(q: unknown): Filters {
  const f: Filters = { limit: 50 };
  for (const name of TEXT_FILTERS) {
    const v = field(q, name);
    if (v !== undefined && v.length > 512) throw new FormError(`${name}: at most 512 characters`);
    if (v !== undefined) f[name] = v;
  }
  f.from = timeField(field(q, 'from'), 'from');
  f.to = timeField(field(q, 'to'), 'to');
  const outcome = field(q, 'outcome');
  if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure') throw new FormError('outcome: success or failure');
  f.outcome = outcome;
  const severity = field(q, 'severity');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) throw new FormError(`severity: one of ${SEVERITIES.join(', ')}`);
  f.severity = severity;
  const limit = field(q, 'limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new FormError('limit: a whole number from 1 to 1000');
    f.limit = n;
  }
  f.cursor = field(q, 'cursor');
  return f;
}

function rawText(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2);
}

async function results(deps: ApiDeps, f: Filters): Promise<Html> {
  let page;
  try {
    page = await searchLogs(deps.db, f);
  } catch (err) {
    if (err instanceof CursorError) throw new FormError('cursor: not one this page made');
    throw err;
  }
  const keep = { from: f.from, to: f.to, source: f.source, host: f.host, user: f.user, event_type: f.event_type, outcome: f.outcome, severity: f.severity, q: f.q, limit: f.limit === 50 ? undefined : f.limit };
  const next = page.next === null ? null : `/logs${query({ ...keep, cursor: page.next })}`;
  return html`<div id="results">
<table id="log-results"><thead><tr><th>Time</th><th>Source</th><th>Event</th><th>Outcome</th><th>Severity</th><th>Host</th><th>User</th><th>Actor → target</th><th>IP</th><th>Record</th></tr></thead>
<tbody>${page.items.map(
    (r) => html`<tr><td class="time">${when(r.time)}</td><td>${r.source}</td><td>${r.event_type}</td><td>${r.outcome}</td><td>${r.severity}</td><td>${r.host}</td><td>${r.user}</td><td>${r.actor}${r.target === null ? null : html` → ${r.target}`}</td><td>${r.ip}</td><td><details><summary>${r.record_id}</summary><pre class="raw">${rawText(r.raw)}</pre></details></td></tr>`,
  )}</tbody></table>
${page.items.length === 0 ? html`<p class="muted" id="no-results">No records match.</p>` : null}
<div class="pager">${f.cursor === undefined ? null : html`<a href="/logs${query(keep)}">Newest</a>`}${next === null ? null : html`<a id="next-page" href="${next}" hx-get="${next}" hx-target="#results" hx-swap="outerHTML" hx-push-url="true">Older records</a>`}</div>
</div>`;
}

function searchPage(f: Filters, body: Html, principal: Principal | null): Html {
  const input = (name: string, label: string, value: string | undefined, type = 'text') => html`<label>${label} <input name="${name}" type="${type}" value="${value ?? ''}"${type === 'datetime-local' ? html` step="1"` : null}></label>`;
  const select = (name: string, label: string, values: readonly string[], value: string | undefined) =>
    html`<label>${label} <select name="${name}"><option value="">any</option>${values.map((v) => html`<option value="${v}" ${v === value ? html`selected` : null}>${v}</option>`)}</select></label>`;
  const form = html`<form class="filters" id="log-search" method="get" action="/logs" hx-get="/logs" hx-target="#results" hx-swap="outerHTML" hx-push-url="true">
${input('from', 'From (UTC)', localValue(f.from), 'datetime-local')}${input('to', 'To (UTC)', localValue(f.to), 'datetime-local')}
${input('source', 'Source', f.source)}${input('host', 'Host', f.host)}${input('user', 'User', f.user)}${input('event_type', 'Event type', f.event_type)}
${select('outcome', 'Outcome', ['success', 'failure'], f.outcome)}${select('severity', 'Severity', SEVERITIES, f.severity)}
${input('q', 'Text in the record', f.q, 'search')}
<label>Rows <select name="limit">${[10, 50, 100, 500].map((n) => html`<option value="${n}" ${n === f.limit ? html`selected` : null}>${n}</option>`)}</select></label>
<button type="submit" class="primary">Search</button>
</form>`;
  return layout({ title: 'Log search', principal, section: 'logs', body: html`${form}${body}` });
}

export async function searchRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/logs', { schema: { hide: true }, config: { consoleRoles: READERS } }, async (req, reply) => {
    const f = searchFilters(req.query);
    const body = await results(deps, f);
    if (wantsFragment(req, 'results')) return sendHtml(reply, body);
    return sendHtml(reply, searchPage(f, body, req.principal));
  });
}
