/**
 * A pack's manifest (`pack.toml`): what the pack writes (record format, file extension), whose activity drives it,
 * its parameters, samples, values and event types. Validated strictly; every problem names the pack file, the line
 * and the key. Nothing in a pack runs code: values come from the generators `values.ts` knows.
 */
import { deliveryDelaySchema } from '../delivery-delay.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { parseConfigText } from '../../util/config-file.js';
import { ConfigError, type ConfigProblem } from '../../util/config-errors.js';
import { validate } from '../../util/validate.js';
import { packageRoot } from '../../util/package.js';
import { UsageError } from '../../util/errors.js';
import { HUMAN_ROLES } from '../../population/kinds.js';

const name = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, { message: 'expected a name of lower-case letters, digits, "-" and "_", starting with a letter' });
const number = z.number();
const positive = z.number().positive();

/** One value generator, as a table with exactly one of these keys (the kind) and its settings. */
export const valueSchema = z.union([
  z.strictObject({ const: z.union([z.string(), number, z.boolean()]) }),
  z.strictObject({ weighted: z.record(z.string(), z.number().nonnegative()) }),
  z.strictObject({ choice: z.array(z.union([z.string(), number])).min(1) }),
  z.strictObject({
    sample: name,
    column: z.string().min(1).optional(),
    where: z.record(z.string(), z.string()).optional(),
    /** Only rows whose value in this column is the event's host's role (a web server's processes). */
    host_role_column: z.string().min(1).optional(),
    /** A row per event (default), or one per host or actor for the whole run (a host's main process). */
    per: z.enum(['event', 'host', 'actor']).default('event'),
  }),
  /**
   * Someone else in the organisation, picked per event: a person of the population (of these roles, with these
   * column values), whose columns are `{{ var.column }}` (`{{ target.ad_sam_account_name }}`); the var itself shows
   * `column` (default: the actor id).
   */
  z.strictObject({
    person: z.strictObject({
      roles: z.array(z.enum(HUMAN_ROLES)).min(1).optional(),
      where: z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])).optional(),
      column: z.string().min(1).optional(),
    }),
  }),
  /** A version-4 UUID: a new one per event (`true`), or one per host or actor for the whole run (an agent's id). */
  z.strictObject({ uuid: z.union([z.literal(true), z.enum(['host', 'actor', 'session'])]) }),
  z.strictObject({ hex: z.int().min(1).max(64) }),
  z.strictObject({ base64: z.int().min(1).max(256) }),
  /**
   * A whole number, uniform: new per event, or the same for every event of a host, an actor or a person's working
   * session (`per = "session"`: a logon id, drawn from the seed, the person and the session — every pack of the run
   * shows the same one for that session).
   */
  z.strictObject({ int: z.strictObject({ min: z.int(), max: z.int(), per: z.enum(['event', 'host', 'actor', 'session']).default('event') }) }),
  z.strictObject({ normal: z.strictObject({ mean: number, sd: positive, min: number.optional(), max: number.optional(), decimals: z.int().min(0).max(6).default(0) }) }),
  z.strictObject({ lognormal: z.strictObject({ median: positive, sigma: positive, min: number.optional(), max: number.optional(), decimals: z.int().min(0).max(6).default(0) }) }),
  z.strictObject({ exponential: z.strictObject({ mean: positive, decimals: z.int().min(0).max(6).default(0) }) }),
  z.strictObject({ pareto: z.strictObject({ min: positive, alpha: positive, max: number.optional(), decimals: z.int().min(0).max(6).default(0) }) }),
  z.strictObject({ ipv4: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: 'expected a CIDR block such as 10.0.0.0/8' }) }),
  z.strictObject({ mac: z.literal(true) }),
  /** Increasing numbers per host, actor or run; `per = "record"`: a new number for each record of an event (record ids). */
  z.strictObject({ counter: z.strictObject({ scope: z.enum(['host', 'actor', 'run']), start: z.int().min(0).default(1), block: z.int().min(1).max(1000).default(1), per: z.enum(['event', 'record']).default('event') }) }),
  z.strictObject({ param: name }),
  /**
   * A number that follows the day: `base` at night, `peak` at `peak_hour` (UTC + `utc_offset_h`), with noise (a
   * fraction of the range) — a host's CPU or memory load.
   */
  z.strictObject({
    daily: z.strictObject({
      base: number,
      peak: number,
      peak_hour: z.number().min(0).max(24).default(14),
      utc_offset_h: z.number().min(-12).max(14).default(0),
      noise: z.number().min(0).max(1).default(0.05),
      min: number.optional(),
      max: number.optional(),
      decimals: z.int().min(0).max(6).default(4),
    }),
  }),
  /**
   * Episodes: a host (or an actor) now and then enters a spell of `min_minutes` to `max_minutes` (a runaway
   * process, a memory leak): at most one starts per day, with chance `per_day` (a number, or the name of a
   * parameter). The value is 0 outside an episode and, inside, the share of it elapsed (0 < x ≤ 1: a leak grows with
   * it). The same at any worker count: derived from the run's seed, the host and the day.
   */
  z.strictObject({
    episode: z.strictObject({
      per_day: z.union([z.number().min(0).max(1), name]),
      min_minutes: z.number().positive().max(1440),
      max_minutes: z.number().positive().max(1440),
      per: z.enum(['host', 'actor']).default('host'),
      /** Also on during the run's attack-scenario spells of this kind on the host (docs/scenarios.md): a labelled miner. */
      scenario: name.optional(),
    }),
  }),
  /** The hour of the day (UTC plus `utc_offset_h`), with its fraction: 13.5 at half past one — for `when` windows. */
  z.strictObject({ hour_of_day: z.strictObject({ utc_offset_h: z.number().min(-12).max(14).default(0) }) }),
  /** A number derived from other numeric values: `user + system`, `round(used / total, 4)` (expr.ts). */
  z.strictObject({ expr: z.string().min(1), decimals: z.int().min(0).max(6).default(0) }),
]);
export type ValueSpec = z.output<typeof valueSchema>;

