/**
 * One shard of a pack source: on an actor's activity tick, picks an event type by weight among those the actor's
 * state allows and writes its records (several for a multi-record event, sharing the event's values), about the
 * actor's host or a server of the event's roles; and writes the hosts' scheduled samples that are due. Alone in a run,
 * every tick of the pack's actors writes an event; beside other sources, a share of them.
 */
import { Slots } from '../../encode/layout/index.js';
import type { Server } from '../../population/inventory.js';
import { Rng } from '../../util/rng.js';
import { fnv1a } from '../../util/hash.js';
import type { InjectedStep, RecordOut, ShardContext, ShardSource } from '../source.js';
import { PackContext, slotNumber, type ActorTables, type CompiledPack, type EventTable } from './compile.js';

export interface PackRuntime {
  readonly compiled: CompiledPack;
  /** Beside other sources: the share of activity ticks that write an event. */
  readonly share: number;
  /** Alone in a run: the share of activity ticks that write an event. */
  readonly aloneShare: number;
  /** The run's multiplier of the pack's rate (`scale`); below 1 it also thins the hosts' scheduled samples. */
  readonly scale: number;
  /** Per event: the servers its records are about (empty: the actor's own host). */
  readonly hosts: readonly (readonly Server[])[];
  /** Per event with `record_hosts`: per record, the servers of its role (null: the event's host). */
  readonly recordHosts: readonly ((readonly (readonly Server[] | null)[]) | null)[];
  /** The inventory's servers by role (for `{{ hosts.<role>.… }}`). */
  readonly serversByRole: ReadonlyMap<string, readonly Server[]>;
  /** Per actor (global index): whether it writes the pack's events (`actors_where`). */
  readonly allowed: Uint8Array;
  /** The workloads' global indexes: the shards that sample hosts on their own schedule are theirs. */
  readonly hostOwners: readonly number[];
  /** One slot state per thread, shared by its shards (they run one after another). */
  slots(ctx: PackContext): Slots<PackContext>;
}

/**
 * Most records a tick writes for the hosts' own schedules (engine/part.ts keeps room for 2,048); a backlog is caught
 * up over later ticks.
 */
const DRAIN_RECORDS = 1024;

