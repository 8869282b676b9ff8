/**
 * The alert queue (filters, per-row acknowledge / close with a reason / reopen / assign, bulk acknowledge) and one
 * alert (its fields, history, evidence records, and the timeline of its host and user across sources: with a
 * directory, of the person behind the user under every name they have, and of their workstation).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { audit } from '../api/auth.js';
import type { ApiDeps } from '../api/server.js';
import { ALERT_STATUSES, getAlert, listAlerts, updateAlerts, type Alert, type AlertChange, type AlertFilters, type AlertStatus, type ChangeResult } from '../alerts/store.js';
import type { Queryable } from '../store/database.js';
import { ALERT_SEVERITIES, type AlertSeverity } from '../rules/types.js';
import { ALERT_EDITORS, canEditAlerts, currentQuery, field, fields, FormError, isHtmx, promptOr, READERS, sendHtml, wantsFragment } from './common.js';
import { html, query, when, type Html } from './html.js';
import { errorPage, layout } from './layout.js';
import type { Principal } from '../api/auth.js';
import type { Directory } from '../enrich/directory.js';
import type { Inventory } from '../enrich/inventory.js';
import type { DirectoryPerson } from '../../schema/record.js';

const PAGE = 50;

/** Queue filters from a query string (a request's, or the page's an htmx change came from). */
function filtersOf(q: unknown): AlertFilters {
  const status = field(q, 'status');
  const severity = field(q, 'severity');
  if (status !== undefined && !(ALERT_STATUSES as readonly string[]).includes(status)) throw new FormError(`status: one of ${ALERT_STATUSES.join(', ')}`);
  if (severity !== undefined && !(ALERT_SEVERITIES as readonly string[]).includes(severity)) throw new FormError(`severity: one of ${ALERT_SEVERITIES.join(', ')}`);
  const text = (name: string) => {
    const v = field(q, name);
    if (v !== undefined && v.length > 512) throw new FormError(`${name}: at most 512 characters`);
    return v;
  };
  return { status: status as AlertStatus | undefined, severity: severity as AlertSeverity | undefined, rule_id: text('rule'), host: text('host'), user: text('user'), q: text('q'), limit: PAGE, cursor: text('cursor') };
}

const sev = (s: string) => html`<span class="sev sev-${s}">${s}</span>`;
const status = (s: string) => html`<span class="status status-${s}">${s}</span>`;

function actions(a: Alert, p: Principal | null): Html | null {
  if (!canEditAlerts(p)) return null;
  const button = (action: string, label: string, extra: Html | null = null) =>
    html`<button type="button" class="act-${action}" hx-post="/alerts/${a.id}/action" hx-vals="${JSON.stringify({ action })}" hx-target="closest tr" hx-swap="outerHTML" ${extra}>${label}</button>`;
  return html`${a.status === 'open' || a.status === 'reopened' ? button('acknowledge', 'Acknowledge') : null}
${a.status !== 'closed' ? button('close', 'Close…', html`hx-prompt="Reason for closing alert ${a.id}"`) : button('reopen', 'Reopen')}
${button('assign', 'Assign…', html`hx-prompt="Assign alert ${a.id} to (user name; empty: unassign)"`)}`;
}

export function alertRow(a: Alert, p: Principal | null): Html {
  return html`<tr id="alert-${a.id}" data-status="${a.status}">
${canEditAlerts(p) ? html`<td><input type="checkbox" name="id" value="${a.id}" aria-label="select alert ${a.id}"></td>` : null}
<td>${sev(a.severity)}</td>
<td><a href="/alerts/${a.id}">${a.rule_title}</a><div class="muted">${a.rule_id}</div></td>
<td>${status(a.status)}${a.close_reason === null ? null : html`<div class="muted">${a.close_reason}</div>`}</td>
<td>${a.host}</td><td>${a.user_name}</td>
<td class="num">${a.count}</td>
<td class="time">${when(a.first_seen)}</td><td class="time">${when(a.last_seen)}</td>
<td>${a.assignee}</td>
${canEditAlerts(p) ? html`<td class="row-actions">${actions(a, p)}</td>` : null}
</tr>`;
}

