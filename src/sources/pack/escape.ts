/**
 * How a pack's values are escaped where its templates insert them: the escaping of the record format the template
 * writes. Static template text is written as it is; only values pass through these.
 */
import type { Manifest } from './manifest.js';

export type Escape = (value: string) => string;

const CONTROL = /[\u0000-\u001f\u007f]/g;
const hex2 = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');

export const ESCAPERS: Readonly<Record<NonNullable<Manifest['escape']>, Escape>> = {
  /** Nothing: the value goes into the line as it is (syslog text, key=value without quoting). */
  none: (v) => v.replace(CONTROL, ' '),
  /** JSON string content (the template writes the quotes). */
  json: (v) => JSON.stringify(v).slice(1, -1),
  /** nginx's escaping of logged variables: `"`, `\` and bytes outside printable ASCII as \xHH. */
  clf: (v) => v.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (c) => (c.charCodeAt(0) > 0xff ? c : `\\x${hex2(c).toUpperCase()}`)),
  /** A CSV field: quoted when it holds a comma, quote or line break, quotes doubled. */
  csv: (v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v),
  /** XML character data and attribute values. */
  xml: (v) => v.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(CONTROL, ' '),
  /** key=value logs: a value with spaces, quotes or `=` is double-quoted with `"` and `\` escaped. */
  kv: (v) => (/[\s"=\\]/.test(v) || v === '' ? `"${v.replace(/["\\]/g, '\\$&').replace(CONTROL, ' ')}"` : v),
};

export function escaperOf(manifest: Manifest): Escape {
  return ESCAPERS[manifest.escape ?? (manifest.format === 'json' ? 'json' : 'none')];
}