const sampleSchema = z
  .strictObject({
    /** A CSV file with a header row, or a JSON file holding an array of objects (relative to the pack folder). */
    file: z.string().min(1).optional(),
    /** Inline values (one column, `value`), instead of a file. */
    values: z.array(z.union([z.string(), number])).min(1).optional(),
    /** The column holding each row's weight (default: rows are equally likely). */
    weight: z.string().min(1).optional(),
  })
  .refine((s) => (s.file === undefined) !== (s.values === undefined), { message: 'give either file or values' });

const eventSchema = z
  .strictObject({
    name,
    /** How often it is picked against the others (`pick = "chance"`); 0: only scenarios write it (an attack's step). */
    weight: z.number().nonnegative().default(1),
    /** The record's template (one record), or several (`records`, written together: one event of several lines). */
    template: z.string().min(1).optional(),
    template_file: z.string().min(1).optional(),
    records: z.array(z.string().min(1)).min(1).max(64).optional(),
    /** Whose activity writes this event (default: the pack's `actors` and `roles`). */
    actors: z.enum(['people', 'services', 'all']).optional(),
    roles: z.array(z.enum(HUMAN_ROLES)).min(1).optional(),
    /** The hosts this event is about (default: the pack's `host_roles`). */
    host_roles: z.array(z.string().min(1)).optional(),
    /** Only servers of these environments (default: the pack's `host_environments`). */
    host_environments: z.array(z.string().min(1)).min(1).optional(),
    /**
     * With several records: per record, the server role it is about instead of the event's host ("" keeps the
     * event's host): a logon's Kerberos ticket on a domain controller (`"dc"`), then the logon on the workstation.
     * One server of each role is picked per event; `host.*` and per-host counters follow the record's host.
     */
    record_hosts: z.array(z.string()).optional(),
    /**
     * A host's own schedule instead of people's activity: every host of the event's roles writes it every this many
     * seconds (a metrics agent's period), whoever is active.
     */
    every_s: z.number().min(1).max(86_400).optional(),
    /**
     * Only when this expression over the pack's numeric values is not 0 (`miner`, `not(miner)`, `if(leak, 1, 0)`):
     * otherwise the event writes nothing (a scheduled sample is skipped; a picked event leaves the tick empty).
     */
    when: z.string().min(1).optional(),
    /** With `states`: the states the actor must be in for this event (default: any), and the state it leaves it in. */
    from: z.union([name, z.array(name).min(1)]).optional(),
    to: name.optional(),
    /**
     * Values this event's actor keeps until it is back in the first state (the state machine's memory: the SSH
     * session's host, pid and session id for the sudo and the logout that follow): var names, and `host`.
     */
    keep: z.array(name).min(1).max(16).optional(),
    /**
     * With several records: the time from each record to the next, in milliseconds: a number or the name of a
     * numeric var (a session's length, a command's duration). Records keep the event's values; `time` moves.
     */
    gaps_ms: z.array(z.union([z.number().nonnegative(), name])).optional(),
  })
  .refine((e) => [e.template, e.template_file, e.records].filter((x) => x !== undefined).length === 1, { message: 'give one of template, template_file or records' });

