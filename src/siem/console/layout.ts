/** The page around every console view: navigation, who is signed in, htmx's settings, the stylesheet and script. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Principal } from '../api/auth.js';
import { html, type Html } from './html.js';
import { CSS } from './style.js';

const require = createRequire(import.meta.url);
const htmxDir = dirname(require.resolve('htmx.org/package.json'));

/** htmx from node_modules, at a path naming its version (cached for a year: a new version is a new path). */
export const HTMX = {
  version: (JSON.parse(readFileSync(join(htmxDir, 'package.json'), 'utf8')) as { version: string }).version,
  file: join(htmxDir, 'dist', 'htmx.min.js'),
  get path(): string {
    return `/static/htmx-${this.version}.min.js`;
  },
};

export const STYLE = { text: CSS, path: `/static/console-${createHash('sha256').update(CSS).digest('hex').slice(0, 12)}.css` };

/**
 * htmx's settings: no eval (hx-on and js: values off), no inline indicator styles (the CSP allows no inline style),
 * requests to this origin only, and error answers swapped too (they carry a message the page shows).
 */
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: true, error: true },
  ],
});

export type Section = 'alerts' | 'logs' | 'rules' | 'trends' | null;

const NAV: [Exclude<Section, null>, string, string][] = [
  ['alerts', '/alerts', 'Alerts'],
  ['logs', '/logs', 'Log search'],
  ['rules', '/rules', 'Rules'],
  ['trends', '/trends', 'Trends'],
];

export function layout(opts: { title: string; principal: Principal | null; section: Section; body: Html; flash?: { kind: 'ok' | 'error'; text: string } }): Html {
  const p = opts.principal;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${opts.title} · seclog SIEM</title>
<link rel="stylesheet" href="${STYLE.path}">
<script src="${HTMX.path}" defer></script>
</head>
<body>
<header class="top">
<span class="brand">seclog SIEM</span>
${p === null ? null : NAV.map(([key, href, label]) => html`<a href="${href}" class="${key === opts.section ? 'active' : ''}">${label}</a>`)}
${p === null ? null : html`<span class="who"><span id="who">${p.username} (${p.role})</span><form method="post" action="/sign-out"><button type="submit" id="sign-out">Sign out</button></form></span>`}
</header>
<main>
<div id="flash" class="flash ${opts.flash?.kind ?? ''}" role="status">${opts.flash?.text}</div>
<h1>${opts.title}</h1>
${opts.body}
</main>
</body>
</html>`;
}

export function signInPage(opts: { next?: string; message?: string; username?: string }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · seclog SIEM</title>
<link rel="stylesheet" href="${STYLE.path}">
</head>
<body>
<form class="sign-in" method="post" action="/sign-in">
<h1>seclog SIEM</h1>
${opts.message === undefined ? null : html`<p class="flash error" id="sign-in-error" role="alert">${opts.message}</p>`}
<input type="hidden" name="next" value="${opts.next ?? ''}">
<label>User <input name="username" autocomplete="username" required value="${opts.username ?? ''}" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button class="primary" type="submit">Sign in</button>
</form>
</body>
</html>`;
}

/** A page for an error (403, 404, 400, 500) that keeps the navigation. */
export function errorPage(principal: Principal | null, title: string, message: string): Html {
  return layout({ title, principal, section: null, body: html`<p class="flash error" id="error-message">${message}</p><p><a href="/alerts">Back to the alerts</a></p>` });
}