async function queue(db: Queryable, f: AlertFilters, p: Principal | null): Promise<Html> {
  const page = await listAlerts(db, f);
  if (page === null) throw new FormError('cursor: not one this page made');
  const edit = canEditAlerts(p);
  const keep = { status: f.status, severity: f.severity, rule: f.rule_id, host: f.host, user: f.user, q: f.q };
  return html`<div id="queue">
<form id="bulk" method="post" action="/alerts/bulk" hx-post="/alerts/bulk" hx-target="#queue" hx-swap="outerHTML">
${edit ? html`<div class="actions"><input type="hidden" name="action" value="acknowledge"><button type="submit" id="bulk-acknowledge">Acknowledge selected</button></div>` : null}
<table class="alerts">
<thead><tr>${edit ? html`<th></th>` : null}<th>Severity</th><th>Rule</th><th>Status</th><th>Host</th><th>User</th><th>Count</th><th>First seen</th><th>Last seen</th><th>Assignee</th>${edit ? html`<th></th>` : null}</tr></thead>
<tbody>${page.items.map((a) => alertRow(a, p))}</tbody>
</table>
</form>
${page.items.length === 0 ? html`<p class="muted" id="no-alerts">No alerts match.</p>` : null}
<div class="pager">${f.cursor === undefined ? null : html`<a href="/alerts${query(keep)}">Newest</a>`}${page.next === null ? null : html`<a href="/alerts${query({ ...keep, cursor: page.next })}" hx-get="/alerts${query({ ...keep, cursor: page.next })}" hx-target="#queue" hx-swap="outerHTML" hx-push-url="true" id="next-page">Older alerts</a>`}</div>
</div>`;
}

function queuePage(f: AlertFilters, p: Principal | null, table: Html, flash?: { kind: 'ok' | 'error'; text: string }): Html {
  const option = (value: string, selected: string | undefined) => html`<option value="${value}" ${value === selected ? html`selected` : null}>${value}</option>`;
  const filters = html`<form class="filters" method="get" action="/alerts" hx-get="/alerts" hx-target="#queue" hx-swap="outerHTML" hx-push-url="true">
<label>Status <select name="status"><option value="">any</option>${ALERT_STATUSES.map((s) => option(s, f.status))}</select></label>
<label>Severity <select name="severity"><option value="">any</option>${ALERT_SEVERITIES.map((s) => option(s, f.severity))}</select></label>
<label>Rule id <input name="rule" value="${f.rule_id ?? ''}"></label>
<label>Host <input name="host" value="${f.host ?? ''}"></label>
<label>User <input name="user" value="${f.user ?? ''}"></label>
<label>Text in title <input name="q" value="${f.q ?? ''}" type="search"></label>
<button type="submit" class="primary">Filter</button>
</form>`;
  return layout({ title: 'Alerts', principal: p, section: 'alerts', body: html`${filters}${table}`, flash });
}

/**
 * Whose records an alert's timeline gathers: its host and user, and when the directory knows the person behind the
 * user (or behind the host, a person's workstation by the directory or the inventory), every account name that person
 * appears under and their workstation.
 */
export interface TimelineScope {
  readonly person: DirectoryPerson | null;
  readonly hosts: readonly string[];
  readonly users: readonly string[];
}

export function timelineScope(a: Alert, directory?: Directory, inventory?: Inventory): TimelineScope {
  const owner = () => {
    const byDirectory = directory?.ownerOf(a.host);
    if (byDirectory !== undefined) return byDirectory;
    const host = inventory?.lookup(a.host);
    return host?.kind === 'workstation' ? directory?.lookup(host.owner) : undefined;
  };
  const person = directory?.lookup(a.user_name) ?? owner() ?? null;
  const hosts = [a.host, person?.workstation ?? null].filter((h): h is string => h !== null);
  const users = [a.user_name, ...(person?.accounts ?? [])].filter((u): u is string => u !== null);
  return { person, hosts, users };
}

/** Names as stored and lower-cased (the stored columns keep the sources' case; their indexes are exact). */
const spellings = (names: readonly string[]) => [...new Set(names.flatMap((n) => [n, n.toLowerCase()]))];

/**
 * The timeline around an alert: log and process records of its scope's hosts or users, ±1 h, newest first. A person's
 * CloudTrail SSO sessions are stored under their role's name: those are found by the session name (the e-mail) that
 * ends the assumed role's ARN.
 */
