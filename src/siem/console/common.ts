/**
 * What the console's pages share: the session cookie, the same-origin check for form posts, reading form and query
 * values, htmx fragments, and who may do what.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../config.js';
import type { Principal } from '../api/auth.js';
import type { Html } from './html.js';

export const SESSION_COOKIE = 'seclog_session';

/** Roles per kind of use: viewers read, analysts also work alerts, admins also change rules. */
export const READERS: readonly Role[] = ['admin', 'analyst', 'viewer'];
export const ALERT_EDITORS: readonly Role[] = ['admin', 'analyst'];
export const RULE_EDITORS: readonly Role[] = ['admin'];

export const canEditAlerts = (p: Principal | null) => p !== null && ALERT_EDITORS.includes(p.role);
export const canEditRules = (p: Principal | null) => p !== null && RULE_EDITORS.includes(p.role);

export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** `Set-Cookie` for the session: HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS; an empty token clears it. */
export function sessionCookie(req: FastifyRequest, token: string, maxAgeSeconds: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${token === '' ? 0 : maxAgeSeconds}${secure}`;
}

/**
 * CSRF defence beside SameSite=Strict: a state-changing request must come from a page of this origin. Browsers send
 * `Origin` with every POST (fetch, XHR, forms); a request with neither Origin nor Referer is refused too.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const expected = `${req.protocol}://${req.host}`.toLowerCase();
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '' && origin !== 'null') return origin.toLowerCase() === expected;
  const referer = req.headers.referer;
  if (typeof referer !== 'string' || referer === '') return false;
  try {
    return new URL(referer).origin.toLowerCase() === expected;
  } catch {
    return false;
  }
}

export type Form = Record<string, string | string[] | undefined>;

/** `application/x-www-form-urlencoded` as name → value, or values when a name repeats. */
export function parseForm(body: string): Form {
  const form: Form = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const had = form[k];
    form[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return form;
}

/** The first value of a query or form field, trimmed; empty: undefined. */
export function field(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const v = (source as Record<string, unknown>)[name];
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first !== 'string') return undefined;
  const t = first.trim();
  return t === '' ? undefined : t;
}

/** Every value of a field (checkboxes). */
export function fields(source: unknown, name: string): string[] {
  if (typeof source !== 'object' || source === null) return [];
  const v = (source as Record<string, unknown>)[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

/** A value given by a field or by htmx's `hx-prompt` answer (`HX-Prompt`, URI-encoded when not ASCII). */
export function promptOr(req: FastifyRequest, source: unknown, name: string): string | undefined {
  const f = field(source, name);
  if (f !== undefined) return f;
  const p = req.headers['hx-prompt'];
  if (typeof p !== 'string') return undefined;
  let text = p;
  if (req.headers['hx-prompt-uri-autoencoded'] === 'true') {
    try {
      text = decodeURIComponent(p);
    } catch {
      // as sent
    }
  }
  return text.trim() === '' ? undefined : text.trim();
}

export function isHtmx(req: FastifyRequest): boolean {
  return req.headers['hx-request'] === 'true' && req.headers['hx-history-restore-request'] !== 'true';
}

/** Whether htmx asks for the element with this id (then the answer is that fragment, not a page). */
export function wantsFragment(req: FastifyRequest, target: string): boolean {
  return isHtmx(req) && req.headers['hx-target'] === target;
}

/** The query of the page htmx sent the request from (to re-render a list with its filters after a change). */
export function currentQuery(req: FastifyRequest): URLSearchParams {
  const url = req.headers['hx-current-url'];
  if (typeof url !== 'string') return new URLSearchParams();
  try {
    const u = new URL(url);
    return u.host === req.host ? u.searchParams : new URLSearchParams();
  } catch {
    return new URLSearchParams();
  }
}

export function sendHtml(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('vary', 'HX-Request, HX-Target').send(body.text);
}

/** A local path to go back to after signing in (never another origin). */
export function localPath(next: string | undefined, fallback = '/alerts'): string {
  return next !== undefined && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/** `2025-12-01T00:30` (a datetime-local field) or an RFC 3339 time, as an ISO time (UTC when no zone is given). */
export function timeField(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const withZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const t = Date.parse(withZone);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) || Number.isNaN(t)) throw new FormError(`${name}: expected a time like 2025-12-01T00:30 (UTC), not ${JSON.stringify(value.slice(0, 40))}`);
  return new Date(t).toISOString();
}

/** `2025-12-01T00:30:00` for a datetime-local field's value. */
export function localValue(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : iso.replace(/(\.\d+)?Z$/, '').slice(0, 19);
}

/** A bad filter or form value: answered 400 with its message. */
export class FormError extends Error {}