export const RECORD_FORMATS = ['text', 'json'] as const;
export const ESCAPES = ['none', 'json', 'clf', 'csv', 'xml', 'kv'] as const;

/** Where an envelope field's value is in a JSON pack's records: a dotted path, or failure when a field has one of these values. */
const envelopeSource = z.union([z.string().min(1), z.strictObject({ failure_when: z.strictObject({ field: z.string().min(1), values: z.array(z.string()).min(1) }) })]);

/** A JSON pack's Parquet layout: its columns (DuckDB types) and where the common envelope's fields come from. */
const parquetSchema = z.strictObject({
  columns: z.array(z.strictObject({ name: z.string().min(1), type: z.string().min(1), description: z.string().min(1) })).min(1),
  envelope: z
    .strictObject({
      timestamp: envelopeSource.optional(),
      event_type: envelopeSource.optional(),
      actor: envelopeSource.optional(),
      target: envelopeSource.optional(),
      outcome: envelopeSource.optional(),
      ip: envelopeSource.optional(),
      user_agent: envelopeSource.optional(),
      session_id: envelopeSource.optional(),
      tenant_id: envelopeSource.optional(),
    })
    .default({}),
});

export const manifestSchema = z.strictObject({
  name,
  description: z.string().min(1),
  /** `text`: records are lines written as they are; `json`: each record is one JSON document (JSONL). */
  format: z.enum(RECORD_FORMATS),
  /** How values are escaped where templates insert them (default: json for JSON packs, none for text). */
  escape: z.enum(ESCAPES).optional(),
  /** File extension of a text pack's output (`log`). */
  extension: z.string().regex(/^[a-z0-9]{1,8}$/).default('log'),
  /** Whose activity writes records: people, services (workloads) or every actor. */
  actors: z.enum(['people', 'services', 'all']).default('all'),
  /** Only people of these roles (admin, developer, readonly, auditor); default: every person. */
  roles: z.array(z.enum(HUMAN_ROLES)).min(1).optional(),
  /**
   * Only actors whose population columns have these values (`{ workstation_os = "Windows 11" }`; a list: any of
   * them): the people with a Windows workstation.
   */
  actors_where: z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])).optional(),
  /**
   * In a run with other sources: the share of an actor's activity ticks that write an event of this pack (above 1:
   * several events a tick, 2.5 writing two or three).
   */
  share: z.number().min(0).max(20).default(0.1),
  /** How the records reach a consumer (`[delivery] delayed = true`); default: an agent on the host (seconds, and hosts offline for hours now and then). */
  delivery_delay: deliveryDelaySchema.optional(),
  /** Alone in a run: the share of the actors' activity ticks that write an event (default 1: every tick). An alert feed
   * keeps its low rate either way. */
  alone_share: z.number().min(0).max(20).default(1),
  /**
   * The pack is benign look-alike noise of attack signals (an alert feed's policy hits, scans, admin logons): a run's
   * `[scenarios] noise_ratio` scales its rate.
   */
  noise: z.boolean().default(false),
  /**
   * The hosts the records are about (`host.*`): the inventory's servers of these roles, one picked per record; the
   * actor's own workstation when empty.
   */
  host_roles: z.array(z.string().min(1)).default([]),
  /** Only servers of these environments (`prod`, `staging`, `dev`); default: every environment. */
  host_environments: z.array(z.string().min(1)).min(1).optional(),
  /**
   * A state machine over each actor's events: its states (the first is where every actor starts); events say which
   * states they happen in (`from`) and which they lead to (`to`): sign-in → activity → sign-out.
   */
  states: z.array(name).min(1).max(255).optional(),
  /**
   * How a tick picks among the events the actor can write: `chance` (by weight), `spin` (each in turn, in the
   * manifest's order, per actor), `all` (every one, in order) or `chain` (the events named in `chain`, in that order:
   * a fixed sequence, names may repeat).
   */
  pick: z.enum(['chance', 'spin', 'all', 'chain']).default('chance'),
  chain: z.array(name).min(1).max(64).optional(),
  /** The state belongs to the actor for the whole run, or to each working session (back to the first at a new one). */
  state_scope: z.enum(['actor', 'session']).default('actor'),
  params: z.record(name, z.strictObject({ default: z.union([z.string(), number, z.boolean()]), description: z.string().min(1) })).default({}),
  samples: z.record(name, sampleSchema).default({}),
  vars: z.record(name, valueSchema).default({}),
  events: z.array(eventSchema).min(1),
  /** JSON packs: the Parquet columns, so `output.format.type = "parquet"` can write them. */
  parquet: parquetSchema.optional(),
  /**
   * How to find a record's unique id in its text (scenarios' labels name records by it): a regular expression whose
   * groups, joined by `:`, are the id (`<host>:<record number>`). Default: a hash of the record.
   */
  record_id: z
    .string()
    .min(1)
    .refine((r) => {
      try {
        return new RegExp(r).source.length > 0;
      } catch {
        return false;
      }
    }, 'expected a regular expression (JavaScript syntax)')
    .optional(),
});
export type Manifest = z.output<typeof manifestSchema>;