export async function timeline(db: Queryable, a: Alert, scope: TimelineScope = timelineScope(a), limit = 200): Promise<{ time: string; source: string; record_id: string; kind: string; what: string | null; host: string | null; user_name: string | null; outcome: string | null; detail: string | null }[]> {
  if (scope.hosts.length === 0 && scope.users.length === 0) return [];
  const from = new Date(Date.parse(a.first_seen) - 3600_000).toISOString();
  const to = new Date(Date.parse(a.last_seen) + 3600_000).toISOString();
  const sessions = scope.person === null ? [] : spellings(scope.person.accounts.filter((n) => n.includes('@'))).filter((n) => n === n.toLowerCase());
  const match = '(host = ANY($3::text[]) OR user_name = ANY($4::text[]))';
  const sso = "(source = 'cloudtrail' AND cardinality($6::text[]) > 0 AND actor LIKE 'arn:aws:sts::%:assumed-role/%' AND lower(substring(actor from '[^/]+$')) = ANY($6::text[]))";
  return db.query(
    `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, source, record_id, kind, what, host, user_name, outcome, detail FROM (
       SELECT time, source, record_id, 'log' AS kind, event_type AS what, host, user_name, outcome, coalesce(actor || ' → ' || target, actor, target, ip) AS detail
       FROM logs WHERE time >= $1::timestamptz AND time <= $2::timestamptz AND (${match} OR ${sso})
       UNION ALL
       SELECT time, source, record_id, 'process', process_name, host, user_name, NULL, command_line
       FROM process_logs WHERE time >= $1::timestamptz AND time <= $2::timestamptz AND ${match}
     ) t ORDER BY t.time DESC, source DESC, record_id DESC LIMIT $5`,
    [from, to, scope.person === null ? scope.hosts : spellings(scope.hosts), scope.person === null ? scope.users : spellings(scope.users), limit, sessions],
  );
}

function rawText(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw, null, 2);
}

