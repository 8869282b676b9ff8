/**
 * A pack compiled for the hot path: its templates become the layout ops CloudTrail's records use (static text
 * pre-encoded, one slot per distinct placeholder, resolved at most once per event), and each placeholder a resolver
 * that writes its value already escaped for the pack's record format. Discrete values (weighted picks, sample
 * columns, parameters) are pre-encoded once; numbers, ids and times are written in place.
 */
import { ACTOR_COLUMNS, type Actor } from '../../population/actor.js';
import { HUMAN_ROLES, type HumanRole } from '../../population/kinds.js';
import { ENVIRONMENTS, SERVER_ROLES } from '../../population/data/organisation.js';
import type { Server } from '../../population/inventory.js';
import { formatIpv4, parseCidr } from '../../population/cidr.js';
import { sessionAddresses } from '../../population/addresses.js';
import { utf8 } from '../../encode/byte-writer.js';
import { writeIsoSecond } from '../../encode/time-format.js';
import { CompiledTemplate, SlotRegistry, type Slots, type SlotValue } from '../../encode/layout/index.js';
import { arenaUtf8 } from '../../encode/assemble/arena.js';
import { lowerToProgram } from '../../encode/layout/lower.js';
import { NO_OPS, type Op, OpKind } from '../../encode/layout/ops.js';
import { ConfigError } from '../../util/config-errors.js';
import { AliasTable, Rng } from '../../util/rng.js';
import { fnv1a } from '../../util/hash.js';
import type { SessionBoard } from '../../traffic/sessions.js';
import type { Spells } from '../../traffic/shard-source.js';
import { escaperOf } from './escape.js';
import { lineOf, type LoadedPack, type ValueSpec } from './manifest.js';
import { PER_SECOND, TIME_FORMATS } from './time.js';
import { compileExpr, namesOf, parseExpr, type Expr } from './expr.js';

/** What a pack's resolvers read for the current event. */
export class PackContext {
  rng!: Rng;
  actor!: Actor;
  /** The actor's index in its shard, and the shard's session board (`session.*`). */
  local = 0;
  sessions!: SessionBoard;
  host: Server | null = null;
  /** When the event started (its records may be later): per-session values look the session up at this time. */
  eventMs = 0;
  /** The servers an event's records are about, by role (`record_hosts`; `{{ hosts.<role>.<field> }}`). */
  readonly eventHosts = new Map<string, Server>();
  /** A server of a role for `{{ hosts.<role>.… }}` when the event's records are not about one (picked once per event). */
  pickServer: (role: string) => Server | undefined = () => undefined;
  timeMs = 0;
  /** The shard (counters are unique across shards: value = start + sequence × 64 + shard). */
  shard = 0;
  /** The run's attack-scenario spells (episodes with `scenario` follow them), or null. */
  spells: Spells | null = null;
  /** The run's seed (episodes are drawn from it, the host and the day). */
  seed = '';
  /** Per sample var: the row the current event picked (valid when rowEvent matches event). */
  readonly rows: Int32Array;
  readonly rowEvent: Int32Array;
  /** Per sample var: the host its row was picked for. */
  readonly rowHost: (Server | null)[];
  event = 0;
  /** Per counter var and key (actor id or host name): the next sequence number. */
  readonly counters: Map<string, number>[];

  constructor(sampleVars: number, counterVars: number) {
    this.rows = new Int32Array(sampleVars);
    this.rowEvent = new Int32Array(sampleVars).fill(-1);
    this.rowHost = new Array<Server | null>(sampleVars).fill(null);
    this.counters = Array.from({ length: counterVars }, () => new Map());
  }
}

type Resolver = (ctx: PackContext, out: SlotValue, slots: Slots<PackContext>) => void;

/** A compiled event type: its weight and its records' writers. */
export interface CompiledEvent {
  readonly name: string;
  readonly weight: number;
  readonly records: readonly CompiledTemplate[];
  /** Whose activity writes it: services, and people of these roles. */
  readonly services: boolean;
  readonly roles: readonly HumanRole[];
  /** The server roles it is about (empty: the actor's own host). */
  readonly hostRoles: readonly string[];
  /** A host's own schedule: written by every host of its roles every this many milliseconds (0: on activity). */
  readonly everyMs: number;
  /** The states it can happen in (null: any), and the state it leaves the actor in (-1: unchanged). */
  readonly from: readonly number[] | null;
  readonly to: number;
  /** What the actor keeps from this event until it is back in the first state: the host, and these slots' values. */
  readonly keepHost: boolean;
  readonly keepSlots: readonly number[];
  /** Per record after the first: the milliseconds since the previous one (a number, or a numeric var's slot). */
  readonly gaps: readonly ({ readonly ms: number } | { readonly slot: number })[];
  /** Whether the event is written now (its `when`), given its values; null: always. */
  readonly when: ((slots: Slots<PackContext>) => number) | null;
  /** Only servers of these environments (null: any). */
  readonly hostEnvironments: readonly string[] | null;
  /** Per record: the server role it is about ("": the event's host); null: every record is about the event's host. */
  readonly recordHosts: readonly string[] | null;
}

/** Events to pick from for one kind of actor in one state: their indexes and weights. */
export interface EventTable {
  readonly events: readonly number[];
  readonly table: AliasTable | null;
}

/** A kind of actor's events, per state of the pack's state machine (one state when it has none). */
export interface ActorTables {
  /** Whether any state has an event for this kind of actor. */
  readonly any: boolean;
  readonly byState: readonly EventTable[];
}

