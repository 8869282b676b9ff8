/**
 * One shard of a pack source: on an actor's activity tick, picks an event type by weight and writes its records
 * (several for a multi-record event, sharing the event's values), about the actor's host or a server of the pack's
 * roles. Alone in a run, every tick of the pack's actors writes an event; beside other sources, a share of them.
 */
import { Slots } from '../../encode/layout/index.js';
import type { Server } from '../../population/inventory.js';
import { Rng } from '../../util/rng.js';
import type { RecordOut, ShardContext, ShardSource } from '../source.js';
import { PackContext, slotNumber, type CompiledPack, type EventTable } from './compile.js';

export interface PackRuntime {
  readonly compiled: CompiledPack;
  /** Beside other sources: the share of activity ticks that write an event. */
  readonly share: number;
  /** Per event: the servers its records are about (empty: the actor's own host). */
  readonly hosts: readonly (readonly Server[])[];
  /** One slot state per thread, shared by its shards (they run one after another). */
  slots(ctx: PackContext): Slots<PackContext>;
}

export class PackShard implements ShardSource {
  private readonly rng: Rng;
  private readonly ctx: PackContext;
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
    this.slots = runtime.slots(this.ctx);
  }

  /** The events actor `local`'s activity can write. */
  private tableOf(local: number): EventTable {
    const c = this.runtime.compiled;
    const a = this.shard.actors[local];
    return a.kind === 'human' && a.role !== null ? c.byRole[a.role] : c.services;
  }

  private takes(local: number): boolean {
    return this.tableOf(local).table !== null;
  }

  startSession(): boolean {
    return false;
  }

  emit(local: number, timeMs: number, out: RecordOut): void {
    const t = this.tableOf(local);
    if (t.table === null) return;
    this.writeEvent(local, timeMs, out, t.events[t.table.pick(this.rng)]);
  }

  /** Writes the records of event type `index` (the manifest's order) for actor `local` at `timeMs`. */
  writeEvent(local: number, timeMs: number, out: RecordOut, index: number): void {
    const { compiled } = this.runtime;
    const ctx = this.ctx;
    const event = compiled.events[index];
    const hosts = this.runtime.hosts[index];
    ctx.actor = this.shard.actors[local];
    ctx.local = local;
    ctx.timeMs = timeMs;
    ctx.host = hosts.length > 0 ? hosts[this.rng.int(hosts.length)] : null;
    ctx.event++;
    const slots = this.slots;
    slots.bind(ctx);
    slots.nextRecord();
    const globalIndex = this.shard.actorIndexes[local];
    const records = event.records;
    for (let r = 0; r < records.length; r++) {
      if (r > 0 && event.gaps.length > 0) {
        // The next record, later: the event's values stay, its time moves (the slots showing it resolve again).
        const gap = event.gaps[r - 1];
        ctx.timeMs += 'ms' in gap ? gap.ms : Math.max(0, slotNumber(slots.get(gap.slot)));
        for (const id of compiled.timeSlots) compiled.registry.resolvers[id](ctx, slots.preset(id), slots);
      }
      records[r].write(out.w, slots);
      out.commit(timeMs, globalIndex);
    }
  }

  shareActivity(local: number, timeMs: number, out: RecordOut): void {
    if (this.takes(local) && this.rng.float() < this.runtime.share) this.emit(local, timeMs, out);
  }

  /** Whether the pack writes records for actor `local` (its `actors` setting). */
  writesFor(local: number): boolean {
    return this.takes(local);
  }
}