/** A pack as read from its folder: the manifest, its templates' text, its samples' rows. */
export interface LoadedPack {
  readonly dir: string;
  readonly file: string;
  /** The manifest's text (for the lines in messages). */
  readonly text: string;
  readonly manifest: Manifest;
  /** Per event: its record templates. */
  readonly templates: readonly (readonly string[])[];
  /** Per sample: rows as column → text, and each row's weight. */
  readonly samples: ReadonlyMap<string, { rows: readonly Record<string, string>[]; weights: readonly number[] }>;
}

/** The folder of a built-in pack (a name) or of a pack given by path. */
export function packDir(pack: string): string {
  if (/^[a-z][a-z0-9_-]*$/.test(pack)) {
    const builtIn = join(packageRoot(), 'packs', pack);
    if (existsSync(join(builtIn, 'pack.toml'))) return builtIn;
  }
  const dir = resolve(pack);
  if (existsSync(join(dir, 'pack.toml'))) return dir;
  throw new UsageError(`pack ${JSON.stringify(pack)}: no built-in pack of that name and no pack.toml in ${dir} (built-in packs: ${builtInPacks().join(', ') || 'none'})`);
}

export function builtInPacks(): string[] {
  const root = join(packageRoot(), 'packs');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => existsSync(join(root, n, 'pack.toml')))
    .sort();
}

/**
 * The line of `path`'s key in the manifest's text, for messages: the `key =` line under its table (`[vars.status]`,
 * the n-th `[[events]]`), else the table's header, else the nearest enclosing one found.
 */
