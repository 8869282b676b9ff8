/**
 * What every shard of a worker shares: the slot registry, the compiled catalog, the world, the region mix.
 */
import { arenaUtf8 } from '../../encode/assemble/arena.js';
import { type SlotRegistry, Slots } from '../../encode/layout/index.js';
import type { Actor } from '../../population/actor.js';
import { DEFAULT_REGIONS } from '../../population/data/regions.js';
import { AliasTable, type Rng } from '../../util/rng.js';
import { BaselineRates } from './baseline.js';
import { CompiledCatalog } from './compiled.js';
import type { CloudTrailConfig } from './config.js';
import type { EventContext } from './context.js';
import { cloudTrailSlots } from './slots.js';
import { World } from './world.js';

export class RegionMix {
  readonly names: readonly string[];
  readonly bytes: readonly Uint8Array[];
  readonly usEast1: number;
  private readonly table: AliasTable;

  constructor(config: CloudTrailConfig) {
    const entries = config.region_distribution ?? (config.regions ? config.regions.map((name) => ({ name, weight: 1 })) : DEFAULT_REGIONS);
    this.names = entries.map((e) => e.name);
    this.bytes = this.names.map(arenaUtf8);
    this.table = new AliasTable(entries.map((e) => e.weight));
    const allowed = config.regions ?? this.names;
    this.usEast1 = allowed.includes('us-east-1') ? this.indexOf('us-east-1') : -1;
  }

  private indexOf(name: string): number {
    const i = this.names.indexOf(name);
    if (i >= 0) return i;
    // us-east-1 allowed but weighted zero: global services still log there.
    (this.names as string[]).push(name);
    (this.bytes as Uint8Array[]).push(arenaUtf8(name));
    return this.names.length - 1;
  }

  pick(rng: Rng): number {
    return this.table.pick(rng);
  }
}

export interface CloudTrailRuntime {
  readonly registry: SlotRegistry<EventContext>;
  readonly catalog: CompiledCatalog;
  readonly world: World;
  readonly regions: RegionMix;
  /** Each actor's rates of rare events and root sign-ins (catalog/baseline.ts). */
  readonly baseline: BaselineRates;
  /** The thread's one Slots, shared by its shards (created with the first shard's context, rebound per record). */
  sharedSlots(ctx: EventContext): Slots<EventContext>;
}

export function createCloudTrailRuntime(config: CloudTrailConfig, actors: readonly Actor[]): CloudTrailRuntime {
  const registry = cloudTrailSlots();
  let slots: Slots<EventContext> | null = null;
  const catalog = new CompiledCatalog(config, registry);
  return {
    registry,
    catalog,
    baseline: new BaselineRates(catalog, actors),
    world: new World(actors),
    regions: new RegionMix(config),
    sharedSlots: (ctx) => (slots ??= new Slots(registry, ctx)),
  };
}
