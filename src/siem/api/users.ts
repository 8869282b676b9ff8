/** Sign-in, users, the audit log and retention: the routes that change the service, each change audited. */
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../config.js';
import { audit } from './auth.js';
import type { ApiDeps } from './server.js';

const error = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const USERNAME = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' } as const;
const PASSWORD = { type: 'string', minLength: 12, maxLength: 1024 } as const;

export async function adminRoutes(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { auth, db } = deps;

  api.post<{ Body: { username: string; password: string } }>(
    '/auth/token',
    {
      config: { rateLimit: { max: deps.config.auth.sign_in_per_minute, timeWindow: 60_000 } },
      schema: {
        summary: 'Exchange a username and password for a bearer token',
        body: { type: 'object', required: ['username', 'password'], additionalProperties: false, properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } } },
        response: { 200: { type: 'object', properties: { token: { type: 'string' }, expires_at: { type: 'string' } } }, 401: error, 429: error },
      },
    },
    async (req, reply) => {
      const principal = await auth.check(req.body.username, req.body.password);
      await audit(db, req.body.username, principal === null ? 'auth.sign_in_failed' : 'auth.sign_in', null, null, req.ip);
      if (principal === null) return reply.code(401).send({ error: 'unauthorized', message: 'unknown user or wrong password' });
      return auth.token(principal);
    },
  );

  api.post<{ Body: { username: string; password: string; role: Role } }>(
    '/users',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Create a user, or set an existing user’s password and role (admin)',
        security: [{ bearer: [] }, { basic: [] }],
        body: { type: 'object', required: ['username', 'password', 'role'], additionalProperties: false, properties: { username: USERNAME, password: PASSWORD, role: { type: 'string', enum: [...ROLES] } } },
        response: { 200: { type: 'object', properties: { username: { type: 'string' }, role: { type: 'string' } } }, 201: { type: 'object', properties: { username: { type: 'string' }, role: { type: 'string' } } } },
      },
    },
    async (req, reply) => {
      const { username, password, role } = req.body;
      const result = await auth.setUser(username, password, role);
      await audit(db, req.principal?.username ?? '?', result === 'created' ? 'user.create' : 'user.update', username, { role }, req.ip);
      return reply.code(result === 'created' ? 201 : 200).send({ username, role });
    },
  );

  api.get(
    '/users',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'List users (admin)',
        security: [{ bearer: [] }, { basic: [] }],
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { username: { type: 'string' }, role: { type: 'string' }, created_at: { type: 'string' }, updated_at: { type: 'string' } } } } } } },
      },
    },
    async () => ({ items: (await db.query('SELECT username, role, created_at, updated_at FROM users ORDER BY username')).map((r) => ({ ...r, created_at: new Date(r.created_at as string).toISOString(), updated_at: new Date(r.updated_at as string).toISOString() })) }),
  );

  api.get<{ Querystring: { limit: number } }>(
    '/audit',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'The newest audit entries (admin)',
        security: [{ bearer: [] }, { basic: [] }],
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } },
      },
    },
    async (req) => ({
      items: (await db.query('SELECT id, time, actor, action, target, details, ip FROM audit_log ORDER BY id DESC LIMIT $1', [req.query.limit])).map((r) => ({ ...r, id: Number(r.id), time: new Date(r.time as string).toISOString() })),
    }),
  );

  api.post(
    '/retention/run',
    {
      config: { roles: ['admin'] },
      schema: { summary: 'Apply the retention policy now (admin)', security: [{ bearer: [] }, { basic: [] }] },
    },
    async (req) => {
      const result = await deps.retention();
      await audit(db, req.principal?.username ?? '?', 'retention.run', null, result, req.ip);
      return result;
    },
  );
}