export function lineOf(text: string, path: readonly PropertyKey[]): number | undefined {
  const lines = text.split('\n');
  const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$/;
  // Tables in order, with the lines they span.
  const tables: { name: string; array: boolean; from: number; to: number }[] = [{ name: '', array: false, from: 0, to: lines.length }];
  lines.forEach((l, i) => {
    const m = header.exec(l);
    if (!m) return;
    tables[tables.length - 1].to = i;
    tables.push({ name: m[1].replace(/\s*\.\s*/g, '.'), array: l.trim().startsWith('[['), from: i, to: lines.length });
  });
  const keyLine = (t: { from: number; to: number }, key: string): number | undefined => {
    const re = new RegExp(`^\\s*${escapeRe(key)}\\s*=`);
    for (let i = t.from; i < t.to; i++) if (re.test(lines[i])) return i + 1;
    return undefined;
  };
  // Walk the path: table names joined by dots, an index picks the n-th [[table]]; other keys are looked for in the
  // last table found (or the top level).
  let best: number | undefined;
  let name = '';
  let current = tables[0];
  for (let k = 0; k < path.length; k++) {
    const part = path[k];
    if (typeof part === 'number') continue;
    name = name ? `${name}.${String(part)}` : String(part);
    const index = typeof path[k + 1] === 'number' ? (path[k + 1] as number) : 0;
    const matching = tables.filter((t) => t.name === name);
    const table = matching[Math.min(index, matching.length - 1)];
    if (table) {
      current = table;
      best = table.from + 1;
      continue;
    }
    const line = keyLine(current, String(part));
    if (line !== undefined) best = line;
  }
  return best;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Reads and validates a pack folder. Problems are ConfigErrors naming the pack file, the line and the key. */
export function loadPack(pack: string): LoadedPack {
  const dir = packDir(pack);
  const file = join(dir, 'pack.toml');
  const text = readFileSync(file, 'utf8');
  const raw = parseConfigText(text, file);
  let manifest: Manifest;
  try {
    manifest = validate(manifestSchema, raw, file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(
      file,
      err.problems.map((p) => {
        const line = lineOf(text, p.path.split(/[.[\]]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
        return { ...p, path: line ? `${p.path} (line ${line})` : p.path };
      }),
    );
  }
  const problem = (path: string, allowed: string, value?: string): ConfigError => {
    const line = lineOf(text, path.split(/[.[\]]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
    return new ConfigError(file, [{ path: line ? `${path} (line ${line})` : path, value, allowed } satisfies ConfigProblem]);
  };
  const templates = manifest.events.map((e, i) => {
    if (e.records) return e.records;
    if (e.template) return [e.template];
    const path = join(dir, e.template_file!);
    if (!existsSync(path)) throw problem(`events[${i}].template_file`, `no such file in the pack folder (${path})`, JSON.stringify(e.template_file));
    // One record per line of the file (a multi-line file is one event of several records).
    return readFileSync(path, 'utf8').replace(/\n+$/, '').split('\n');
  });
  const samples = new Map<string, { rows: Record<string, string>[]; weights: number[] }>();
  for (const [key, s] of Object.entries(manifest.samples)) {
    let rows: Record<string, string>[];
    if (s.values) rows = s.values.map((v) => ({ value: String(v) }));
    else {
      const path = join(dir, s.file!);
      if (!existsSync(path)) throw problem(`samples.${key}.file`, `no such file in the pack folder (${path})`, JSON.stringify(s.file));
      const body = readFileSync(path, 'utf8');
      try {
        rows = s.file!.endsWith('.json') ? readJsonRows(body) : readCsv(body);
      } catch (err) {
        throw problem(`samples.${key}.file`, (err as Error).message, JSON.stringify(s.file));
      }
      if (rows.length === 0) throw problem(`samples.${key}.file`, 'the sample has no rows', JSON.stringify(s.file));
    }
    const weights = rows.map((r, i) => {
      if (s.weight === undefined) return 1;
      const w = Number(r[s.weight]);
      if (!(w >= 0) || !Number.isFinite(w)) throw problem(`samples.${key}.weight`, `row ${i + 1}: column ${JSON.stringify(s.weight)} must hold a number >= 0 (found ${JSON.stringify(r[s.weight] ?? null)})`, JSON.stringify(s.weight));
      return w;
    });
    samples.set(key, { rows, weights });
  }
  return { dir, file, text, manifest, templates, samples };
}

function readJsonRows(body: string): Record<string, string>[] {
  const data: unknown = JSON.parse(body);
  if (!Array.isArray(data) || !data.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) throw new Error('expected a JSON array of objects');
  return data.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
}

/** RFC 4180 CSV with a header row: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function readCsv(body: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') records.push(row);
      row = [];
    } else field += ch;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    records.push(row);
  }
  const [header, ...rest] = records;
  if (!header) return [];
  return rest.map((r, i) => {
    if (r.length !== header.length) throw new Error(`row ${i + 2} has ${r.length} fields; the header has ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, r[k]]));
  });
}
