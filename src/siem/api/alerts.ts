/**
 * Alerts: the queue (`GET /alerts`, filters and a keyset cursor), one alert with its evidence records and history,
 * and changes of status and assignee, one (`PATCH /alerts/{id}`) or many (`PATCH /alerts`). Viewers read; analysts
 * and admins change; every change is audited.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ALERT_STATUSES, getAlert, listAlerts, TRANSITIONS, updateAlerts, type AlertChange, type AlertFilters, type ChangeResult } from '../alerts/store.js';
import { ALERT_SEVERITIES } from '../rules/types.js';
import { audit } from './auth.js';
import type { ApiDeps } from './server.js';
import { ALL_ROLES, SECURITY } from './server.js';

const TEXT = { type: 'string', minLength: 1, maxLength: 512 } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const ID = { type: 'string', pattern: '^[0-9]{1,18}$' } as const;
const CHANGE = {
  status: { type: 'string', enum: [...ALERT_STATUSES] },
  assignee: { anyOf: [{ type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }, { type: 'null' }] },
  close_reason: { type: 'string', minLength: 1, maxLength: 500 },
} as const;

/** A close needs its reason; a reason without a close is a mistake worth saying. */
function changeProblem(c: AlertChange): string | null {
  if (c.status === 'closed' && c.close_reason === undefined) return 'body.close_reason: required when status is closed';
  if (c.close_reason !== undefined && c.status !== 'closed') return 'body.close_reason: only with status closed';
  if (c.status === undefined && c.assignee === undefined) return 'body: expected status or assignee';
  return null;
}

export async function alertRoutes(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db } = deps;
  const bad = (reply: FastifyReply, message: string) => reply.code(400).send({ error: 'bad_request', message });

  api.get<{ Querystring: AlertFilters }>(
    '/alerts',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Alerts, most recently seen first',
        security: SECURITY,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...ALERT_STATUSES] },
            severity: { type: 'string', enum: [...ALERT_SEVERITIES] },
            rule_id: TEXT,
            host: TEXT,
            user: TEXT,
            assignee: TEXT,
            q: TEXT,
            from: TIME,
            to: TIME,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'string', minLength: 1, maxLength: 1024 },
            evidence_ids: { type: 'boolean', default: false },
          },
        },
      },
    },
    async (req, reply) => {
      const page = await listAlerts(db, req.query);
      if (page === null) return bad(reply, 'querystring.cursor: not a cursor this API returned');
      return page;
    },
  );

  api.get<{ Params: { id: string }; Querystring: { evidence: number } }>(
    '/alerts/:id',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'One alert with its evidence records and history',
        security: SECURITY,
        params: { type: 'object', properties: { id: ID } },
        querystring: { type: 'object', additionalProperties: false, properties: { evidence: { type: 'integer', minimum: 0, maximum: 1000, default: 200 } } },
      },
    },
    async (req, reply) => {
      const alert = await getAlert(db, req.params.id, req.query.evidence);
      if (alert === null) return reply.code(404).send({ error: 'not_found', message: `no alert ${req.params.id}` });
      return alert;
    },
  );

  const answer = async (req: { principal: { username: string } | null; ip: string }, results: ChangeResult[], change: AlertChange) => {
    const actor = req.principal?.username ?? '?';
    for (const r of results) if (r.ok) await audit(db, actor, 'alert.update', r.id, { ...change }, req.ip);
    return results;
  };

  api.patch<{ Params: { id: string }; Body: AlertChange }>(
    '/alerts/:id',
    {
      config: { roles: ['admin', 'analyst'] },
      schema: {
        summary: `Change an alert's status (${Object.entries(TRANSITIONS)
          .map(([from, to]) => `${from} → ${to.join('|')}`)
          .join('; ')}) or assignee`,
        security: SECURITY,
        params: { type: 'object', properties: { id: ID } },
        body: { type: 'object', additionalProperties: false, properties: CHANGE },
      },
    },
    async (req, reply) => {
      const problem = changeProblem(req.body);
      if (problem !== null) return bad(reply, problem);
      const [r] = await answer(req, await updateAlerts(db, [req.params.id], req.body, req.principal?.username ?? '?'), req.body);
      if (r.ok) return r.alert;
      return reply.code(r.error === 'not_found' ? 404 : 409).send({ error: r.error, message: r.message });
    },
  );

  api.patch<{ Body: AlertChange & { ids: string[] } }>(
    '/alerts',
    {
      config: { roles: ['admin', 'analyst'] },
      schema: {
        summary: 'Change the status or assignee of several alerts; each answers for itself',
        security: SECURITY,
        body: { type: 'object', required: ['ids'], additionalProperties: false, properties: { ids: { type: 'array', items: ID, minItems: 1, maxItems: 1000, uniqueItems: true }, ...CHANGE } },
      },
    },
    async (req, reply) => {
      const { ids, ...change } = req.body;
      const problem = changeProblem(change);
      if (problem !== null) return bad(reply, problem);
      const results = await answer(req, await updateAlerts(db, ids, change, req.principal?.username ?? '?'), change);
      return { items: results.map((r) => (r.ok ? { id: r.id, ok: true, status: r.alert.status, assignee: r.alert.assignee } : r)) };
    },
  );
}
