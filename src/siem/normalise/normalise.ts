/**
 * Turns one message's text into the rows the store keeps: the normalised fields, the time, the id, and the vendor
 * record whole. A source's mapping (mappings.ts) is compiled once into a function; records of a source without a
 * mapping are kept too (JSON or text whole, id from the text, time of arrival).
 */
import { NORMALISED_FIELDS, recordHash, type NormalisedField, type Severity } from '../../schema/record.js';
import { MAPPINGS } from './mappings.js';
import type { Path, Paths, Route, SourceMapping, TextParts, TimeFormat } from './types.js';

export type Outcome = 'success' | 'failure';

interface RowBase {
  /** Event time, epoch milliseconds. */
  time: number;
  source: string;
  record_id: string;
  /** The vendor record: its JSON text, or a text record's line as a JSON string. */
  raw: string;
}

export interface LogRow extends RowBase {
  table: 'logs';
  /** NORMALISED_FIELDS' values, in that order (`outcome` is `success`, `failure` or null). */
  fields: (string | null)[];
  severity: Severity;
}

export interface ProcessRow extends RowBase {
  table: 'process_logs';
  host: string | null;
  user: string | null;
  pid: number | null;
  ppid: number | null;
  name: string | null;
  executable: string | null;
  command_line: string | null;
  parent_name: string | null;
}

export interface MetricRow extends RowBase {
  table: 'host_metrics';
  host: string | null;
  metricset: string;
  cpu_pct: number | null;
  memory_pct: number | null;
}

export type Row = LogRow | ProcessRow | MetricRow;

/** What the receiver knows of a message beyond its text: when it arrived or was sent (years for syslog times). */
export interface MessageContext {
  /** Epoch ms: the Kafka message's timestamp, the file's time, or now. */
  readonly reference: number;
}

type Getter = (record: unknown) => unknown;
/** Called with each mapped record as parsed (JSON, or a text record's parts), its own text, and the row made of it. */
export type RecordSeen = (record: unknown, text: string, row: Row) => void;
export type Normaliser = (text: string, ctx: MessageContext, out: Row[], seen?: RecordSeen) => void;

export const FIELD_INDEX = Object.fromEntries(NORMALISED_FIELDS.map((f, i) => [f, i])) as Record<NormalisedField, number>;

/** A JSON path (`a.b.0.c`) as a getter over parsed JSON. */
function jsonGetter(path: Path): Getter {
  const keys = path.split('.');
  return (record) => {
    let v: unknown = record;
    for (const k of keys) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    return v;
  };
}

function textGetter(path: Path): Getter {
  return (record) => (record as Record<string, string | undefined>)[path];
}