async function alertPage(deps: ApiDeps, id: string, p: Principal | null, flash?: { kind: 'ok' | 'error'; text: string }): Promise<Html | null> {
  const { db } = deps;
  const a = await getAlert(db, id);
  if (a === null) return null;
  const scope = timelineScope(a, deps.directory, deps.inventory);
  const lines = await timeline(db, a, scope);
  const evidence = new Set(a.evidence.map((e) => `${e.source} ${e.record_id}`));
  const edit = canEditAlerts(p);
  const fieldsList = html`<dl class="fields" id="alert-fields">
<dt>Rule</dt><dd>${a.rule_title} <span class="muted">${a.rule_id}</span></dd>
<dt>Severity</dt><dd>${sev(a.severity)}</dd>
<dt>Status</dt><dd id="alert-status">${status(a.status)}${a.close_reason === null ? null : html` (${a.close_reason})`}</dd>
<dt>Assignee</dt><dd id="alert-assignee">${a.assignee ?? html`<span class="muted">nobody</span>`}</dd>
<dt>Hits</dt><dd>${a.count}</dd>
<dt>First seen</dt><dd>${when(a.first_seen)}</dd><dt>Last seen</dt><dd>${when(a.last_seen)}</dd>
<dt>Host</dt><dd>${a.host === null ? null : html`<a href="/logs${query({ host: a.host })}">${a.host}</a>`}</dd>
<dt>User</dt><dd>${a.user_name === null ? null : html`<a href="/logs${query({ user: a.user_name })}">${a.user_name}</a>`}</dd>
<dt>Grouped by</dt><dd>${Object.entries(a.group_values).map(([k, v]) => html`<code>${k}=${v}</code> `)}</dd>
<dt>Tags</dt><dd>${a.tags.map((t) => html`<code>${t}</code> `)}</dd>
</dl>`;
  const post = (action: string, label: string, extra: Html | null = null) => html`<form method="post" action="/alerts/${a.id}/action"><input type="hidden" name="action" value="${action}">${extra}<button type="submit" id="do-${action}">${label}</button></form>`;
  const changes = edit
    ? html`<div class="actions" id="alert-actions">
${a.status === 'open' || a.status === 'reopened' ? post('acknowledge', 'Acknowledge') : null}
${a.status === 'acknowledged' ? post('open', 'Back to open') : null}
${a.status !== 'closed' ? post('close', 'Close', html`<input name="close_reason" placeholder="reason (required)" required maxlength="500">`) : post('reopen', 'Reopen')}
${post('assign', 'Assign', html`<input name="assignee" placeholder="user name" maxlength="64" value="${a.assignee ?? ''}">`)}
</div>`
    : null;
  const history = html`<table id="alert-history"><thead><tr><th>Time</th><th>Who</th><th>What</th><th>Details</th></tr></thead><tbody>${a.history.map(
    (h) => html`<tr><td class="time">${when(h.time)}</td><td>${h.actor}</td><td>${h.action}</td><td><code>${h.details === null ? '' : JSON.stringify(h.details)}</code></td></tr>`,
  )}</tbody></table>`;
  const evidenceTable = html`<table id="alert-evidence"><thead><tr><th>Time</th><th>Source</th><th>Event</th><th>Host</th><th>User</th><th>Record</th></tr></thead><tbody>${a.evidence.map(
    (e) => html`<tr><td class="time">${when(e.time)}</td><td>${e.source}</td><td>${e.event_type}</td><td>${e.host}</td><td>${e.user_name}</td><td><details><summary>${e.record_id}</summary>${e.raw === null ? html`<span class="muted">no longer stored</span>` : html`<pre>${rawText(e.raw)}</pre>`}</details></td></tr>`,
  )}</tbody></table>${a.evidence.length < a.count ? html`<p class="muted">${a.evidence.length} of ${a.count} hits kept as evidence.</p>` : null}`;
  const person = scope.person;
  const whose =
    person === null
      ? html`${a.host === null ? null : html`host <code>${a.host}</code>`}${a.host !== null && a.user_name !== null ? ' or ' : null}${a.user_name === null ? null : html`user <code>${a.user_name}</code>`}`
      : html`<strong>${person.display_name}</strong> (${person.person}) under any of their accounts (${person.accounts.map((n, i) => html`${i === 0 ? null : ', '}<code>${n}</code>`)})${person.workstation === null ? null : html`, on their workstation <code>${person.workstation}</code>`}${a.host === null || a.host === person.workstation ? null : html` or on host <code>${a.host}</code>`}`;
  const personLine =
    person === null
      ? null
      : html`<p id="alert-person">Person: <strong>${person.display_name}</strong> <span class="muted">${person.person}${person.title === null ? null : html` · ${person.title}`}${person.department === null ? null : html` · ${person.department}`}</span></p>`;
  const timelineTable = html`${personLine}<p class="muted">Records of ${whose} from an hour before the first hit to an hour after the last, newest first, each with its source; evidence in bold.</p>
<table id="alert-timeline"><thead><tr><th>Time</th><th>Source</th><th>Kind</th><th>Event / process</th><th>Host</th><th>User</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>${lines.map(
    (r) => html`<tr class="${evidence.has(`${r.source} ${r.record_id}`) ? 'evidence' : ''}"><td class="time">${when(r.time)}</td><td>${r.source}</td><td>${r.kind}</td><td>${r.what}</td><td>${r.host}</td><td>${r.user_name}</td><td>${r.outcome}</td><td><code>${r.detail}</code></td></tr>`,
  )}</tbody></table>${lines.length === 0 ? html`<p class="muted">Nothing else from ${person === null ? 'this host or user' : 'this person or host'} in that window.</p>` : null}`;
  return layout({
    title: `Alert ${a.id}: ${a.rule_title}`,
    principal: p,
    section: 'alerts',
    flash,
    body: html`${fieldsList}${changes}<h2>History</h2>${history}<h2>Evidence</h2>${evidenceTable}<h2>Timeline</h2>${timelineTable}`,
  });
}

/** What an action asks for, from a form or an htmx prompt. */
function changeOf(req: FastifyRequest, body: unknown): AlertChange {
  const action = field(body, 'action');
  switch (action) {
    case 'acknowledge':
      return { status: 'acknowledged' };
    case 'open':
      return { status: 'open' };
    case 'reopen':
      return { status: 'reopened' };
    case 'close': {
      const reason = promptOr(req, body, 'close_reason');
      if (reason === undefined) throw new FormError('close_reason: a reason is required to close an alert');
      if (reason.length > 500) throw new FormError('close_reason: at most 500 characters');
      return { status: 'closed', close_reason: reason };
    }
    case 'assign': {
      const who = promptOr(req, body, 'assignee');
      if (who !== undefined && !/^[A-Za-z0-9._@-]{1,64}$/.test(who)) throw new FormError('assignee: a user name (letters, digits, . _ @ -)');
      return { assignee: who ?? null };
    }
    default:
      throw new FormError('action: one of acknowledge, open, reopen, close, assign');
  }
}

