/**
 * HTML by template literals, escaped by default: every value interpolated into `html\`…\`` is escaped (text and
 * attribute values alike: & < > " ' `) unless it is itself the result of `html` (a `Html`). Arrays are joined, each
 * element by the same rule; null, undefined and false render as nothing. `raw()` is for the few constants written
 * here (a stylesheet link, an SVG path built from numbers) and never for anything read from a request or the database.
 */

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Trusted markup (constants of this module's own making only). */
export function raw(text: string): Html {
  return new Html(text);
}

/** `?a=1&b=2` of the defined, non-empty values (to put in an href: still escaped by `html`). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** A UTC time as `2025-12-01 00:31:07Z` (seconds), or empty. */
export function when(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