function str(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function firstOf(paths: Paths | undefined, getter: (p: Path) => Getter): (record: unknown) => string | null {
  if (paths === undefined) return () => null;
  const gets = (typeof paths === 'string' ? [paths] : paths).map(getter);
  if (gets.length === 1) return (r) => str(gets[0](r));
  return (r) => {
    for (const g of gets) {
      const v = str(g(r));
      if (v !== null) return v;
    }
    return null;
  };
}

function intOf(get: (r: unknown) => string | null): (r: unknown) => number | null {
  return (r) => {
    const s = get(r);
    if (s === null) return null;
    const n = s.startsWith('0x') ? Number.parseInt(s, 16) : Number(s);
    return Number.isSafeInteger(n) ? n : null;
  };
}

function numOf(get: (r: unknown) => string | null): (r: unknown) => number | null {
  return (r) => {
    const s = get(r);
    const n = s === null ? Number.NaN : Number(s);
    return Number.isFinite(n) ? n : null;
  };
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** Epoch ms of a time in `format`, or NaN. */
export function parseTime(value: string, format: TimeFormat, reference: number): number {
  switch (format) {
    case 'iso':
      return Date.parse(value);
    case 'epoch':
      return Math.round(Number(value) * 1000);
    case 'clf': {
      // 01/Dec/2025:00:00:39 +0000
      const m = /^(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(value);
      if (m === null || MONTHS[m[2]] === undefined) return Number.NaN;
      const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
      return Date.UTC(Number(m[3]), MONTHS[m[2]], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
    }
    case 'syslog': {
      // Dec  1 00:00:39: the reference's year, or the year before when that would put it more than a day ahead.
      // (rsyslog's RFC 3339 file format, 2025-12-01T00:00:39.123456+00:00, carries its year.)
      if (value.charCodeAt(0) <= 57) return Date.parse(value);
      const m = /^([A-Z][a-z]{2}) +(\d+) (\d\d):(\d\d):(\d\d)$/.exec(value);
      if (m === null || MONTHS[m[1]] === undefined) return Number.NaN;
      const year = new Date(reference).getUTCFullYear();
      const at = (y: number) => Date.UTC(y, MONTHS[m[1]], Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
      const t = at(year);
      return t > reference + 86_400_000 ? at(year - 1) : t;
    }
  }
}

/** auditd's `key=value key="quoted"` pairs, and those inside `msg='…'`. */
function readKeyValues(body: string, into: Record<string, string>): void {
  const re = /([A-Za-z0-9_-]+)=("([^"]*)"|'([^']*)'|(\S*))/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    const key = `kv.${m[1]}`;
    if (into[key] === undefined) into[key] = m[3] ?? m[4] ?? m[5] ?? '';
    // A user-space record's own fields sit in msg='…': read them too.
    if (m[4] !== undefined) readKeyValues(m[4], into);
  }
}

/** auditd EXECVE's a0..aN (quoted, or hex when they hold spaces or quotes) as one command line. */
function auditdArgs(parts: Record<string, string>): string | undefined {
  const argc = Number(parts['kv.argc']);
  if (!Number.isInteger(argc) || argc <= 0) return undefined;
  const args: string[] = [];
  for (let i = 0; i < argc; i++) {
    const a = parts[`kv.a${i}`];
    if (a === undefined) break;
    args.push(/^[0-9A-F]+$/.test(a) && a.length % 2 === 0 && a.length > 2 ? Buffer.from(a, 'hex').toString('utf8') : a);
  }
  return args.join(' ');
}

function textParser(spec: TextParts): (text: string) => Record<string, string> | null {
  const line = new RegExp(spec.line, 's');
  const messages = (spec.messages ?? []).map((m) => ({ re: new RegExp(m.match), event: m.event, outcome: m.outcome }));
  const derive = spec.derive ?? [];
  return (text) => {
    const m = line.exec(text);
    if (m === null) return null;
    const parts: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) parts[k] = v;
    if (spec.kv !== undefined && parts[spec.kv] !== undefined) readKeyValues(parts[spec.kv], parts);
    const message = parts.message;
    if (message !== undefined) {
      for (const rule of messages) {
        const mm = rule.re.exec(message);
        if (mm === null) continue;
        parts.event = rule.event;
        if (rule.outcome !== undefined) parts.outcome = rule.outcome;
        for (const [k, v] of Object.entries(mm.groups ?? {})) if (v !== undefined && v !== '') parts[k] = v;
        break;
      }
    }
    for (const d of derive) {
      const v = d.from === 'auditd_args' ? auditdArgs(parts) : d.path !== undefined && parts[d.path] !== undefined ? parts[d.path].slice(parts[d.path].lastIndexOf('/') + 1) : undefined;
      if (v !== undefined) parts[d.name] = v;
    }
    return parts;
  };
}

function severityOf(mapping: SourceMapping, getter: (p: Path) => Getter): (r: unknown, outcome: Outcome | null) => Severity {
  const rule = mapping.severity;
  const fallback = (outcome: Outcome | null): Severity => (outcome === 'failure' ? 'low' : 'info');
  if (rule === undefined) return (_r, outcome) => fallback(outcome);
  const get = firstOf(rule.path, getter);
  if ('map' in rule) return (r, outcome) => rule.map[get(r) ?? ''] ?? fallback(outcome);
  const bands = [...rule.bands].reverse();
  return (r, outcome) => {
    const n = Number(get(r) ?? Number.NaN);
    if (!Number.isFinite(n)) return fallback(outcome);
    return (bands.find(([min]) => n >= min) ?? bands[bands.length - 1])[1];
  };
}

function outcomeOf(mapping: SourceMapping, getter: (p: Path) => Getter): (r: unknown) => Outcome | null {
  const rule = mapping.outcome;
  const textOutcome = mapping.format === 'text' ? textGetter('outcome') : null;
  if (rule === undefined) return textOutcome === null ? () => null : (r) => (textOutcome(r) as Outcome | undefined) ?? null;
  const get = firstOf(rule.path, getter);
  const success = new Set(rule.success ?? []);
  const failure = new Set(rule.failure ?? []);
  return (r) => {
    const v = get(r);
    if (v === null) return (textOutcome?.(r) as Outcome | undefined) ?? rule.missing ?? null;
    if (success.has(v)) return 'success';
    if (failure.has(v)) return 'failure';
    return rule.other ?? null;
  };
}

type RouteFn = (r: unknown, base: RowBase) => Row | null;

function routeOf(route: Route, getter: (p: Path) => Getter): RouteFn {
  const when = getter(route.when.path);
  const equals = route.when.equals === undefined ? null : new Set(route.when.equals);
  const matches = (r: unknown) => {
    const v = str(when(r));
    return v !== null && (equals === null || equals.has(v));
  };
  if (route.table === 'process_logs') {
    const p = route.process;
    const cols = {
      pid: intOf(firstOf(p.pid, getter)),
      ppid: intOf(firstOf(p.ppid, getter)),
      name: firstOf(p.name, getter),
      executable: firstOf(p.executable, getter),
      command_line: firstOf(p.command_line, getter),
      parent_name: firstOf(p.parent_name, getter),
      user: firstOf(p.user, getter),
    };
    return (r, base) =>
      matches(r)
        ? {
            ...base,
            table: 'process_logs',
            host: null,
            user: cols.user(r),
            pid: cols.pid(r),
            ppid: cols.ppid(r),
            name: cols.name(r),
            executable: cols.executable(r),
            command_line: cols.command_line(r),
            parent_name: cols.parent_name(r),
          }
        : null;
  }
  const m = route.metric;
  const metricset = firstOf(m.metricset, getter);
  const cpu = numOf(firstOf(m.cpu_pct, getter));
  const memory = numOf(firstOf(m.memory_pct, getter));
  return (r, base) => (matches(r) ? { ...base, table: 'host_metrics', host: null, metricset: metricset(r) ?? '', cpu_pct: cpu(r), memory_pct: memory(r) } : null);
}

/** One source's mapping, compiled. */
export function compileMapping(source: string, mapping: SourceMapping): Normaliser {
  const getter = mapping.format === 'json' ? jsonGetter : textGetter;
  const fields = NORMALISED_FIELDS.map((f) => firstOf(mapping.fields[f], getter));
  const hostField = fields[FIELD_INDEX.host];
  const userField = fields[FIELD_INDEX.user];
  const idGets = (mapping.id ?? []).map(getter);
  const timeGet = getter(mapping.time.path);
  const timeFormat = mapping.time.format;
  const outcome = outcomeOf(mapping, getter);
  const severity = severityOf(mapping, getter);
  const routes = (mapping.routes ?? []).map((r) => routeOf(r, getter));
  const parseText = mapping.text === undefined ? null : textParser(mapping.text);
  const batch = mapping.batch;

  const one = (record: unknown, text: string, ctx: MessageContext, out: Row[], seen: RecordSeen | undefined) => {
    let id = '';
    for (const g of idGets) {
      const v = str(g(record));
      if (v !== null) id = id === '' ? v : `${id}:${v}`;
    }
    const t = str(timeGet(record));
    const parsed = t === null ? Number.NaN : parseTime(t, timeFormat, ctx.reference);
    const base: RowBase = {
      time: parsed >= EARLIEST && parsed < LATEST ? parsed : ctx.reference,
      source,
      record_id: id === '' ? recordHash(text) : id,
      raw: jsonbSafe(parseText === null ? text : JSON.stringify(text)),
    };
    for (const route of routes) {
      const row = route(record, base);
      if (row !== null) {
        if (row.table !== 'logs' && row.host === null) row.host = hostField(record);
        if (row.table === 'process_logs' && row.user === null) row.user = userField(record);
        out.push(row);
        seen?.(record, text, row);
        return;
      }
    }
    const values = fields.map((f) => f(record));
    const o = outcome(record);
    values[FIELD_INDEX.outcome] = o;
    const row: LogRow = { ...base, table: 'logs', fields: values, severity: severity(record, o) };
    out.push(row);
    seen?.(record, text, row);
  };

  return (text, ctx, out, seen) => {
    if (parseText !== null) {
      const parts = parseText(text);
      if (parts === null) return unmapped(source, text, ctx, out);
      return one(parts, text, ctx, out, seen);
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      return unmapped(source, text, ctx, out);
    }
    const inner = batch !== undefined && record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[batch] : undefined;
    if (Array.isArray(inner)) {
      for (const r of inner) one(r, JSON.stringify(r), ctx, out, seen);
      return;
    }
    one(record, text, ctx, out, seen);
  };
}

/** Record times outside these are taken as the message's own time (a garbled year must not name a partition). */
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** PostgreSQL's jsonb refuses the NUL escape; the record keeps everything else as it came. */
function jsonbSafe(json: string): string {
  return json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json;
}

/** A record no mapping reads: kept whole, with its hash as id and its arrival as time. */
function unmapped(source: string, text: string, ctx: MessageContext, out: Row[]): void {
  let raw: string;
  try {
    JSON.parse(text);
    raw = text;
  } catch {
    raw = JSON.stringify(text);
  }
  const fields: (string | null)[] = NORMALISED_FIELDS.map(() => null);
  out.push({ table: 'logs', time: ctx.reference, source, record_id: recordHash(text), raw: jsonbSafe(raw), fields, severity: 'info' });
}

/** Normalisers by source, compiled on first use. */
export class Normalisers {
  private readonly compiled = new Map<string, Normaliser>();

  constructor(private readonly mappings: Readonly<Record<string, SourceMapping>> = MAPPINGS) {}

  /** Whether the source's times carry no year (RFC 3164 syslog). */
  yearless(source: string): boolean {
    return Object.hasOwn(this.mappings, source) && this.mappings[source].time.format === 'syslog';
  }

  for(source: string): Normaliser {
    let n = this.compiled.get(source);
    if (n === undefined) {
      const mapping = Object.hasOwn(this.mappings, source) ? this.mappings[source] : undefined;
      n = mapping === undefined ? (text, ctx, out) => unmapped(source, text, ctx, out) : compileMapping(source, mapping);
      this.compiled.set(source, n);
    }
    return n;
  }
}
