/** Rules: the list (anyone signed in), one rule's YAML, and enabling or disabling a rule (admin; audited). */
import type { FastifyInstance } from 'fastify';
import { audit, type Principal } from '../api/auth.js';
import type { ApiDeps } from '../api/server.js';
import { getRule, listRules, setRuleEnabled, type RuleRow } from '../rules/store.js';
import { canEditRules, field, FormError, isHtmx, READERS, RULE_EDITORS, sendHtml } from './common.js';
import { html, when, type Html } from './html.js';
import { errorPage, layout } from './layout.js';

function ruleRow(r: RuleRow, p: Principal | null): Html {
  const edit = canEditRules(p);
  return html`<tr id="rule-${r.id}" data-enabled="${String(r.enabled)}">
<td><a href="/rules/${encodeURIComponent(r.id)}">${r.title}</a><div class="muted">${r.id}</div></td>
<td>${r.kind}</td><td>${r.level}</td><td>${r.tags.map((t) => html`<code>${t}</code> `)}</td><td>${r.origin}${r.edited ? ' (edited)' : ''}</td>
<td class="enabled">${r.enabled ? 'enabled' : html`<span class="muted">disabled</span>`}</td>
<td class="time">${when(r.updated_at)}${r.updated_by === null ? null : html` <span class="muted">by ${r.updated_by}</span>`}</td>
${
  edit
    ? html`<td><form method="post" action="/rules/${encodeURIComponent(r.id)}/enabled" hx-post="/rules/${encodeURIComponent(r.id)}/enabled" hx-target="closest tr" hx-swap="outerHTML"><input type="hidden" name="enabled" value="${String(!r.enabled)}"><button type="submit" class="toggle-rule">${r.enabled ? 'Disable' : 'Enable'}</button></form></td>`
    : null
}
</tr>`;
}

export async function ruleRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db } = deps;

  app.get('/rules', { schema: { hide: true }, config: { consoleRoles: READERS } }, async (req, reply) => {
    const q = field(req.query, 'q');
    const rules = await listRules(db, q === undefined ? {} : { q });
    const edit = canEditRules(req.principal);
    const body = html`<form class="filters" method="get" action="/rules"><label>Title or id <input name="q" type="search" value="${q ?? ''}"></label><button type="submit">Filter</button></form>
${edit ? null : html`<p class="muted" id="read-only">Read-only: only an admin enables or disables rules.</p>`}
<table id="rules"><thead><tr><th>Rule</th><th>Kind</th><th>Level</th><th>Tags</th><th>Origin</th><th>State</th><th>Changed</th>${edit ? html`<th></th>` : null}</tr></thead>
<tbody>${rules.map((r) => ruleRow(r, req.principal))}</tbody></table>
${rules.length === 0 ? html`<p class="muted">No rules${q === undefined ? ' loaded' : ' match'}.</p>` : null}`;
    return sendHtml(reply, layout({ title: 'Rules', principal: req.principal, section: 'rules', body }));
  });

  app.get<{ Params: { id: string } }>('/rules/:id', { schema: { hide: true }, config: { consoleRoles: READERS } }, async (req, reply) => {
    const r = await getRule(db, req.params.id);
    if (r === null) return sendHtml(reply, errorPage(req.principal, 'No such rule', `There is no rule ${req.params.id}.`), 404);
    const body = html`<table><tbody>${ruleRow(r, req.principal)}</tbody></table><h2>YAML</h2><pre id="rule-yaml">${r.yaml}</pre><p><a href="/alerts?rule=${encodeURIComponent(r.id)}">Alerts of this rule</a></p>`;
    return sendHtml(reply, layout({ title: r.title, principal: req.principal, section: 'rules', body }));
  });

  app.post<{ Params: { id: string } }>('/rules/:id/enabled', { schema: { hide: true }, config: { consoleRoles: RULE_EDITORS } }, async (req, reply) => {
    const value = field(req.body, 'enabled');
    if (value !== 'true' && value !== 'false') throw new FormError('enabled: true or false');
    const actor = req.principal?.username ?? '?';
    const r = await setRuleEnabled(db, req.params.id, value === 'true', actor);
    if (r === null) return sendHtml(reply, errorPage(req.principal, 'No such rule', `There is no rule ${req.params.id}.`), 404);
    await audit(db, actor, r.enabled ? 'rule.enable' : 'rule.disable', r.id, { from: 'console' }, req.ip);
    if (isHtmx(req)) return sendHtml(reply, ruleRow(r, req.principal));
    return reply.redirect('/rules', 303);
  });
}
