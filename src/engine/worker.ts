/**
 * Worker thread: owns a contiguous range of shards and generates them window by window into parts, which it
 * hands to the main thread. It blocks (awaits a returned buffer) when all its parts are in flight: that is
 * the backpressure from slow sinks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pluginFor } from '../sources/registry.js';
import type { ShardSource } from '../sources/source.js';
import { canonicalActor } from '../population/actor.js';
import { ZoneOffsetCache } from '../population/timezones.js';
import { createScheduler, type Scheduler } from '../traffic/scheduler.js';
import { allocatePart, PartWriter, type PartBuffers, type PartsMessage } from './part.js';
import { HAND_OVER_WINDOWS, isLive, shardContext, shardRange, type RunPlan } from './plan.js';
import { LinkedSources } from './linked.js';
import { inventoryOf } from '../population/inventory.js';
import { planScenarios } from '../scenarios/plan.js';
import { ScenarioInjector } from '../scenarios/inject.js';
import { SpellBoard } from '../scenarios/spells.js';
import { SCENARIOS } from '../scenarios/library/index.js';
import { recordHash } from '../schema/record.js';

interface WorkerInit {
  plan: RunPlan;
  index: number;
  workers: number;
}

const RECORD_HEADROOM = 256 * 1024;
/**
 * SECLOG_POISON_PARTS=1 (set by the test suite): wipe each part when it comes back (bytes and record ends zero, times
 * NaN, actors out of range). Parts are shared memory, so a sink that read a batch after letting go of it would
 * otherwise see plausible records of a later batch; the wiped values make such a bug break the output.
 */
const poisonParts = process.env.SECLOG_POISON_PARTS === '1';

async function main(): Promise<void> {
  const { plan, index, workers } = workerData as WorkerInit;
  const port = parentPort!;
  // Structured clone gives the actors many hidden classes: rebuild them in one shape for the hot path.
  const actors = plan.actors.map(canonicalActor);
  const plugins = plan.sources.map((s) => pluginFor(s.config as Parameters<typeof pluginFor>[0]));
  const runtimes = plan.sources.map((s, k) => plugins[k].createRuntime(s.config, plan.seed, actors));
  const own = Array.from({ length: plan.partsPerWorker }, (_, slot) => allocatePart(plan.partBytes, plan.partRecords, slot));
  const part = new PartWriter(own[0], RECORD_HEADROOM);
  // This worker's part of the process's shards (all 64, or one group of `--shard k/n`).
  const [groupFrom, groupTo] = plan.shards;
  const [lo, hi] = shardRange(index, workers, groupTo - groupFrom);
  const [from, to] = [groupFrom + lo, groupFrom + hi];
  const zoneCache = new ZoneOffsetCache();
  const shards: { scheduler: Scheduler; source: ShardSource }[] = [];
  const names = plugins.map((p) => p.type);
  const scenarios = plan.scenarios
    ? planScenarios(plan.scenarios, SCENARIOS, plan.seed, actors, inventoryOf(actors), names, plan.startMs)
    : null;
  const recordIds = plugins.map((p) => p.recordId ?? recordHash);
  // Spells (a miner's hours on a server) are seen by whichever shard samples the host: one board for the worker.
  const spells = scenarios !== null && scenarios.running.some((r) => r.steps.some((st) => st.spell !== undefined)) ? new SpellBoard(scenarios, names.map((name, k) => ({ name, recordId: recordIds[k] }))) : null;
  let totalRate = 0;
  for (const a of actors) totalRate += a.rate_per_hour;
  // traffic.events_per_day: the sources' own scheduled records come first; activity makes up the rest.
  const timedPerDay = plugins.reduce((n, p, k) => n + (p.timedRecordsPerDay?.(runtimes[k]) ?? 0), 0);
  const traffic = plan.traffic.events_per_day === undefined ? plan.traffic : { ...plan.traffic, events_per_day: Math.max(0, plan.traffic.events_per_day - timedPerDay) };
  if (index === 0 && plan.traffic.events_per_day !== undefined && timedPerDay >= plan.traffic.events_per_day * 0.9) {
    const notice = `traffic.events_per_day = ${plan.traffic.events_per_day}: the sources' scheduled samples (hosts sampled every few seconds) alone write about ${Math.round(timedPerDay)} records a day, ${timedPerDay >= plan.traffic.events_per_day ? 'more than the target: the people and workloads will not act at all' : 'nearly all of it: little is left for the people and workloads'}; raise the target or sample fewer hosts`;
    port.postMessage({ type: 'notice', text: notice });
  }
  for (let s = from; s < to; s++) {
    const base = shardContext(plan.seed, s, actors, plan.shardCount, plan.identityProvider, plan.startMs);
    const ctx = spells === null ? base : { ...base, spells };
    // One traffic for the shard; with several sources every tick goes to each of them (engine/linked.ts).
    const lanes = plugins.map((plugin, k) => plugin.createShard(runtimes[k], ctx));
    let source: ShardSource = lanes.length === 1 ? lanes[0] : new LinkedSources(lanes, part);
    // Attack scenarios: their steps go into the victims' timelines through these same sources (src/scenarios/).
    if (scenarios !== null && scenarios.running.length > 0) source = new ScenarioInjector(source, lanes.map((l, k) => ({ name: names[k], source: l, recordId: recordIds[k] })), part, scenarios, ctx);
    let own = 0;
    for (const a of ctx.actors) own += a.rate_per_hour;
    shards.push({ scheduler: createScheduler(ctx, traffic, plan.startMs, plan.shardCount, zoneCache, totalRate > 0 ? own / totalRate : 0), source });
  }

  port.postMessage({ type: 'parts', worker: index, parts: own } satisfies PartsMessage);
  const free: PartBuffers[] = own.slice(1);
  let waiting: (() => void) | null = null;
  let stopped = false;
  port.on('message', (msg: { type: string; slot?: number }) => {
    if (msg.type === 'recycle' && msg.slot !== undefined) {
      const buffers = own[msg.slot];
      if (poisonParts) {
        buffers.bytes.fill(0);
        buffers.ends.fill(0);
        buffers.times.fill(NaN);
        buffers.actors.fill(0xffffffff);
        buffers.sources.fill(0xff);
      }
      free.push(buffers);
      waiting?.();
    } else if (msg.type === 'stop') {
      stopped = true;
      waiting?.();
    }
  });

  const flush = async (through: number) => {
    const { message, transfer } = part.seal(index, through);
    port.postMessage(message, transfer);
    while (free.length === 0 && !stopped) await new Promise<void>((resolve) => (waiting = resolve));
    waiting = null;
    if (!stopped) part.attach(free.pop()!);
  };

  let sinceFlush = 0;
  for (let window = 0; !stopped; window++) {
    const end = Math.min(plan.startMs + (window + 1) * plan.windowMs, plan.untilMs);
    for (const shard of shards) {
      while (!shard.scheduler.run(end, part, shard.source)) {
        await flush(window);
        sinceFlush = 0;
        if (stopped) return;
      }
    }
    const last = end >= plan.untilMs;
    if (last || part.full || ++sinceFlush >= HAND_OVER_WINDOWS || isLive(plan.pace, end, Date.now())) {
      await flush(last ? Infinity : window + 1);
      sinceFlush = 0;
    }
    if (last) break;
  }
  if (!stopped) port.postMessage({ type: 'done', worker: index });
}

main().catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