/** A host's next sample of a periodic event. */
interface HostClock {
  readonly event: number;
  readonly host: Server;
  /** The shard's actor the samples are written under (the workload that owns the host). */
  readonly local: number;
  readonly everyMs: number;
  readonly offsetMs: number;
  dueMs: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** `{{ pack:<var> }}` in a scenario step's value: the pack's own value of that var for the event (the host's pid). */
const PACK_REF = /\{\{ pack:([\w.]+) \}\}/;
const PACK_REFS = /\{\{ pack:([\w.]+) \}\}/g;
/** First byte of a preset that still names pack values (a control character no escaped value starts with). */
const PACK_REF_MARK = 1;

export class PackShard implements ShardSource {
  /** The hosts this shard samples on their own schedule (host i of an event: the shard of the i-th busiest workload, of four). */
  private clocks: HostClock[] | null = null;
  /** Each actor's state in the pack's state machine (bounded: one byte an actor), and the session it belongs to. */
  private readonly stateOf: Uint8Array;
  private readonly sessionOf: Int32Array;
  /** What each actor keeps while out of the first state (bounded: at most 16 values an actor). */
  private readonly memory: ({ host: Server | null; values: [number, Uint8Array][] } | null)[];
  /** Per record of the event being written: the server it is about (with `record_hosts`; reused, not reallocated). */
  private readonly recordHostOf: (Server | null)[] = new Array(64).fill(null);
  /** With `pick = "spin"`: each actor's turn (the next event of its table). */
  private readonly turn: Uint32Array;
  private readonly rng: Rng;
  private readonly ctx: PackContext;
  /** A scenario step's values for the event being written (slot id, escaped bytes), filled over the pack's own. */
  private presets: [number, Uint8Array][] | null = null;
  private eventIndex: Map<string, number> | null = null;
  private readonly slots: Slots<PackContext>;

  constructor(
    private readonly runtime: PackRuntime,
    private readonly shard: ShardContext,
    name: string,
  ) {
    this.rng = new Rng(shard.seed, `shard/${shard.shard}/pack/${name}`);
    this.ctx = new PackContext(runtime.compiled.sampleVars, runtime.compiled.counterVars);
    this.ctx.rng = this.rng;
    this.ctx.sessions = shard.sessions;
    this.ctx.shard = shard.shard;
    this.ctx.seed = shard.seed;
    this.ctx.spells = shard.spells ?? null;
    this.ctx.pickServer = (role) => {
      const list = runtime.serversByRole.get(role);
      return list === undefined || list.length === 0 ? undefined : list[this.rng.int(list.length)];
    };
    this.slots = runtime.slots(this.ctx);
    this.stateOf = new Uint8Array(shard.actors.length);
    this.sessionOf = new Int32Array(shard.actors.length).fill(-1);
    this.memory = new Array(shard.actors.length).fill(null);
    this.turn = new Uint32Array(runtime.compiled.pick === 'spin' ? shard.actors.length : 0);
  }

  /** The events actor `local`'s activity can write, per state. */
  private tablesOf(local: number): ActorTables {
    const c = this.runtime.compiled;
    const a = this.shard.actors[local];
    return a.kind === 'human' && a.role !== null ? c.byRole[a.role] : c.services;
  }

  private takes(local: number): boolean {
    return this.runtime.allowed[this.shard.actorIndexes[local]] === 1 && this.tablesOf(local).any;
  }

  /** The events actor `local` can write now: those of its state (back to the first at a new working session). */
  private tableNow(local: number, timeMs: number): EventTable {
    const tables = this.tablesOf(local);
    if (tables.byState.length === 1) return tables.byState[0];
    if (this.runtime.compiled.stateScope === 'session' && this.shard.actors[local].kind === 'human') {
      const serial = this.shard.sessions.workSession(local, timeMs).serial;
      if (this.sessionOf[local] !== serial) {
        this.sessionOf[local] = serial;
        this.stateOf[local] = 0;
        this.memory[local] = null;
      }
    }
    return tables.byState[this.stateOf[local]];
  }

  /**
   * Picks and writes an event of actor `local`'s current state (every one, with `all` and `chain`), and moves it to the
   * event's next state. Returns whether the tick goes on: a change of state ends it (a logon's programs start after
   * it, on later ticks).
   */
  private pickAndWrite(local: number, timeMs: number, out: RecordOut): boolean {
    if (this.runtime.allowed[this.shard.actorIndexes[local]] !== 1) return false;
    const t = this.tableNow(local, timeMs);
    if (t.table === null) return false;
    const pick = this.runtime.compiled.pick;
    if (pick === 'all' || pick === 'chain') {
      for (const index of t.events) this.writeEvent(local, timeMs, out, index);
      return true;
    }
    const index = t.events[pick === 'spin' ? this.turn[local]++ % t.events.length : t.table.pick(this.rng)];
    if (!this.writeEvent(local, timeMs, out, index)) return true;
    const before = this.stateOf[local];
    const event = this.runtime.compiled.events[index];
    if (event.to >= 0) this.stateOf[local] = event.to;
    if (this.stateOf[local] === 0) this.memory[local] = null;
    else if (event.keepHost || event.keepSlots.length > 0) {
      // Remember the event's values (copied: slots are reused) for the events that follow in this state.
      const kept = this.memory[local] ?? { host: null, values: [] };
      if (event.keepHost) kept.host = this.ctx.host;
      for (const id of event.keepSlots) {
        const v = this.slots.get(id);
        const bytes = (v.ref ?? v.scratch.buf.subarray(0, v.scratch.pos)).slice();
        const at = kept.values.findIndex(([slot]) => slot === id);
        if (at >= 0) kept.values[at][1] = bytes;
        else kept.values.push([id, bytes]);
      }
      this.memory[local] = kept;
    }
    return this.stateOf[local] === before;
  }

  startSession(): boolean {
    return false;
  }

  /** The hosts this shard samples, each with its next due time (built on first use). */
  private hostClocks(): HostClock[] {
    if (this.clocks !== null) return this.clocks;
    const c = this.runtime.compiled;
    this.clocks = [];
    if (this.shard.actors.length === 0) return this.clocks;
    c.events.forEach((e, index) => {
      if (e.everyMs === 0) return;
      const owners = this.runtime.hostOwners;
      this.runtime.hosts[index].forEach((host, i) => {
        // A host is sampled by the shard of a workload (workloads are active day and night), host i by the i-th.
        const owner = owners.length > 0 ? owners[i % owners.length] : -1;
        const shard = owner >= 0 ? owner % this.shard.shardCount : i % this.shard.shardCount;
        if (shard !== this.shard.shard) return;
        const local = Math.max(0, this.shard.actorIndexes.indexOf(owner));
        // One beat per host, as an agent's metricsets all start with it: a 60 s sample falls on a 10 s one.
        const offsetMs = fnv1a(host.hostname) % e.everyMs;
        // The first sample at or after the run's start, on the host's own beat.
        const fromMs = this.shard.startMs;
        this.clocks!.push({ event: index, host, local, everyMs: e.everyMs, offsetMs, dueMs: Math.ceil((fromMs - offsetMs) / e.everyMs) * e.everyMs + offsetMs });
      });
    });
    return this.clocks;
  }

  /**
   * Writes the hosts' scheduled samples due by `timeMs` (before it, when `before`) at their due times, in time
   * order, on the shard's ticks and at the end of each window: the same calls at any worker count, so the same
   * records. At most DRAIN_RECORDS a call; false when more are due.
   */
  private drain(timeMs: number, out: RecordOut, before: boolean, indexMs: number): boolean {
    const clocks = this.hostClocks();
    if (clocks.length === 0) return true;
    const c = this.runtime.compiled;
    const limit = before ? timeMs - 1 : timeMs;
    let written = 0;
    while (written < DRAIN_RECORDS) {
      let next: HostClock | null = null;
      for (const clock of clocks) if (clock.dueMs <= limit && (next === null || clock.dueMs < next.dueMs)) next = clock;
      if (next === null) return true;
      // A pack scaled down (a quieter alert feed) keeps each scheduled sample with that chance, the same on any shard.
      const kept = this.runtime.scale >= 1 || fnv1a(`${this.shard.seed}/${next.event}/${next.host.hostname}/${next.dueMs}`) / 2 ** 32 < this.runtime.scale;
      if (kept && this.writeEvent(next.local, next.dueMs, out, next.event, next.host, Math.max(indexMs, next.dueMs))) {
        written += c.events[next.event].records.length;
        this.timedRecords += c.events[next.event].records.length;
      }
      next.dueMs += next.everyMs;
    }
    return false;
  }

  /** Records of the hosts' scheduled samples written so far (ShardSource.timedRecords). */
  timedRecords = 0;

  until(untilMs: number, out: RecordOut): boolean {
    // The part may be full after the window's last tick: hand it on first (the samples are the same either way).
    for (;;) {
      if (out.full) return false;
      if (this.drain(untilMs, out, true, 0)) return true;
    }
  }

  /** How many events a tick writes for a share: its whole part, and one more with the chance of its fraction. */
  private eventsFor(share: number): number {
    const whole = Math.floor(share);
    return whole === share ? whole : whole + (this.rng.float() < share - whole ? 1 : 0);
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    this.drain(timeMs, out, false, timeMs);
    for (let n = this.eventsFor(this.runtime.aloneShare); n > 0; n--) if (!this.pickAndWrite(local, timeMs, out)) break;
  }

  /**
   * Writes the records of event type `index` (the manifest's order) for actor `local` at `timeMs`: about `host`, or
   * a host of the event's roles. `indexMs` is when the records count as written (a scheduled sample caught up late).
   * False when the event's `when` says not now (nothing written), unless `always` (a preview of that event).
   */
  writeEvent(local: number, timeMs: number, out: RecordOut, index: number, host?: Server, indexMs = timeMs, always = false): boolean {
    const { compiled } = this.runtime;
    const ctx = this.ctx;
    const event = compiled.events[index];
    const hosts = this.runtime.hosts[index];
    ctx.actor = this.shard.actors[local];
    ctx.local = local;
    ctx.timeMs = timeMs;
    ctx.eventMs = timeMs;
    ctx.host = host ?? (hosts.length > 0 ? hosts[this.rng.int(hosts.length)] : null);
    ctx.event++;
    ctx.eventHosts.clear();
    // A scenario's step about a server: the event's records about servers of that role are about that one too.
    if (this.presets !== null && host !== undefined) ctx.eventHosts.set(host.role, host);
    const slots = this.slots;
    slots.bind(ctx);
    slots.nextRecord();
    // An event of the state machine (it names the states it happens in), inside a state: the values the actor kept
    // (its session's host, pid, session id) stand for this event's own.
    const kept = host === undefined && event.from !== null && this.stateOf[local] !== 0 ? this.memory[local] : null;
    if (kept) {
      if (kept.host) ctx.host = kept.host;
      for (const [id, bytes] of kept.values) slots.fill(id, bytes);
    }
    if (this.presets !== null) for (const [id, bytes] of this.presets) slots.fill(id, bytes.length > 0 && bytes[0] === PACK_REF_MARK ? this.expand(bytes) : bytes);
    if (event.when !== null && !always && event.when(slots) === 0) return false;
    const globalIndex = this.shard.actorIndexes[local];
    const records = event.records;
    const eventHost = ctx.host;
    const recordHosts = this.runtime.recordHosts[index];
    // Records about other servers (a domain controller's ticket before the workstation's logon): one server per
    // role, picked when the event starts (any record can show them: {{ hosts.<role>.<field> }}).
    const chosen = this.recordHostOf;
    if (recordHosts !== null) {
      const roles = event.recordHosts!;
      for (let r = 0; r < records.length; r++) {
        const list = recordHosts[r];
        if (list === null || list.length === 0) {
          chosen[r] = eventHost;
          continue;
        }
        let h = ctx.eventHosts.get(roles[r]);
        if (h === undefined) ctx.eventHosts.set(roles[r], (h = list[this.rng.int(list.length)]));
        chosen[r] = h;
      }
    }
    for (let r = 0; r < records.length; r++) {
      if (r > 0) for (const id of compiled.recordSlots) slots.invalidate(id);
      if (recordHosts !== null) {
        const h = chosen[r];
        if (h !== ctx.host) {
          ctx.host = h;
          for (const id of compiled.hostSlots) slots.invalidate(id);
        }
      }
      if (r > 0 && event.gaps.length > 0) {
        // The next record, later: the event's values stay, its time moves (the slots showing it resolve again).
        const gap = event.gaps[r - 1];
        ctx.timeMs += 'ms' in gap ? gap.ms : Math.max(0, slotNumber(slots.get(gap.slot)));
        for (const id of compiled.timeSlots) compiled.registry.resolvers[id](ctx, slots.preset(id), slots);
      }
      records[r].write(out.w, slots);
      out.commit(indexMs, globalIndex);
      // Written under an attack scenario's spell on this host (a miner's hours): labelled as part of it.
      const spells = ctx.spells;
      if (spells !== null) for (const kind of compiled.spellKinds[index]) spells.label(kind, ctx.host?.hostname ?? ctx.actor.workstation_hostname ?? ctx.actor.id, ctx.timeMs, out);
    }
    ctx.host = eventHost;
    return true;
  }

  shareActivity(local: number, timeMs: number, out: RecordOut): void {
    this.drain(timeMs, out, false, timeMs);
    if (!this.takes(local)) return;
    for (let n = this.eventsFor(this.runtime.share); n > 0; n--) if (!this.pickAndWrite(local, timeMs, out)) break;
  }

  /** Whether the pack writes records for actor `local` (its `actors` setting). */
  writesFor(local: number): boolean {
    return this.takes(local);
  }

  /** A step's value with the pack's own values it names filled in (resolved for the event being written). */
  private expand(marked: Uint8Array): Uint8Array {
    const registry = this.runtime.compiled.registry;
    const text = decoder.decode(marked.subarray(1)).replace(PACK_REFS, (whole, name: string) => {
      if (!registry.has(name)) return whole;
      const v = this.slots.get(registry.id(name));
      return decoder.decode((v.ref ?? v.scratch.buf).subarray(0, v.ref ? v.ref.length : v.scratch.pos));
    });
    return encoder.encode(text);
  }

  /**
   * A scenario's step: the pack's event of that name (weight 0 events exist for this) for the victim, about the
   * step's host, with the step's values standing for the pack's vars of those names. Drawn from the step's own
   * stream: the pack's own records stay as they would have been.
   */
  inject(local: number, timeMs: number, step: InjectedStep, out: RecordOut): number {
    const compiled = this.runtime.compiled;
    this.eventIndex ??= new Map(compiled.events.map((e, i) => [e.name, i]));
    const index = this.eventIndex.get(step.event);
    if (index === undefined) return 0;
    let host: Server | undefined;
    if (step.host !== undefined) {
      for (const list of this.runtime.serversByRole.values()) host ??= list.find((sv) => sv.hostname === step.host);
    }
    const registry = compiled.registry;
    this.presets = Object.entries(step.values as Record<string, string>).flatMap(([name, text]): [number, Uint8Array][] => {
      if (!registry.has(name)) return [];
      const escaped = name.endsWith('|raw') ? text : compiled.escape(text);
      // A value naming one of the pack's own ({{ pack:lsass_pid }}: the host's) is completed when the event is written.
      return [[registry.id(name), encoder.encode(PACK_REF.test(text) ? String.fromCharCode(PACK_REF_MARK) + escaped : escaped)]];
    });
    this.rng.swap(step.rng);
    try {
      return this.writeEvent(local, timeMs, out, index, host, timeMs, true) ? compiled.events[index].records.length : 0;
    } finally {
      this.rng.swap(step.rng);
      this.presets = null;
    }
  }
}