function failures(results: ChangeResult[]): string | null {
  const bad = results.filter((r): r is Extract<ChangeResult, { ok: false }> => !r.ok);
  return bad.length === 0 ? null : bad.map((r) => r.message).join('; ');
}

export async function alertRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db } = deps;

  app.get('/alerts', { schema: { hide: true }, config: { consoleRoles: READERS } }, async (req, reply) => {
    const f = filtersOf(req.query);
    const table = await queue(db, f, req.principal);
    if (wantsFragment(req, 'queue')) return sendHtml(reply, table);
    return sendHtml(reply, queuePage(f, req.principal, table));
  });

  const record = async (req: FastifyRequest, change: AlertChange, results: ChangeResult[]) => {
    const done = results.filter((r) => r.ok).map((r) => r.id);
    if (done.length > 0) await audit(db, req.principal?.username ?? '?', 'alert.update', done.join(','), { ...change, ids: done, from: 'console' }, req.ip);
  };

  app.post('/alerts/bulk', { schema: { hide: true }, config: { consoleRoles: ALERT_EDITORS } }, async (req, reply) => {
    const ids = fields(req.body, 'id');
    if (field(req.body, 'action') !== 'acknowledge') throw new FormError('action: only acknowledge applies to a selection');
    if (ids.length > 500) throw new FormError('id: at most 500 alerts at once');
    const change: AlertChange = { status: 'acknowledged' };
    // Already acknowledged or closed alerts in a selection are left as they are, not an error.
    const results = ids.length === 0 ? [] : await updateAlerts(db, ids, change, req.principal?.username ?? '?');
    await record(req, change, results);
    const done = results.filter((r) => r.ok).length;
    const flash = ids.length === 0 ? { kind: 'error' as const, text: 'Select alerts to acknowledge first.' } : { kind: 'ok' as const, text: `Acknowledged ${done} of ${ids.length} selected alert${ids.length === 1 ? '' : 's'}.` };
    if (!isHtmx(req)) return reply.redirect('/alerts', 303);
    const q = currentQuery(req);
    const f = filtersOf(Object.fromEntries([...q.entries()].filter(([k]) => k !== 'cursor')));
    const table = await queue(db, f, req.principal);
    // The table goes where the form points; the message goes to the flash, out of band.
    return sendHtml(reply, html`${table}<div id="flash" hx-swap-oob="true" class="flash ${flash.kind}" role="status">${flash.text}</div>`);
  });

  app.post<{ Params: { id: string } }>('/alerts/:id/action', { schema: { hide: true }, config: { consoleRoles: ALERT_EDITORS } }, async (req, reply) => {
    const id = req.params.id;
    const change = changeOf(req, req.body);
    const results = await updateAlerts(db, [id], change, req.principal?.username ?? '?');
    await record(req, change, results);
    const problem = failures(results);
    if (results[0]?.ok === false && results[0].error === 'not_found') return sendHtml(reply, errorPage(req.principal, 'No such alert', `There is no alert ${id}.`), 404);
    if (isHtmx(req)) {
      const result = results[0];
      if (problem !== null || result === undefined || !result.ok) {
        void reply.header('hx-retarget', '#flash').header('hx-reswap', 'outerHTML');
        return sendHtml(reply, html`<div id="flash" class="flash error" role="status">${problem ?? 'not changed'}</div>`, 409);
      }
      return sendHtml(reply, alertRow(result.alert, req.principal));
    }
    if (problem !== null) return sendHtml(reply, (await alertPage(deps, id, req.principal, { kind: 'error', text: problem })) ?? errorPage(req.principal, 'Conflict', problem), 409);
    return reply.redirect(`/alerts/${encodeURIComponent(id)}`, 303);
  });

  app.get<{ Params: { id: string } }>('/alerts/:id', { schema: { hide: true }, config: { consoleRoles: READERS } }, async (req, reply) => {
    const page = await alertPage(deps, req.params.id, req.principal);
    if (page === null) return sendHtml(reply, errorPage(req.principal, 'No such alert', `There is no alert ${req.params.id}.`), 404);
    return sendHtml(reply, page);
  });
}

