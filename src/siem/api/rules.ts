/**
 * Rules: list and read (everyone), create, replace, import Sigma YAML, enable, disable, delete (admin), and preview
 * a rule against stored history before enabling it (analyst, admin). A rule's YAML is checked by compiling it before
 * it is stored; a change reaches every instance's detector within `rules.reload_ms`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Detector } from '../rules/engine.js';
import { parseRules, type LoadedRule } from '../rules/load.js';
import { previewRules } from '../rules/preview.js';
import { enabledRules } from '../rules/runtime.js';
import { deleteRule, getRule, listRules, putRule, RULE_KINDS, setRuleEnabled, type RuleKind } from '../rules/store.js';
import { audit } from './auth.js';
import type { ApiDeps } from './server.js';
import { ALL_ROLES, SECURITY } from './server.js';

const ID = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$' } as const;
const YAML = { type: 'string', minLength: 1, maxLength: 256 * 1024 } as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const PARAMS = { type: 'object', properties: { id: ID } } as const;

/** Parses and compiles rule YAML; the first problem as one line, or the rules. */
function check(yaml: string, origin: string, context: readonly LoadedRule[] = []): { rules: LoadedRule[] } | { problem: string } {
  let rules: LoadedRule[];
  try {
    rules = parseRules(yaml, origin);
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (rules.length === 0) return { problem: `${origin}: no rule in the YAML` };
  // Compile with the enabled rules beside them (a correlation may name those); report only these rules' problems.
  const ids = new Set(rules.map((r) => r.meta.id));
  const detector = new Detector([...context.filter((c) => !ids.has(c.meta.id)), ...rules]);
  const problem = detector.problems.find((p) => ids.has(p.id) && !p.message.startsWith('no source carries'));
  if (problem !== undefined) return { problem: `${origin}: rule ${problem.id}: ${problem.message}` };
  return { rules };
}

export async function ruleRoutes(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db } = deps;
  const bad = (reply: FastifyReply, message: string) => reply.code(400).send({ error: 'bad_request', message });
  const changed = async () => deps.rules.reload();

  // Sigma files as they are: `Content-Type: application/yaml` (or text/yaml, text/plain) on POST /rules/import.
  api.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

  api.get<{ Querystring: { enabled?: boolean; kind?: RuleKind; q?: string } }>(
    '/rules',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Rules (Sigma detections and correlations, thresholds, process lists)',
        security: SECURITY,
        querystring: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, kind: { type: 'string', enum: [...RULE_KINDS] }, q: { type: 'string', minLength: 1, maxLength: 200 } } },
      },
    },
    async (req) => ({ items: await listRules(db, req.query) }),
  );

  api.get<{ Params: { id: string } }>('/rules/:id', { config: { roles: ALL_ROLES }, schema: { summary: 'One rule with its YAML', security: SECURITY, params: PARAMS } }, async (req, reply) => {
    const rule = await getRule(db, req.params.id);
    return rule ?? reply.code(404).send({ error: 'not_found', message: `no rule ${req.params.id}` });
  });

  const store = async (rules: readonly LoadedRule[], enabled: boolean, actor: string, ip: string) => {
    const out: { id: string; title: string; kind: string; result: 'created' | 'updated' }[] = [];
    for (const r of rules) {
      const result = await putRule(db, r.meta, r.yaml, enabled, actor);
      await audit(db, actor, result === 'created' ? 'rule.create' : 'rule.update', r.meta.id, { title: r.meta.title, enabled }, ip);
      out.push({ id: r.meta.id, title: r.meta.title, kind: r.meta.kind, result });
    }
    await changed();
    return out;
  };

  api.post<{ Body: { yaml: string; enabled?: boolean } }>(
    '/rules',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Create or replace rules from YAML (one or more documents)',
        security: SECURITY,
        body: { type: 'object', required: ['yaml'], additionalProperties: false, properties: { yaml: YAML, enabled: { type: 'boolean', default: true } } },
      },
    },
    async (req, reply) => {
      const checked = check(req.body.yaml, 'body.yaml', await enabledRules(db, deps.log));
      if ('problem' in checked) return bad(reply, checked.problem);
      return reply.code(201).send({ items: await store(checked.rules, req.body.enabled ?? true, req.principal?.username ?? '?', req.ip) });
    },
  );

  api.post<{ Body: string; Querystring: { enabled: boolean } }>(
    '/rules/import',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Import Sigma YAML as sent (Content-Type: application/yaml); several documents at once',
        security: SECURITY,
        querystring: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean', default: true } } },
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string' || req.body.trim() === '') return bad(reply, 'body: expected Sigma YAML with Content-Type: application/yaml');
      const checked = check(req.body, 'body', await enabledRules(db, deps.log));
      if ('problem' in checked) return bad(reply, checked.problem);
      return reply.code(201).send({ items: await store(checked.rules, req.query.enabled, req.principal?.username ?? '?', req.ip) });
    },
  );

  api.put<{ Params: { id: string }; Body: { yaml: string; enabled?: boolean } }>(
    '/rules/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: "Replace a rule's YAML (its id must stay the same)",
        security: SECURITY,
        params: PARAMS,
        body: { type: 'object', required: ['yaml'], additionalProperties: false, properties: { yaml: YAML, enabled: { type: 'boolean' } } },
      },
    },
    async (req, reply) => {
      const before = await getRule(db, req.params.id);
      if (before === null) return reply.code(404).send({ error: 'not_found', message: `no rule ${req.params.id}` });
      const checked = check(req.body.yaml, 'body.yaml', await enabledRules(db, deps.log));
      if ('problem' in checked) return bad(reply, checked.problem);
      if (checked.rules.length !== 1 || checked.rules[0].meta.id !== req.params.id) return bad(reply, `body.yaml: expected one rule with id ${req.params.id}`);
      const [item] = await store(checked.rules, req.body.enabled ?? before.enabled, req.principal?.username ?? '?', req.ip);
      return item;
    },
  );

  for (const [action, enabled] of [['enable', true], ['disable', false]] as const) {
    api.post<{ Params: { id: string } }>(`/rules/:id/${action}`, { config: { roles: ['admin'] }, schema: { summary: `${action[0].toUpperCase()}${action.slice(1)} a rule`, security: SECURITY, params: PARAMS } }, async (req, reply) => {
      const rule = await setRuleEnabled(db, req.params.id, enabled, req.principal?.username ?? '?');
      if (rule === null) return reply.code(404).send({ error: 'not_found', message: `no rule ${req.params.id}` });
      await audit(db, req.principal?.username ?? '?', `rule.${action}`, req.params.id, null, req.ip);
      await changed();
      return rule;
    });
  }

  api.delete<{ Params: { id: string } }>('/rules/:id', { config: { roles: ['admin'] }, schema: { summary: 'Delete a rule (a built-in one comes back on the next start: disable it instead)', security: SECURITY, params: PARAMS } }, async (req, reply) => {
    if (!(await deleteRule(db, req.params.id))) return reply.code(404).send({ error: 'not_found', message: `no rule ${req.params.id}` });
    await audit(db, req.principal?.username ?? '?', 'rule.delete', req.params.id, null, req.ip);
    await changed();
    return reply.code(204).send();
  });

  api.post<{ Body: { yaml?: string; id?: string; from?: string; to?: string; max_records: number; evidence: number } }>(
    '/rules/preview',
    {
      config: { roles: ['admin', 'analyst'] },
      schema: {
        summary: 'Run a rule (YAML, or a stored rule by id) over stored records and answer the alerts it would raise, raising none',
        security: SECURITY,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { yaml: YAML, id: ID, from: TIME, to: TIME, max_records: { type: 'integer', minimum: 1, maximum: 5_000_000, default: 500_000 }, evidence: { type: 'integer', minimum: 0, maximum: 100, default: 10 } },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if ((b.yaml === undefined) === (b.id === undefined)) return bad(reply, 'body: expected yaml or id (one of them)');
      let yaml = b.yaml;
      if (b.id !== undefined) {
        const rule = await getRule(db, b.id);
        if (rule === null) return reply.code(404).send({ error: 'not_found', message: `no rule ${b.id}` });
        yaml = rule.yaml;
      }
      const context = await enabledRules(db, deps.log);
      const checked = check(yaml!, b.id === undefined ? 'body.yaml' : `rule ${b.id}`, context);
      if ('problem' in checked) return bad(reply, checked.problem);
      const to = b.to === undefined ? Date.now() : Date.parse(b.to);
      const from = b.from === undefined ? to - 24 * 3_600_000 : Date.parse(b.from);
      if (!(from < to)) return bad(reply, 'body.from: must be before body.to');
      // A correlation needs the detections it names: the stored enabled ones, unless the YAML brings its own.
      const own = new Set(checked.rules.map((r) => r.meta.id));
      const named = new Set(checked.rules.flatMap((r) => (r.rule.kind === 'correlation' ? r.rule.rules : [])));
      const helpers = context.filter((c) => !own.has(c.meta.id) && (named.has(c.meta.id) || (c.rule.kind === 'detection' && c.rule.name !== undefined && named.has(c.rule.name))));
      const result = await previewRules(db, [...helpers, ...checked.rules], { from, to, maxRecords: b.max_records });
      const shown = result.alerts.filter((h) => own.has(h.rule_id));
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        scanned: result.scanned,
        truncated: result.truncated,
        problems: result.problems.filter((p) => own.has(p.id)),
        alerts: shown.map((h) => ({
          rule_id: h.rule_id,
          rule_title: h.rule_title,
          severity: h.severity,
          group: h.group,
          count: h.count,
          first_seen: new Date(h.first).toISOString(),
          last_seen: new Date(h.last).toISOString(),
          evidence: h.evidence.slice(0, b.evidence).map((e) => ({ source: e.source, record_id: e.record_id, time: new Date(e.time).toISOString() })),
        })),
      };
    },
  );
}
