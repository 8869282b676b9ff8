/**
 * The REST API (Fastify): `/api/v1/...` with the OpenAPI document at `/openapi.json`, generated from the same JSON
 * schemas that validate requests. Every route names the roles it admits; credentials and role are checked in
 * `onRequest`, before the body is read or validated, so a viewer gets 403 whatever it sends. Errors answer
 * `{"error", "message"}`: 400 names the field, 500 says nothing of the cause (it goes to the service's log).
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Role, SiemConfig } from '../config.js';
import type { SiemMetrics } from '../metrics.js';
import type { Database } from '../store/database.js';
import type { RuleRuntime } from '../rules/runtime.js';
import { alertRoutes } from './alerts.js';
import type { Auth, Principal } from './auth.js';
import { consoleRoutes } from '../console/index.js';
import { recordRoutes } from './records.js';
import { ruleRoutes } from './rules.js';
import { adminRoutes } from './users.js';
import type { Inventory } from '../enrich/inventory.js';
import type { Directory } from '../enrich/directory.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles admitted; absent: no credentials needed. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface ApiDeps {
  readonly db: Database;
  readonly auth: Auth;
  readonly config: SiemConfig;
  readonly metrics: SiemMetrics;
  /** Whether the service can take traffic (database answers, input running). */
  readonly ready: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  /** Runs retention now; returns the partitions dropped and audit rows deleted. */
  readonly retention: () => Promise<{ dropped: string[]; audit_deleted: number }>;
  readonly log: (line: string) => void;
  /** The running rules (recompiled after a change through the API). */
  readonly rules: RuleRuntime;
  /** The organisation's hosts (`[enrich] inventory`; empty when unset). */
  readonly inventory?: Inventory;
  /** Who is who across sources (`[enrich] directory`; empty when unset): the console's alert timeline follows a person. */
  readonly directory?: Directory;
}

export const ALL_ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

/** OpenAPI's security requirement of every authenticated route: a bearer token or HTTP Basic. */
export const SECURITY: { [scheme: string]: string[] }[] = [{ bearer: [] }, { basic: [] }];

function unauthorized(reply: FastifyReply, mode: SiemConfig['auth']['mode']): FastifyReply {
  if (mode !== 'jwt') void reply.header('www-authenticate', 'Basic realm="seclog-siem", charset="UTF-8"');
  else void reply.header('www-authenticate', 'Bearer realm="seclog-siem"');
  return reply.code(401).send({ error: 'unauthorized', message: 'credentials required: a bearer token from POST /api/v1/auth/token' + (mode === 'jwt' ? '' : ' or HTTP Basic') });
}

async function principalOf(req: FastifyRequest, auth: Auth, mode: SiemConfig['auth']['mode']): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && mode !== 'basic') return auth.verify(value);
  if (scheme === 'basic' && mode !== 'jwt') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return auth.check(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  return null;
}

/** `querystring.limit: must be <= 1000` from Fastify's validation error. */
function validationMessage(err: { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string; message: string }): string {
  const v = err.validation?.[0];
  if (v === undefined) return err.message;
  const path = (v.instancePath ?? '').split('/').filter((p) => p !== '');
  const extra = v.params?.additionalProperty ?? v.params?.missingProperty;
  if (typeof extra === 'string') path.push(extra);
  const where = [err.validationContext ?? 'request', ...path].join('.');
  if (typeof v.params?.additionalProperty === 'string') return `${where}: unknown field`;
  if (Array.isArray(v.params?.allowedValues)) return `${where}: must be one of ${(v.params.allowedValues as unknown[]).join(', ')}`;
  return `${where}: ${v.message ?? 'invalid'}`;
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest('principal', null);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'seclog SIEM', version: '1.0.0', description: 'Search the records seclog siem ingested; manage users.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
    },
  });
  await app.register(rateLimit, { global: false });

  const mode = deps.config.auth.mode;
  app.addHook('onRequest', async (req, reply) => {
    const roles = req.routeOptions.config.roles;
    if (roles === undefined) return;
    const principal = await principalOf(req, deps.auth, mode);
    if (principal === null) return unauthorized(reply, mode);
    if (!roles.includes(principal.role)) return reply.code(403).send({ error: 'forbidden', message: `role ${principal.role} may not use this route (allowed: ${roles.join(', ')})` });
    req.principal = principal;
  });
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.requests.inc({ route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number; validationContext?: string }, req, reply) => {
    if (err.validation !== undefined) return reply.code(400).send({ error: 'bad_request', message: validationMessage(err as Parameters<typeof validationMessage>[0]) });
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: 'too_many_requests', message: 'too many sign-in attempts; try again in a minute' });
    if (status >= 400 && status < 500) {
      const message = status === 415 ? 'expected Content-Type: application/json' : status === 413 ? 'request body too large' : /JSON|body/i.test(err.message) ? 'request body is not valid JSON' : 'bad request';
      return reply.code(status).send({ error: 'bad_request', message });
    }
    deps.log(`seclog siem: ${req.method} ${req.routeOptions.url ?? req.url} failed: ${err.message}`);
    return reply.code(500).send({ error: 'internal', message: 'the request failed; the service log has the details' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const r = await deps.ready();
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    await adminRoutes(api, deps);
    await recordRoutes(api, deps);
    await alertRoutes(api, deps);
    await ruleRoutes(api, deps);
  }, { prefix: '/api/v1' });
  await app.register(async (web) => consoleRoutes(web, deps));
  await app.ready();
  return app;
}
