/**
 * The web console, served by the service at `/`: server-rendered HTML (every value escaped by `html`), htmx for
 * partial updates (served from node_modules at a versioned path), one stylesheet, no client build.
 *
 * Sessions: signing in puts a JWT from the service's Auth in the `seclog_session` cookie (HttpOnly, SameSite=Strict,
 * Path=/); each request verifies it (the user must still exist; the role is read again). Routes name the roles they
 * admit in `consoleRoles`: without a valid session a page redirects to /sign-in (htmx gets HX-Redirect), a wrong
 * role gets a 403 page. Every POST must come from this origin (Origin, else Referer) besides SameSite. Errors here
 * answer HTML; the API keeps its JSON error handler (this plugin's handler covers its own routes only).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../config.js';
import { audit } from '../api/auth.js';
import type { ApiDeps } from '../api/server.js';
import { alertRoutes } from './alerts.js';
import { cookieOf, field, FormError, isHtmx, localPath, parseForm, sameOrigin, SESSION_COOKIE, sendHtml, sessionCookie } from './common.js';
import { errorPage, HTMX, signInPage, STYLE } from './layout.js';
import { ruleRoutes } from './rules.js';
import { searchRoutes } from './search.js';
import { trendRoutes } from './trends.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Console routes: the roles admitted (a session cookie, not an Authorization header). */
    consoleRoles?: readonly Role[];
  }
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function toSignIn(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = req.method === 'GET' ? req.url : undefined;
  const target = `/sign-in${next === undefined || next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;
  if (isHtmx(req)) return reply.code(401).header('hx-redirect', target).send();
  return reply.redirect(target, 303);
}

export async function consoleRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { auth, db } = deps;
  const ttlSeconds = deps.config.auth.token_ttl_minutes * 60;
  const htmxScript = readFileSync(HTMX.file);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, parseForm(body as string)));

  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) {
      return sendHtml(reply, errorPage(null, 'Refused', 'This form was not sent from this site’s own pages (Origin check).'), 403);
    }
    const roles = req.routeOptions.config.consoleRoles;
    if (roles === undefined) return;
    const token = cookieOf(req, SESSION_COOKIE);
    const principal = token === undefined || token === '' ? null : await auth.verify(token);
    if (principal === null) return toSignIn(req, reply);
    req.principal = principal;
    if (!roles.includes(principal.role)) {
      await audit(db, principal.username, 'console.forbidden', `${req.method} ${req.url.split('?')[0]}`, { role: principal.role }, req.ip);
      return sendHtml(reply, errorPage(principal, 'Not allowed', `Your role (${principal.role}) may not do this; it takes ${roles.join(' or ')}.`), 403);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/static/')) return payload;
    void reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').header('x-frame-options', 'DENY').header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, req, reply) => {
    const principal = req.principal;
    if (err instanceof FormError) return sendHtml(reply, errorPage(principal, 'Bad request', err.message), 400);
    const status = err.statusCode ?? 500;
    if (status === 429) return sendHtml(reply, signInPage({ message: 'Too many sign-in attempts: try again in a minute.' }), 429);
    if (status >= 400 && status < 500) return sendHtml(reply, errorPage(principal, 'Bad request', status === 413 ? 'The form is too large.' : 'The request could not be read.'), status);
    deps.log(`seclog siem: console ${req.method} ${req.routeOptions.url ?? req.url} failed: ${err.message}`);
    return sendHtml(reply, errorPage(principal, 'Something went wrong', 'The request failed; the service log has the details.'), 500);
  });

  const immutable = 'public, max-age=31536000, immutable';
  app.get(HTMX.path, { schema: { hide: true } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', immutable).send(htmxScript));
  app.get(STYLE.path, { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', immutable).send(STYLE.text));

  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/alerts', 303));

  app.get('/sign-in', { schema: { hide: true } }, async (req, reply) => sendHtml(reply, signInPage({ next: field(req.query, 'next') })));

  app.post(
    '/sign-in',
    { schema: { hide: true }, config: { rateLimit: { max: deps.config.auth.sign_in_per_minute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const username = field(req.body, 'username') ?? '';
      const password = typeof (req.body as Record<string, unknown> | undefined)?.password === 'string' ? ((req.body as Record<string, string>).password) : '';
      const next = localPath(field(req.body, 'next'));
      const principal = username === '' || password === '' || username.length > 64 || password.length > 1024 ? null : await auth.check(username, password);
      await audit(db, username.slice(0, 64) || '?', principal === null ? 'auth.sign_in_failed' : 'auth.sign_in', null, { from: 'console' }, req.ip);
      if (principal === null) return sendHtml(reply, signInPage({ next, message: 'Unknown user or wrong password.', username: username.slice(0, 64) }), 401);
      const { token } = await auth.token(principal);
      return reply.header('set-cookie', sessionCookie(req, token, ttlSeconds)).redirect(next, 303);
    },
  );

  app.post('/sign-out', { schema: { hide: true } }, async (req, reply) => {
    const token = cookieOf(req, SESSION_COOKIE);
    const principal = token === undefined || token === '' ? null : await auth.verify(token);
    if (principal !== null) await audit(db, principal.username, 'auth.sign_out', null, { from: 'console' }, req.ip);
    return reply.header('set-cookie', sessionCookie(req, '', 0)).redirect('/sign-in', 303);
  });

  await alertRoutes(app, deps);
  await searchRoutes(app, deps);
  await ruleRoutes(app, deps);
  await trendRoutes(app, deps);
}