export interface CompiledPack {
  readonly registry: SlotRegistry<PackContext>;
  readonly events: readonly CompiledEvent[];
  /** Events the activity of people of each role, and of services, writes, per state (null table: none). */
  readonly byRole: Readonly<Record<HumanRole, ActorTables>>;
  readonly services: ActorTables;
  /** The state machine's scope (its states are the tables' indexes; 0 is where actors start). */
  readonly stateScope: 'actor' | 'session';
  /** How a tick picks among a table's events (chance: by weight; spin: in turn; all and chain: every one, in order). */
  readonly pick: 'chance' | 'spin' | 'all' | 'chain';
  /** The events a tick can write, in the order they are tried (the chain's, or the manifest's). */
  readonly tickOrder: readonly number[];
  /** Slots whose value is the event's time (moved per record when an event spaces its records). */
  readonly timeSlots: readonly number[];
  readonly sampleVars: number;
  readonly counterVars: number;
  /** Slots whose value depends on the record's host (resolved again when a record is about another host). */
  readonly hostSlots: readonly number[];
  /** Slots resolved afresh for every record of an event (per-record counters and what shows them). */
  readonly recordSlots: readonly number[];
  /** Whether templates name other servers (`{{ hosts.<role>.… }}`): the runtime then needs the inventory. */
  readonly usesHosts: boolean;
  /** Whether an actor writes this pack's events at all (`actors_where`). */
  readonly allows: (actor: Actor) => boolean;
  /** How the pack's format escapes a value (a scenario step's values are escaped with it). */
  readonly escape: (value: string) => string;
  /** Per event: the kinds of scenario spell its records show (labelled when written under one). */
  readonly spellKinds: readonly (readonly string[])[];
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FILTERS = ['hex', 'upper', 'lower', 'hexint', 'parent'] as const;
/** `raw`: the value as it is, not escaped (a sample column holding JSON for a JSON pack). */
const RAW = 'raw';

/** A template split into literal text and placeholder expressions (`name`, `name.column`, `ref | filter`). */
export function parseTemplate(text: string): (string | { expr: string; ref: string; filters: string[] })[] {
  const parts: (string | { expr: string; ref: string; filters: string[] })[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const [ref, ...filters] = m[1].split('|').map((s) => s.trim());
    parts.push({ expr: [ref, ...filters].join('|'), ref, filters });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Compiles a loaded pack with its run parameters (`params` override the manifest's defaults). */
export function compilePack(loaded: LoadedPack, params: Readonly<Record<string, unknown>>, actors: readonly Actor[]): CompiledPack {
  const pack = withPeople(loaded, actors);
  const m = pack.manifest;
  const escape = escaperOf(m);
  const problem = (path: string, allowed: string, value?: string) => {
    const line = lineOf(pack.text, path.split(/[.[\]]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
    return new ConfigError(pack.file, [{ path: line ? `${path} (line ${line})` : path, value, allowed }]);
  };
  if (m.parquet && m.format !== 'json') throw problem('parquet', 'only a json pack has Parquet columns (a text pack\'s records are lines)');
  for (const key of Object.keys(params)) {
    if (!(key in m.params)) throw new ConfigError(`(config) pack ${m.name}`, [{ path: `params.${key}`, value: JSON.stringify(params[key]), allowed: `the pack has no such parameter; it has ${Object.keys(m.params).join(', ') || 'none'}` }]);
  }
  const paramValue = (name: string): string => String(params[name] ?? m.params[name].default);
  const varNames = Object.keys(m.vars);
  const sampleVarIndex = new Map<string, number>();
  const counterVarIndex = new Map<string, number>();
  for (const v of varNames) {
    const spec = m.vars[v];
    if ('sample' in spec) {
      if (!pack.samples.has(spec.sample)) throw problem(`vars.${v}.sample`, `no sample of that name; samples: ${[...pack.samples.keys()].join(', ') || 'none'}`, JSON.stringify(spec.sample));
      sampleVarIndex.set(v, sampleVarIndex.size);
    }
    if ('counter' in spec) counterVarIndex.set(v, counterVarIndex.size);
    if ('episode' in spec && typeof spec.episode.per_day === 'string' && !(spec.episode.per_day in m.params)) throw problem(`vars.${v}.episode`, `per_day names no parameter; params: ${Object.keys(m.params).join(', ') || 'none'}`, JSON.stringify(spec.episode.per_day));
    if ('param' in spec && !(spec.param in m.params)) throw problem(`vars.${v}.param`, `no parameter of that name; params: ${Object.keys(m.params).join(', ') || 'none'}`, JSON.stringify(spec.param));
  }

  // The row a sample var picks for the current event (once per event, whichever placeholder asks first).
  const rowPickers = new Map<string, (ctx: PackContext) => number>();
  for (const [v, k] of sampleVarIndex) {
    const spec = m.vars[v] as Extract<ValueSpec, { sample: string }>;
    const sample = pack.samples.get(spec.sample)!;
    const allowed = sample.rows.map((_, i) => i).filter((i) => Object.entries(spec.where ?? {}).every(([col, want]) => sample.rows[i][col] === want));
    if (allowed.length === 0) throw problem(`vars.${v}.where`, 'no row of the sample matches', JSON.stringify(spec.where));
    const byRole = spec.host_role_column;
    if (byRole !== undefined && !(byRole in sample.rows[0])) throw problem(`vars.${v}.host_role_column`, `sample ${spec.sample} has no such column; columns: ${Object.keys(sample.rows[0]).join(', ')}`, JSON.stringify(byRole));
    // Rows to pick from, per host role when the sample is matched to the host (built on first use).
    const tables = new Map<string, { rows: number[]; table: AliasTable }>();
    const tableFor = (role: string) => {
      let t = tables.get(role);
      if (!t) {
        let rows = byRole === undefined ? allowed : allowed.filter((i) => sample.rows[i][byRole] === role);
        if (rows.length === 0) rows = allowed;
        tables.set(role, (t = { rows, table: new AliasTable(rows.map((i) => sample.weights[i])) }));
      }
      return t;
    };
    // A row per host or actor: drawn from the seed, the var and the host's (actor's) name, the same on any shard.
    const perKey = new Map<string, number>();
    const per = spec.per;
    const byHost = per === 'host' || byRole !== undefined;
    rowPickers.set(v, (ctx) => {
      // Once per event; for a row of the host's, again when a record is about another host (record_hosts).
      if (ctx.rowEvent[k] !== ctx.event || (byHost && ctx.rowHost[k] !== ctx.host)) {
        ctx.rowEvent[k] = ctx.event;
        ctx.rowHost[k] = ctx.host;
        const t = tableFor(byRole === undefined ? '' : (ctx.host?.role ?? ''));
        if (per === 'event') ctx.rows[k] = t.rows[t.table.pick(ctx.rng)];
        else {
          const key = per === 'host' ? (ctx.host?.hostname ?? ctx.actor.workstation_hostname ?? ctx.actor.id) : ctx.actor.id;
          let row = perKey.get(key);
          if (row === undefined) perKey.set(key, (row = t.rows[t.table.pick(new Rng(ctx.seed, `pack/${m.name}/${v}/${key}`))]));
          ctx.rows[k] = row;
        }
      }
      return ctx.rows[k];
    });
  }

  const registry = new SlotRegistry<PackContext>();
  const defined = new Set<string>();
  /**
   * Defines the slot of a placeholder. A value is drawn once per event: `{{ id }}` and `{{ id | upper }}` show the
   * same id. So a placeholder with text filters is derived from the slot of its value without them (filters apply
   * to the value as escaped for the format); a time format is part of the value (`time|clf`).
   */
  const define = (expr: string, ref: string, filters: readonly string[], where: string): void => {
    if (defined.has(expr)) return;
    for (const f of filters) if (f !== RAW && !(FILTERS as readonly string[]).includes(f) && !(ref === 'time' && f in TIME_FORMATS)) throw problem(where, `{{ ${expr} }}: unknown filter ${JSON.stringify(f)}; filters: ${FILTERS.join(', ')}${ref === 'time' ? `, time formats: ${Object.keys(TIME_FORMATS).join(', ')}` : ''}`);
    const textFilters = filters.filter((f) => (FILTERS as readonly string[]).includes(f));
    const timeFormat = ref === 'time' ? filters.find((f) => f in TIME_FORMATS) : undefined;
    const raw = filters.includes(RAW);
    const baseExpr = timeFormat ? `time|${timeFormat}` : raw ? `${ref}|${RAW}` : ref;
    if (!defined.has(baseExpr)) {
      registry.define(baseExpr, resolverFor(ref, timeFormat ? [timeFormat] : [], raw ? (s: string) => s : escape, where));
      defined.add(baseExpr);
    }
    if (textFilters.length > 0 && !defined.has(expr)) {
      const base = registry.id(baseExpr);
      const decoder = new TextDecoder();
      registry.define(expr, (_ctx, out, slots) => {
        const v = slots.get(base);
        const src = v.ref ?? v.scratch.buf;
        const length = v.ref ? v.ref.length : v.scratch.pos;
        // ASCII values (ids, names, addresses) are filtered byte by byte; others as text.
        if (!filterAscii(src, length, textFilters, out)) out.compose().text(applyFilters(decoder.decode(src.subarray(0, length)), textFilters));
      });
      defined.add(expr);
    }
  };

  const resolverFor = (ref: string, filters: readonly string[], finish: (s: string) => string, where: string): Resolver => {
    const encodeAll = (values: readonly string[]) => values.map((s) => arenaUtf8(finish(s)));
    if (ref === 'time') {
      const name = filters.find((f) => f in TIME_FORMATS) ?? 'rfc3339';
      const format = TIME_FORMATS[name];
      const iso = ISO_MS.get(name);
      if (iso !== undefined && finish(format(0)) === format(0)) {
        // ISO date and time to the millisecond, when the pack's escaping leaves it as it is (a kv pack quotes the
        // space of datetime_ms): the second's text is rewritten when the second changes, the milliseconds in place.
        const buf = utf8(format(0));
        let second = Number.NaN;
        return (ctx, out) => {
          const ms = Math.floor(ctx.timeMs);
          const s = Math.floor(ms / 1000);
          if (s !== second) {
            second = s;
            writeIsoSecond(buf, 0, ms);
            buf[10] = iso.separator;
            buf[19] = 46;
          }
          const m = ms - s * 1000;
          buf[20] = 48 + Math.floor(m / 100);
          buf[21] = 48 + (Math.floor(m / 10) % 10);
          buf[22] = 48 + (m % 10);
          out.set(buf);
        };
      }
      // Records come in time order within a shard, mostly: keep the last text, for its second or its millisecond.
      const unit = PER_SECOND.has(name) ? 1000 : 1;
      let last = NaN;
      let bytes: Uint8Array = EMPTY;
      return (ctx, out) => {
        const at = Math.floor(ctx.timeMs / unit);
        if (at !== last) {
          last = at;
          bytes = utf8(finish(format(ctx.timeMs)));
        }
        out.set(bytes);
      };
    }
    const dot = ref.indexOf('.');
    const head = dot < 0 ? ref : ref.slice(0, dot);
    const field = dot < 0 ? '' : ref.slice(dot + 1);
    if (head === 'org' && field === 'domain') {
      const bytes = arenaUtf8(finish(actors.find((a) => a.email)?.email?.split('@')[1] ?? 'example.com'));
      return (_ctx, out) => out.set(bytes);
    }
    if (head === 'param' && field in m.params) {
      const bytes = arenaUtf8(finish(paramValue(field)));
      return (_ctx, out) => out.set(bytes);
    }
    // The actor's and host's fields, encoded once per actor or host (an actor's values do not change in a run).
    if (head === 'actor' && ACTOR_FIELDS.has(field)) {
      const key = field as keyof Actor;
      const cache = new Map<Actor, Uint8Array>();
      return (ctx, out) => {
        let bytes = cache.get(ctx.actor);
        if (bytes === undefined) {
          const v = ctx.actor[key];
          cache.set(ctx.actor, (bytes = arenaUtf8(finish(v === null || v === undefined ? '-' : String(v)))));
        }
        out.set(bytes);
      };
    }
    if (head === 'session' && field === 'ip') {
      const addresses = new Map<Actor, Uint8Array[]>();
      return (ctx, out) => {
        let list = addresses.get(ctx.actor);
        if (!list) addresses.set(ctx.actor, (list = sessionAddresses(ctx.actor).map((ip) => arenaUtf8(finish(ip)))));
        out.set(ctx.actor.kind === 'human' ? (list[ctx.sessions.workSession(ctx.local, ctx.eventMs).addressIndex] ?? list[0]) : list[0]);
      };
    }
    if (head === 'hosts') {
      // Another server of the event: {{ hosts.file.hostname }} (the file server an event's later records are about,
      // or the scanner an alert comes from).
      const [role, key] = field.split('.') as [string, keyof Server];
      if (!SERVER_ROLE_NAMES.includes(role) || !HOST_FIELDS.includes(key)) throw problem(where, `{{ ${ref} }}: expected hosts.<role>.<field>, a role of the event's record_hosts (${SERVER_ROLE_NAMES.join(', ')}) and a field (${HOST_FIELDS.join(', ')})`);
      const cache = new Map<Server, Uint8Array>();
      const none = arenaUtf8(finish('-'));
      return (ctx, out) => {
        let server = ctx.eventHosts.get(role);
        if (server === undefined) {
          // Not one of the event's record hosts: a server of that role, the same for the rest of the event.
          server = ctx.pickServer(role);
          if (server === undefined) return out.set(none);
          ctx.eventHosts.set(role, server);
        }
        let bytes = cache.get(server);
        if (bytes === undefined) {
          const v = server[key];
          cache.set(server, (bytes = arenaUtf8(finish(v === null ? '-' : String(v)))));
        }
        out.set(bytes);
      };
    }
    if (head === 'host' && HOST_FIELDS.includes(field as keyof Server)) {
      const key = field as keyof Server;
      const cache = new Map<object, Uint8Array>();
      return (ctx, out) => {
        const owner: object = ctx.host ?? ctx.actor;
        let bytes = cache.get(owner);
        if (bytes === undefined) {
          const v = ctx.host ? ctx.host[key] : hostFallback(ctx.actor, key);
          cache.set(owner, (bytes = arenaUtf8(finish(v === null || v === undefined ? '-' : String(v)))));
        }
        out.set(bytes);
      };
    }
    if (m.vars[head] === undefined) {
      throw problem(where, `{{ ${ref} }} names nothing: use a var (${varNames.join(', ') || 'none defined'}), a sample var's column (var.column), param.<name>, actor.<field> (the population's columns), session.ip, org.domain, host.<field> (${HOST_FIELDS.join(', ')}) or time`);
    }
    const spec = m.vars[head];
    if (dot >= 0 && 'counter' in spec) {
      // A counter's block: {{ serial.3 }} is the event's fourth number.
      const offset = Number(field);
      if (!Number.isInteger(offset) || offset < 0 || offset >= spec.counter.block) throw problem(where, `{{ ${ref} }}: counter ${head} takes ${spec.counter.block} number${spec.counter.block > 1 ? 's' : ''} per event (block); use ${head}.0 … ${head}.${spec.counter.block - 1}`);
      define(head, head, [], where);
      const base = registry.id(head);
      return (_ctx, out, slots) => out.compose().uint(slotNumber(slots.get(base)) + offset);
    }
    if (dot >= 0) {
      if (!('sample' in spec)) throw problem(where, `{{ ${ref} }}: only a sample var (and a counter's block) has columns (${head} is not one)`);
      const sample = pack.samples.get(spec.sample)!;
      if (!(field in sample.rows[0])) throw problem(where, `{{ ${ref} }}: sample ${spec.sample} has no column ${JSON.stringify(field)}; columns: ${Object.keys(sample.rows[0]).join(', ')}`);
      const bytes = encodeAll(sample.rows.map((r) => r[field]));
      const pick = rowPickers.get(head)!;
      return (ctx, out) => out.set(bytes[pick(ctx)]);
    }
    if ('expr' in spec) return exprResolver(head, spec.expr, spec.decimals);
    return valueResolver(head, spec, finish, encodeAll, rowPickers.get(head), counterVarIndex.get(head), pack, paramValue);
  };

  /** A derived number: its expression over other numeric values, each resolved once per event like any value. */
  const exprResolving = new Set<string>();
  function numericExpr(text: string, where: string, varName: string | null): (slots: Slots<PackContext>) => number {
    let tree: Expr;
    try {
      tree = parseExpr(text);
    } catch (err) {
      throw problem(where, (err as Error).message, JSON.stringify(text));
    }
    if (varName !== null) exprResolving.add(varName);
    for (const n of namesOf(tree)) {
      const [nameHead, column] = n.split('.');
      if (column !== undefined) {
        // A sample var's column (a number in the sample's rows).
        if (!(m.vars[nameHead] && 'sample' in m.vars[nameHead])) throw problem(where, `${JSON.stringify(n)}: ${nameHead} is not a sample var`, JSON.stringify(text));
        define(n, n, [], where);
        continue;
      }
      const spec = m.vars[n];
      if (spec === undefined || !(NUMERIC.some((kind) => kind in spec) || 'expr' in spec || 'counter' in spec)) throw problem(where, `${JSON.stringify(n)} is not a numeric value of the pack (numeric values: ${varNames.filter((v) => NUMERIC.some((kind) => kind in m.vars[v]) || 'expr' in m.vars[v] || 'counter' in m.vars[v]).join(', ') || 'none'})`, JSON.stringify(text));
      if (exprResolving.has(n)) throw problem(where, `${JSON.stringify(n)} depends on ${varName} itself`, JSON.stringify(text));
      define(n, n, [], where);
    }
    if (varName !== null) exprResolving.delete(varName);
    return compileExpr<Slots<PackContext>>(tree, (n) => {
      const id = registry.id(n);
      return (slots) => slotNumber(slots.get(id));
    });
  }
  function exprResolver(varName: string, text: string, decimals: number): Resolver {
    const evaluate = numericExpr(text, `vars.${varName}.expr`, varName);
    return (_ctx, out, slots) => writeNumber(out, evaluate(slots), decimals, escape);
  }

  const states = m.states ?? [''];
  const stateIndex = (st: string, where: string): number => {
    const k = m.states?.indexOf(st) ?? -1;
    if (k < 0) throw problem(where, m.states ? `no state of that name; states: ${m.states.join(', ')}` : 'declare the pack\'s states first (states = [...])', JSON.stringify(st));
    return k;
  };

  const events = m.events.map((e, i) => ({
    name: e.name,
    weight: e.weight,
    services: (e.actors ?? m.actors) !== 'people',
    roles: (e.actors ?? m.actors) === 'services' ? [] : (e.roles ?? m.roles ?? HUMAN_ROLES),
    hostRoles: e.host_roles ?? m.host_roles,
    everyMs: (e.every_s ?? 0) * 1000,
    from: e.from === undefined ? null : (Array.isArray(e.from) ? e.from : [e.from]).map((st) => stateIndex(st, `events[${i}].from`)),
    to: e.to === undefined ? -1 : stateIndex(e.to, `events[${i}].to`),
    keepHost: e.keep?.includes('host') ?? false,
    keepSlots: (e.keep ?? [])
      .filter((k) => k !== 'host')
      .map((k) => {
        if (m.vars[k] === undefined) throw problem(`events[${i}].keep`, `${JSON.stringify(k)} is not a var of the pack (keep names vars, or host)`, JSON.stringify(e.keep));
        if (!m.states) throw problem(`events[${i}].keep`, 'keep needs the pack\'s states (what is kept lasts until the actor is back in the first state)', JSON.stringify(e.keep));
        define(k, k, [], `events[${i}].keep`);
        return registry.id(k);
      }),
    gaps: (e.gaps_ms ?? []).map((g, k) => {
      if (typeof g === 'number') return { ms: g };
      const spec = m.vars[g];
      if (spec === undefined || !NUMERIC.some((kind) => kind in spec)) throw problem(`events[${i}].gaps_ms`, `gaps_ms[${k}] = ${JSON.stringify(g)}: expected a number or a numeric var (${varNames.filter((v) => NUMERIC.some((kind) => kind in m.vars[v])).join(', ') || 'none defined'})`);
      define(g, g, [], `events[${i}].gaps_ms`);
      return { slot: registry.id(g) };
    }),
    when: e.when === undefined ? null : numericExpr(e.when, `events[${i}].when`, null),
    hostEnvironments: e.host_environments ?? m.host_environments ?? null,
    recordHosts: e.record_hosts ?? null,
    records: pack.templates[i].map((text) => {
      const ops: Op[] = [];
      for (const part of parseTemplate(text)) {
        if (typeof part === 'string') ops.push({ kind: OpKind.Static, bytes: utf8(part), slot: -1, tail: EMPTY, ops: NO_OPS });
        else {
          define(part.expr, part.ref, part.filters, `events[${i}].${e.records ? 'records' : e.template_file ? 'template_file' : 'template'}`);
          ops.push({ kind: OpKind.Slot, bytes: EMPTY, slot: registry.id(part.expr), tail: EMPTY, ops: NO_OPS });
        }
      }
      return ops;
    }),
  })).map((e, i): CompiledEvent => {
    if (e.everyMs > 0 && e.hostRoles.length === 0) throw problem(`events[${i}].every_s`, 'an event on the hosts\' own schedule needs host_roles (the pack\'s or its own)', String(e.everyMs / 1000));
    if (e.gaps.length > 0 && e.gaps.length !== e.records.length - 1) throw problem(`events[${i}].gaps_ms`, `expected ${e.records.length - 1} gaps (one between each two of its ${e.records.length} records)`);
    if (e.recordHosts !== null && e.recordHosts.length !== e.records.length) throw problem(`events[${i}].record_hosts`, `expected ${e.records.length} entries (one per record: a server role, or "" for the event's host)`, JSON.stringify(e.recordHosts));
    for (const role of [...e.hostRoles, ...(e.recordHosts ?? []).filter((r) => r !== '')]) {
      if (!SERVER_ROLE_NAMES.includes(role)) throw problem(`events[${i}].${e.recordHosts?.includes(role) ? 'record_hosts' : 'host_roles'}`, `no server role ${JSON.stringify(role)}; roles: ${SERVER_ROLE_NAMES.join(', ')}`, JSON.stringify(role));
    }
    return { ...e, records: e.records.map((ops) => new CompiledTemplate(ops, lowerToProgram(ops, registry))) };
  });
  if ((m.pick === 'chain') !== (m.chain !== undefined)) throw problem(m.chain ? 'chain' : 'pick', m.chain ? 'a chain needs pick = "chain"' : 'pick = "chain" needs chain = [the events\' names, in order]', JSON.stringify(m.chain ?? m.pick));
  if (m.states && (m.pick === 'all' || m.pick === 'chain')) throw problem('pick', `pick = ${JSON.stringify(m.pick)} writes every event on each tick; a state machine (states) needs pick = "chance" or "spin"`, JSON.stringify(m.pick));
  // The events a tick can write, in the order they are tried: the manifest's, or the chain's.
  const order = (m.chain ?? []).map((n, k) => {
    const i = m.events.findIndex((e) => e.name === n);
    if (i < 0) throw problem('chain', `chain[${k}] = ${JSON.stringify(n)} is not an event of the pack; events: ${m.events.map((e) => e.name).join(', ')}`);
    if (events[i].everyMs > 0) throw problem('chain', `chain[${k}] = ${JSON.stringify(n)} is written on the hosts' own schedule (every_s), not on a tick`);
    return i;
  });
  if (m.pick !== 'chain') events.forEach((_, i) => order.push(i));
  const tableOf = (takes: (e: CompiledEvent) => boolean): ActorTables => {
    const byState = states.map((_, st): EventTable => {
      const list = order.filter((i) => events[i].everyMs === 0 && events[i].weight > 0 && takes(events[i]) && (events[i].from === null || events[i].from!.includes(st)));
      return { events: list, table: list.length > 0 ? new AliasTable(list.map((i) => events[i].weight)) : null };
    });
    return { any: byState.some((t) => t.table !== null), byState };
  };
  const byRole = Object.fromEntries(HUMAN_ROLES.map((r) => [r, tableOf((e) => e.roles.includes(r))])) as Record<HumanRole, ActorTables>;
  const timeSlots = registry.names().flatMap((n) => (n === 'time' || n.startsWith('time|') ? [registry.id(n)] : []));
  /**
   * The slots whose value depends on something a record can change: those whose own var (or ref head) `direct` says
   * so, and every expression over them (names as registered: `x`, `x | hexint`, `x.3`).
   */
  const slotsDependingOn = (direct: (head: string, spec: ValueSpec | undefined) => boolean): number[] => {
    const memo = new Map<string, boolean>();
    const depends = (name: string): boolean => {
      const known = memo.get(name);
      if (known !== undefined) return known;
      memo.set(name, false);
      const head = name.split('|')[0].split('.')[0];
      const spec = m.vars[head];
      const v = direct(head, spec) || (spec !== undefined && 'expr' in spec && [...namesOf(parseExpr(spec.expr))].some(depends));
      memo.set(name, v);
      return v;
    };
    return registry.names().flatMap((n) => (depends(n) ? [registry.id(n)] : []));
  };
  // Values that follow the record's host: host.*, and per-host counters, uuids, sample rows, ints and episodes.
  const hostSlots = slotsDependingOn((head, spec) => {
    if (spec === undefined) return head === 'host';
    if ('counter' in spec) return spec.counter.scope === 'host';
    if ('uuid' in spec) return spec.uuid === 'host';
    if ('sample' in spec) return spec.per === 'host' || spec.host_role_column !== undefined;
    if ('int' in spec) return spec.int.per === 'host';
    if ('episode' in spec) return spec.episode.per === 'host';
    return false;
  });
  // Values new for every record: per-record counters.
  const recordSlots = slotsDependingOn((_head, spec) => spec !== undefined && 'counter' in spec && spec.counter.per === 'record');
  const where = Object.entries(m.actors_where ?? {}).map(([column, want]) => {
    if (!ACTOR_FIELDS.has(column)) throw problem(`actors_where.${column}`, `no population column of that name; columns: ${[...ACTOR_FIELDS].join(', ')}`, JSON.stringify(want));
    return [column as keyof Actor, new Set(Array.isArray(want) ? want : [want])] as const;
  });
  const allows = (a: Actor) => where.every(([column, want]) => want.has(String(a[column])));
  for (const [where, envs] of [['host_environments', m.host_environments], ...m.events.map((e, i) => [`events[${i}].host_environments`, e.host_environments] as const)] as const) {
    for (const env of envs ?? []) if (!ENVIRONMENT_NAMES.includes(env)) throw problem(where, `no environment ${JSON.stringify(env)}; environments: ${ENVIRONMENT_NAMES.join(', ')}`, JSON.stringify(env));
  }
  // Per event, the scenario spells its records show (they depend on an episode var that follows one): those records
  // are labelled when written under a spell.
  const kinds = [...new Set(Object.values(m.vars).flatMap((spec) => ('episode' in spec && spec.episode.scenario !== undefined ? [spec.episode.scenario] : [])))];
  const kindSlots = kinds.map((kind) => new Set(slotsDependingOn((_head, spec) => spec !== undefined && 'episode' in spec && spec.episode.scenario === kind)));
  const spellKinds = m.events.map((_, i) => {
    const used = pack.templates[i].flatMap((text) => parseTemplate(text).flatMap((part) => (typeof part === 'string' ? [] : [registry.id(part.expr)])));
    return kinds.filter((_kind, k) => used.some((id) => kindSlots[k].has(id)));
  });
  const compiled: CompiledPack = { registry, events, byRole, services: tableOf((e) => e.services), stateScope: m.state_scope, pick: m.pick, tickOrder: order, timeSlots, hostSlots, recordSlots, allows, usesHosts: registry.names().some((n) => n.startsWith('hosts.')), sampleVars: sampleVarIndex.size, counterVars: counterVarIndex.size, escape, spellKinds };
  const share = Math.max(m.share, m.alone_share);
  if (recordsPerTick(compiled, share) > TICK_RECORDS) {
    throw problem(m.alone_share > m.share ? 'alone_share' : 'share', `a tick would write up to ${recordsPerTick(compiled, share)} records (${Math.ceil(share)} event${share > 1 ? 's' : ''} of up to ${recordsPerTick(compiled, 1)} records); at most ${TICK_RECORDS}: lower the share or the records per event`, String(share));
  }
  return compiled;
}

const EMPTY = new Uint8Array(0);

/** A numeric slot's value (ASCII digits, maybe a sign, decimals and an exponent). */
export function slotNumber(v: SlotValue): number {
  const bytes = v.ref ?? v.scratch.buf;
  const length = v.ref ? v.ref.length : v.scratch.pos;
  let n = 0;
  let i = 0;
  let simple = length > 0;
  for (; i < length; i++) {
    const c = bytes[i];
    if (c < 48 || c > 57) {
      simple = false;
      break;
    }
    n = n * 10 + (c - 48);
  }
  if (simple) return n;
  let s = '';
  for (let k = 0; k < length; k++) s += String.fromCharCode(bytes[k]);
  const x = Number(s);
  return Number.isFinite(x) ? x : 0;
}

const SERVER_ROLE_NAMES = SERVER_ROLES.map((r) => r.role);
const ENVIRONMENT_NAMES = ENVIRONMENTS.map((e) => e.name);

/**
 * Most records one activity tick may write (its events; the hosts' due samples are another 1,024 at most): the
 * engine keeps 2,048 record entries free when a part counts as full (engine/part.ts RECORD_SLACK), and a tick is
 * never split, so that every part boundary gives the same records.
 */
export const TICK_RECORDS = 1024;

/** The most records a tick of this pack writes with this share (several events a tick above 1; every event with all or chain). */
export function recordsPerTick(compiled: CompiledPack, share: number): number {
  const onTicks = compiled.events.filter((e) => e.everyMs === 0);
  const perEvent = compiled.pick === 'all' || compiled.pick === 'chain' ? compiled.tickOrder.reduce((n, i) => n + compiled.events[i].records.length, 0) : Math.max(0, ...onTicks.map((e) => e.records.length));
  return Math.ceil(share) * perEvent;
}

/** Time formats that are ISO date and time to the millisecond, by the character between date and time. */
const ISO_MS: ReadonlyMap<string, { separator: number }> = new Map([
  ['rfc3339', { separator: 84 }],
  ['rfc5424', { separator: 84 }],
  ['datetime_ms', { separator: 32 }],
]);

/**
 * The pack with each `person` var as a sample var over the population's people (rows: their columns as text, equally
 * likely), so that people are picked and their columns shown the way sample rows are. Without actors (the compile
 * that only checks the pack) the rows are one placeholder person.
 */
function withPeople(pack: LoadedPack, actors: readonly Actor[]): LoadedPack {
  const people = Object.entries(pack.manifest.vars).filter((e): e is [string, Extract<ValueSpec, { person: unknown }>] => 'person' in e[1]);
  if (people.length === 0) return pack;
  const samples = new Map(pack.samples);
  const vars = { ...pack.manifest.vars };
  const sampleSpecs = { ...pack.manifest.samples };
  const columns = ACTOR_COLUMNS.map(([name]) => name);
  for (const [v, { person }] of people) {
    for (const column of [...Object.keys(person.where ?? {}), ...(person.column ? [person.column] : [])]) {
      if (!ACTOR_FIELDS.has(column)) throw new ConfigError(pack.file, [{ path: `vars.${v}.person`, value: JSON.stringify(column), allowed: `a population column: ${columns.join(', ')}` }]);
    }
    const rows = actors
      .filter((a) => a.kind === 'human' && (person.roles === undefined || (a.role !== null && person.roles.includes(a.role))))
      .filter((a) => Object.entries(person.where ?? {}).every(([c, want]) => (Array.isArray(want) ? want : [want]).includes(String(a[c as keyof Actor]))))
      .map((a) => Object.fromEntries(columns.map((c) => [c, a[c as keyof Actor] === null ? '-' : String(a[c as keyof Actor])])));
    const name = `@person/${v}`;
    samples.set(name, { rows: rows.length > 0 ? rows : [Object.fromEntries(columns.map((c) => [c, '-']))], weights: rows.length > 0 ? rows.map(() => 1) : [1] });
    sampleSpecs[name] = { values: ['-'] };
    vars[v] = { sample: name, column: person.column ?? 'id', per: 'event' };
  }
  return { ...pack, samples, manifest: { ...pack.manifest, vars, samples: sampleSpecs } };
}

/** Generators of numbers (usable as gaps between an event's records). */
const NUMERIC = ['int', 'normal', 'lognormal', 'exponential', 'pareto', 'const', 'choice', 'weighted', 'daily', 'episode', 'hour_of_day', 'param'] as const;
const ACTOR_FIELDS = new Set<string>(ACTOR_COLUMNS.map(([name]) => name));
const HOST_FIELDS: readonly (keyof Server)[] = ['hostname', 'role', 'environment', 'criticality', 'os', 'ip', 'owner_id', 'account_id', 'domain'];

/** `host.*` of a pack without host roles: the actor's own workstation (people) or its runtime (services). */
function hostFallback(actor: Actor, key: keyof Server): string | null {
  switch (key) {
    case 'hostname':
      return actor.workstation_hostname ?? actor.id;
    case 'ip':
      return actor.workstation_ip ?? sessionAddresses(actor)[0];
    case 'os':
      return actor.workstation_os;
    case 'account_id':
      return actor.account_id;
    default:
      return null;
  }
}

/** Applies text filters to ASCII bytes straight into the slot; false (nothing written) when a byte is not ASCII. */
function filterAscii(src: Uint8Array, length: number, filters: readonly string[], out: SlotValue): boolean {
  for (let i = 0; i < length; i++) if (src[i] > 127) return false;
  if (filters.length !== 1) return false;
  const f = filters[0];
  if (f === 'parent') {
    // What comes before the last "-" or "/": a SID's domain, a URL's folder. (Not "\\": filters see the value as
    // escaped, and an escaped backslash would be cut in half.)
    let end = length - 1;
    while (end >= 0 && src[end] !== 45 && src[end] !== 47) end--;
    out.compose().bytes(src.subarray(0, Math.max(0, end)));
    return true;
  }
  if (f === 'hexint') {
    // A decimal number in lower-case hex (Windows' 0x1a2c process ids): digits only, below 2^53.
    if (length === 0 || length > 15) return false;
    let n = 0;
    for (let i = 0; i < length; i++) {
      const c = src[i];
      if (c < 48 || c > 57) return false;
      n = n * 10 + (c - 48);
    }
    out.compose().ascii(n.toString(16));
    return true;
  }
  const w = out.compose();
  if (f === 'hex') {
    for (let i = 0; i < length; i++) {
      w.byte(HEX_UPPER.charCodeAt(src[i] >> 4));
      w.byte(HEX_UPPER.charCodeAt(src[i] & 15));
    }
    return true;
  }
  const upper = f === 'upper';
  for (let i = 0; i < length; i++) {
    const c = src[i];
    w.byte(upper ? (c >= 97 && c <= 122 ? c - 32 : c) : c >= 65 && c <= 90 ? c + 32 : c);
  }
  return true;
}

const HEX_UPPER = '0123456789ABCDEF';

function applyFilters(s: string, filters: readonly string[]): string {
  for (const f of filters) {
    if (f === 'upper') s = s.toUpperCase();
    else if (f === 'lower') s = s.toLowerCase();
    else if (f === 'hex') s = Buffer.from(s, 'utf8').toString('hex').toUpperCase();
    else if (f === 'hexint') s = /^\d+$/.test(s) ? BigInt(s).toString(16) : s;
    else if (f === 'parent') s = s.slice(0, Math.max(0, Math.max(s.lastIndexOf('-'), s.lastIndexOf('/'))));
  }
  return s;
}

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The resolver of a var (a generator of `values`), writing its value escaped. */
function valueResolver(
  name: string,
  spec: ValueSpec,
  finish: (s: string) => string,
  encodeAll: (values: readonly string[]) => Uint8Array[],
  pickRow: ((ctx: PackContext) => number) | undefined,
  counter: number | undefined,
  pack: LoadedPack,
  paramValue: (name: string) => string,
): Resolver {
  if ('const' in spec) {
    const bytes = arenaUtf8(finish(String(spec.const)));
    return (_ctx, out) => out.set(bytes);
  }
  if ('param' in spec) {
    const bytes = arenaUtf8(finish(paramValue(spec.param)));
    return (_ctx, out) => out.set(bytes);
  }
  if ('weighted' in spec) {
    const entries = Object.entries(spec.weighted);
    const bytes = encodeAll(entries.map(([v]) => v));
    const table = new AliasTable(entries.map(([, w]) => w));
    return (ctx, out) => out.set(bytes[table.pick(ctx.rng)]);
  }
  if ('choice' in spec) {
    const bytes = encodeAll(spec.choice.map(String));
    return (ctx, out) => out.set(bytes[ctx.rng.int(bytes.length)]);
  }
  if ('sample' in spec) {
    const sample = pack.samples.get(spec.sample)!;
    const column = spec.column ?? Object.keys(sample.rows[0]).find((c) => c !== (pack.manifest.samples[spec.sample].weight ?? '')) ?? 'value';
    const bytes = encodeAll(sample.rows.map((r) => r[column] ?? ''));
    const pick = pickRow!;
    return (ctx, out) => out.set(bytes[pick(ctx)]);
  }
  if ('daily' in spec) {
    const d = spec.daily;
    const noise = d.noise * Math.abs(d.peak - d.base);
    return (ctx, out) => {
      // A smooth day: cos² around the peak hour, the base for the twelve hours opposite it.
      const hour = ((ctx.timeMs / 3_600_000 + d.utc_offset_h) % 24 + 24) % 24;
      const c = Math.cos(((hour - d.peak_hour) / 24) * 2 * Math.PI);
      const shape = c > 0 ? c * c : 0;
      writeNumber(out, clamp(d.base + (d.peak - d.base) * shape + noise * ctx.rng.normal(), d.min, d.max), d.decimals, finish);
    };
  }
  if ('episode' in spec) return episodeResolver(name, spec.episode, paramValue, finish);
  if ('hour_of_day' in spec) {
    const offset = spec.hour_of_day.utc_offset_h;
    return (ctx, out) => writeNumber(out, (((ctx.timeMs / 3_600_000 + offset) % 24) + 24) % 24, 4, finish);
  }
  if ('uuid' in spec) {
    if (spec.uuid === 'session') {
      const last = new Map<Actor, { serial: number; bytes: Uint8Array }>();
      return (ctx, out) => {
        const serial = sessionSerial(ctx);
        const v = last.get(ctx.actor);
        if (v !== undefined && v.serial === serial) return out.set(v.bytes);
        const r = new Rng(ctx.seed, sessionKey(name, ctx.actor, serial));
        const w = out.compose();
        w.uuid4(r.u32(), r.u32(), r.u32(), r.u32());
        last.set(ctx.actor, { serial, bytes: w.buf.slice(w.pos - 36, w.pos) });
      };
    }
    if (spec.uuid !== true) {
      // One per host or actor: drawn from the seed, the var and the host's (actor's) name.
      const per = spec.uuid;
      const cache = new Map<string, Uint8Array>();
      return (ctx, out) => {
        const key = per === 'host' ? (ctx.host?.hostname ?? ctx.actor.workstation_hostname ?? ctx.actor.id) : ctx.actor.id;
        let bytes = cache.get(key);
        if (bytes === undefined) {
          const r = new Rng(ctx.seed, `pack/${name}/${key}`);
          const w = out.compose();
          w.uuid4(r.u32(), r.u32(), r.u32(), r.u32());
          cache.set(key, (bytes = w.buf.slice(w.pos - 36, w.pos)));
          return;
        }
        out.set(bytes);
      };
    }
    return (ctx, out) => {
      const w = out.compose();
      const r = ctx.rng;
      w.uuid4(r.u32(), r.u32(), r.u32(), r.u32());
    };
  }
  if ('hex' in spec) return randomChars(spec.hex, HEX, 4);
  if ('base64' in spec) return randomChars(spec.base64, B64, 6);
  if ('int' in spec) {
    const { min, max, per } = spec.int;
    if (max < min) throw new Error(`var ${name}: int max < min`);
    if (per === 'event') return (ctx, out) => writeNumber(out, min + ctx.rng.int(max - min + 1), 0, finish);
    if (per === 'session') {
      // Drawn once per person and session (the last session's value is kept per person).
      const last = new Map<Actor, { serial: number; value: number }>();
      return (ctx, out) => {
        const serial = sessionSerial(ctx);
        let v = last.get(ctx.actor);
        if (v === undefined || v.serial !== serial) last.set(ctx.actor, (v = { serial, value: min + new Rng(ctx.seed, sessionKey(name, ctx.actor, serial)).int(max - min + 1) }));
        writeNumber(out, v.value, 0, finish);
      };
    }
    // The same for every event of a host (a daemon's pid) or of an actor: a hash of its name and the var's.
    const cache = new Map<string, number>();
    return (ctx, out) => {
      const key = per === 'host' ? (ctx.host?.hostname ?? ctx.actor.workstation_hostname ?? ctx.actor.id) : ctx.actor.id;
      let v = cache.get(key);
      if (v === undefined) cache.set(key, (v = min + (fnv1a(`${name}/${key}`) % (max - min + 1))));
      writeNumber(out, v, 0, finish);
    };
  }
  if ('normal' in spec) {
    const s = spec.normal;
    return (ctx, out) => writeNumber(out, clamp(s.mean + s.sd * ctx.rng.normal(), s.min, s.max), s.decimals, finish);
  }
  if ('lognormal' in spec) {
    const s = spec.lognormal;
    return (ctx, out) => writeNumber(out, clamp(ctx.rng.logNormal(s.median, s.sigma), s.min, s.max), s.decimals, finish);
  }
  if ('exponential' in spec) {
    const s = spec.exponential;
    return (ctx, out) => writeNumber(out, ctx.rng.exp(s.mean), s.decimals, finish);
  }
  if ('pareto' in spec) {
    const s = spec.pareto;
    // Inverse transform: x = min / U^(1/alpha), U in (0, 1].
    return (ctx, out) => writeNumber(out, clamp(s.min / Math.pow(1 - ctx.rng.float(), 1 / s.alpha), undefined, s.max), s.decimals, finish);
  }
  if ('ipv4' in spec) {
    const { base, bits } = parseCidr(spec.ipv4);
    const span = 2 ** (32 - bits);
    const first = span > 2 ? 1 : 0;
    const count = span > 2 ? span - 2 : span;
    return (ctx, out) => out.compose().ascii(formatIpv4((base + first + ctx.rng.int(count)) >>> 0));
  }
  if ('mac' in spec) {
    return (ctx, out) => {
      const w = out.compose();
      const a = ctx.rng.u32();
      const b = ctx.rng.u32();
      // A locally administered unicast address.
      const bytes = [((a >>> 24) & 0xfc) | 0x02, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 8) & 255, b & 255];
      bytes.forEach((v, i) => {
        if (i > 0) w.byte(58);
        w.byte(HEX.charCodeAt(v >> 4));
        w.byte(HEX.charCodeAt(v & 15));
      });
    };
  }
  if ('counter' in spec) {
    const { scope, start, block } = spec.counter;
    const k = counter!;
    // Unique per scope across shards without coordination: start + (sequence × 64 + shard) × block (64 logical
    // shards); an event takes `block` numbers (var.0, var.1, …: one per record of a multi-record flow).
    return (ctx, out) => {
      const key = scope === 'host' ? (ctx.host?.hostname ?? ctx.actor.workstation_hostname ?? ctx.actor.id) : scope === 'actor' ? ctx.actor.id : '';
      const map = ctx.counters[k];
      const seq = map.get(key) ?? 0;
      map.set(key, seq + 1);
      // An actor's numbers, and those of a person's own workstation (only its owner's shard writes about it), follow
      // on from each other; a server's and the run's interleave the 64 shards'.
      const own = scope === 'actor' || (scope === 'host' && ctx.host === null);
      out.compose().uint(own ? start + seq * block : start + (seq * 64 + ctx.shard) * block);
    };
  }
  throw new Error(`var ${name}: unknown generator`);
}

/** The serial of the person's working session at the event's start (services: 0). */
function sessionSerial(ctx: PackContext): number {
  return ctx.actor.kind === 'human' ? ctx.sessions.workSession(ctx.local, ctx.eventMs).serial : 0;
}

/** The stream of a per-session value: the var, the person and their working session (the same for every source). */
function sessionKey(name: string, actor: Actor, serial: number): string {
  return `pack-session/${name}/${actor.id}/${serial}`;
}

const DAY_MS = 86_400_000;

/**
 * An episode var: 0 outside the host's (or actor's) episodes, the share elapsed inside one. Day d has an episode
 * with chance per_day, starting at a time of that day and lasting min…max minutes, all from a hash of the seed, the
 * var, the host and the day: the same whichever shard or worker asks.
 */
function episodeResolver(name: string, spec: Extract<ValueSpec, { episode: unknown }>['episode'], paramValue: (name: string) => string, finish: (s: string) => string): Resolver {
  let perDay: number;
  if (typeof spec.per_day === 'number') perDay = spec.per_day;
  else {
    perDay = Number(paramValue(spec.per_day));
    if (!(perDay >= 0 && perDay <= 1)) throw new ConfigError(`(config) var ${name}`, [{ path: `params.${spec.per_day}`, value: paramValue(spec.per_day), allowed: 'a chance per day from 0 to 1 (the episode var\'s per_day)' }]);
  }
  const minMs = Math.min(spec.min_minutes, spec.max_minutes) * 60_000;
  const spanMs = Math.abs(spec.max_minutes - spec.min_minutes) * 60_000;
  const U32 = 2 ** 32;
  // Per key: the last day looked at and its episode's [start, end) (end 0: none).
  const cache = new Map<string, { day: number; start: number; end: number; prevStart: number; prevEnd: number }>();
  const episodeOf = (seed: string, key: string, day: number): [number, number] => {
    const tag = `${seed}/${name}/${key}/${day}`;
    if (fnv1a(`${tag}/happens`) / U32 >= perDay) return [0, 0];
    const start = day * DAY_MS + Math.floor((fnv1a(`${tag}/start`) / U32) * DAY_MS);
    return [start, start + minMs + Math.floor((fnv1a(`${tag}/length`) / U32) * spanMs)];
  };
  return (ctx, out) => {
    const key = spec.per === 'host' ? (ctx.host?.hostname ?? ctx.actor.workstation_hostname ?? ctx.actor.id) : ctx.actor.id;
    const day = Math.floor(ctx.timeMs / DAY_MS);
    let e = cache.get(key);
    if (e === undefined || e.day !== day) {
      const [start, end] = episodeOf(ctx.seed, key, day);
      // Yesterday's episode may run past midnight.
      const [prevStart, prevEnd] = episodeOf(ctx.seed, key, day - 1);
      cache.set(key, (e = { day, start, end, prevStart, prevEnd }));
    }
    const t = ctx.timeMs;
    let x = 0;
    if (t >= e.start && t < e.end) x = (t - e.start + 1) / (e.end - e.start);
    else if (t >= e.prevStart && t < e.prevEnd) x = (t - e.prevStart + 1) / (e.prevEnd - e.prevStart);
    // A scenario's spell of this kind on the host (a labelled miner) counts as an episode too.
    if (spec.scenario !== undefined && ctx.spells !== null) x = Math.max(x, ctx.spells.at(spec.scenario, key, t));
    writeNumber(out, x === 0 ? 0 : Math.max(0.0001, x), x === 0 ? 0 : 4, finish);
  };
}

/** `count` characters of `alphabet` (2^bits letters), as many from each random 32-bit draw as it holds. */
function randomChars(count: number, alphabet: string, bits: number): Resolver {
  const perDraw = Math.floor(32 / bits);
  const mask = (1 << bits) - 1;
  const codes = Array.from(alphabet, (c) => c.charCodeAt(0));
  return (ctx, out) => {
    const w = out.compose();
    for (let i = 0; i < count; i += perDraw) {
      const v = ctx.rng.u32();
      const n = Math.min(perDraw, count - i);
      for (let k = 0; k < n; k++) w.byte(codes[(v >>> (bits * k)) & mask]);
    }
  };
}

function clamp(v: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && v < min) return min;
  if (max !== undefined && v > max) return max;
  return v;
}

function writeNumber(out: SlotValue, v: number, decimals: number, finish: (s: string) => string): void {
  const w = out.compose();
  if (!Number.isFinite(v)) v = 0;
  if (decimals === 0) {
    const n = Math.round(v);
    if (n >= 0 && n < 2 ** 53) w.uint(n);
    else w.ascii(finish(String(n)));
  } else w.ascii(finish(v.toFixed(decimals)));
}

