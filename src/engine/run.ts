/**
 * `seclog gen`: plans the run, starts the workers, merges their output in deterministic order, paces it to the
 * simulated clock, feeds the sink, reports metrics, and stops cleanly on bounds and signals.
 */
import { SharedBufferPool } from '../encode/shared-buffers.js';
import { randomInt } from 'node:crypto';
import { rmdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { configuredOutputs, populationPath, runSources, type GenConfig } from '../config/gen-config.js';
import type { OutputEntry } from '../sinks/registry.js';
import type { SourcePlugin } from '../sources/source.js';
import { SourceFilter } from './route.js';
import { UsageError } from '../util/errors.js';
import type { Population } from '../population/actor.js';
import { readPopulationParquet } from '../population/parquet.js';
import { federationProvider, type IdentityProvider } from '../population/organisation.js';
import { FanOutSink, type NamedSink, type OutputStats } from '../sinks/fan-out.js';
import type { ExistingOutput, PreparedOutput, SinkContext } from '../sinks/plugin.js';
import { sinkFor } from '../sinks/registry.js';
import type { RecordBatch, RecordSink } from '../sinks/sink.js';
import { pluginFor } from '../sources/registry.js';
import { workerScript } from '../util/worker-script.js';
import { Coalescer } from './coalesce.js';
import { dirname, join } from 'node:path';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { inventoryOf } from '../population/inventory.js';
import { planScenarios } from '../scenarios/plan.js';
import { SCENARIOS } from '../scenarios/library/index.js';
import { checkFileDestination, DestinationError, temporaryPathFor } from '../util/files.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySource = SourcePlugin<any, any>;
import { OrderedMerge } from './merge.js';
import { DelayedDelivery, delayKey } from './delay.js';
import type { PartLabel, PartMessage, PartsMessage } from './part.js';
import { dueAt, isLive, LIVE_PACE, SHARD_COUNT, shardGroup, windowLength, type Pace, type RunPlan } from './plan.js';
import { shardTag, type ShardGroup } from '../sinks/plugin.js';

export interface GenerateOptions {
  config: GenConfig;
  /** A population already in memory (the demo); otherwise read from source.actor_population_path. */
  population?: Population;
  workers: number;
  maxEvents?: number;
  maxSeconds?: number;
  untilMs?: number;
  metricsIntervalMs: number;
  /** Receives a metrics snapshot every interval, and once at the end. */
  onMetrics?: (m: RunMetrics) => void;
  /** Things the user should know that are not errors (leftovers of killed runs removed). */
  onNotice?: (text: string) => void;
  /** Resolves when the run should stop early (signals). */
  stopSignal?: Promise<string>;
  /** Replaces the configured file output (benchmarks, tests). */
  sink?: RecordSink;
  /** Files of earlier runs where this run writes: refuse (default), append or overwrite. */
  existing?: ExistingOutput;
  /** `--shard k/n`: generate only the k-th (1…n) of n groups of the logical shards; n processes write what one does. */
  shard?: ShardGroup;
  /** `--from`: the simulated start (instead of traffic.start_time). */
  fromMs?: number;
  /**
   * `--live`: pace to the wall clock itself (simulated time = wall time), whatever the time scale: a start in the past
   * is generated at full speed, then the run goes on at the clock's pace, writing what a run at full speed would.
   */
  live?: boolean;
}

export interface RunMetrics {
  events: number;
  bytes: number;
  bytesOut: number;
  files: number;
  elapsedMs: number;
  simulatedMs: number;
  startMs: number;
  untilMs: number;
  maxEvents?: number;
  /** Paced to the wall clock itself (`--live`). */
  live?: boolean;
  done: boolean;
  /** Per output: bytes, files, and for network outputs what was sent, acknowledged, retried and failed. */
  outputs: OutputStats[];
}

export interface GenerateSummary extends RunMetrics {
  seed: string;
  /** The shard group this process generated (`--shard k/n`), absent when it generated them all. */
  shard?: ShardGroup;
  workers: number;
  windowMs: number;
  stopReason: string;
  files: number;
  /** Scenarios: those that ran, those skipped (and why), the labels written and where. Absent: none configured. */
  scenarios?: { running: string[]; skipped: { name: string; missing: string[] }[]; labels: number; labelsPath: string };
  /** Peak resident memory of the whole process (all threads), MB. */
  peakRssMb: number;
  /** CPU time of the whole process (all threads), seconds. */
  cpuSeconds: number;
}

const PART_BYTES = 4 * 1024 * 1024;
const PART_RECORDS = 16 * 1024;
const PARTS_PER_WORKER = 6;
/**
 * A generation worker's young generation (V8's default: three 16 MB semi-spaces' worth). A worker makes ~20 MB/s of
 * short-lived garbage (a few small objects per record), which a smaller nursery collects more often at little extra
 * cost. Measured on 2 workers to /dev/null: peak RSS ~330 → ~297 MB, the busiest isolate's GC time 1.5-1.9 % →
 * 1.7-2.0 % of the run, throughput within the noise (8 MB: 280 MB, 2.4-2.6 %).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** One configured output for one source: in a run of several sources each output has a sink per source it takes. */
interface OutputLane {
  entry: OutputEntry;
  name: string;
  key: string;
  /** The source whose records this sink takes, or -1: every source's, as they come (a stream that mixes them). */
  sourceIndex: number;
  ctx: SinkContext;
}

/** The outputs that take each source's records (`sources` routing); every source must have one. */
function outputLanes(config: GenConfig, base: SinkContext, plugins: readonly AnySource[]): OutputLane[] {
  const perSource = config.sources !== undefined;
  const outputs = configuredOutputs(config);
  const lanes: OutputLane[] = [];
  const takesAll = (entry: OutputEntry) => entry.sources === undefined || plugins.every((p) => entry.sources!.includes(p.type));
  for (const [k, plugin] of plugins.entries()) {
    const taking = outputs.filter(({ entry }) => entry.sources === undefined || entry.sources.includes(plugin.type));
    if (taking.length === 0) throw new UsageError(`no output takes records of source "${plugin.type}": check the outputs' sources lists`);
    for (const { entry, name, key } of taking) {
      // A stream that mixes sources and takes them all gets one sink, once (with the first source's context).
      if (plugins.length > 1 && sinkFor(entry.type).mixesSources && takesAll(entry)) {
        if (k === 0) lanes.push({ entry, name, key, sourceIndex: -1, ctx: { ...base, source: plugin } });
        continue;
      }
      lanes.push({ entry, name: perSource && plugins.length > 1 ? `${name}/${plugin.type}` : name, key, sourceIndex: k, ctx: { ...base, source: plugin, subdir: perSource ? plugin.type : undefined } });
    }
  }
  return lanes;
}

/**
 * Checks every output's destination before anything is generated; only when all pass are leftovers removed
 * (`--overwrite`, killed runs). When one fails, the directories made for the others are removed again.
 */
async function prepareOutputs(lanes: readonly OutputLane[], onNotice?: (text: string) => void): Promise<void> {
  const prepared: PreparedOutput[] = [];
  try {
    for (const { entry, name, key, ctx } of lanes) {
      const plugin = sinkFor(entry.type);
      if (plugin.prepare) prepared.push(await plugin.prepare(entry as never, ctx, { name, key }));
    }
  } catch (err) {
    for (const p of prepared.reverse()) for (const dir of [...p.created].reverse()) await rmdir(dir).catch(() => undefined);
    throw err;
  }
  for (const p of prepared) for (const note of await p.commit()) onNotice?.(note);
}

/** The outputs of every source, behind one fan-out sink (each behind a filter for its source when there are several). */
async function createOutputs(lanes: readonly OutputLane[], sourceCount: number): Promise<FanOutSink> {
  const created: NamedSink[] = [];
  try {
    for (const { entry, name, key, ctx, sourceIndex } of lanes) {
      const plugin = sinkFor(entry.type);
      const sink = await plugin.create(entry as never, ctx, { name, key });
      created.push({ name, description: plugin.describe(entry as never, ctx), sink: sourceCount > 1 && sourceIndex >= 0 ? new SourceFilter(sink, sourceIndex) : sink });
    }
  } catch (err) {
    for (const o of created) void o.sink.abort().catch(() => undefined);
    throw err;
  }
  return new FanOutSink(created);
}

/**
 * The identity provider people sign in through: as actors.toml sets it (`none`: nobody; `both`: the first one the run
 * has), else the first identity provider source of the run, else none.
 */
export function identityProviderOf(population: Population, plugins: readonly AnySource[]): string | null {
  return federationProvider((population.actors[0]?.identity_provider ?? null) as IdentityProvider | null, plugins.find((p) => p.identityProvider)?.identityProvider ?? null);
}

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const { config } = options;
  const where = populationPath(config);
  const population = options.population ?? (await readPopulationParquet(where.path, where.key));
  const sources = runSources(config);
  if (sources.length > 255) throw new UsageError(`sources: ${sources.length} entries; a run takes at most 255`);
  const seed = config.seed !== undefined ? String(config.seed) : String(randomInt(0, 2 ** 31));
  const startMs = options.fromMs ?? (config.traffic.start_time ? Date.parse(config.traffic.start_time) : Math.floor(Date.now() / 1000) * 1000);
  const untilMs = options.untilMs ?? Infinity;
  if (untilMs <= startMs) throw new UsageError(`--until-time must be after ${options.fromMs !== undefined ? '--from' : 'traffic.start_time'} (${new Date(startMs).toISOString()})`);
  const live = options.live === true;
  const group = options.shard;
  if (group !== undefined && !(Number.isInteger(group.count) && group.count >= 1 && group.count <= SHARD_COUNT && Number.isInteger(group.index) && group.index >= 1 && group.index <= group.count)) {
    throw new UsageError(`--shard ${group.index}/${group.count}: expected k/n with 1 <= k <= n <= ${SHARD_COUNT}`);
  }
  const shards = group === undefined ? ([0, SHARD_COUNT] as [number, number]) : shardGroup(group.index, group.count);

  const plugins: AnySource[] = sources.map((s) => pluginFor(s));
  const windowMs = windowLength(config.traffic, population.actors, live);
  const timeScale = live ? 1 : config.traffic.time_scale;
  const plan: RunPlan = {
    seed,
    shardCount: SHARD_COUNT,
    startMs,
    untilMs,
    windowMs,
    traffic: config.traffic,
    identityProvider: identityProviderOf(population, plugins),
    // [scenarios] noise_ratio scales the sources that are benign look-alikes of attack signals (an alert feed).
    sources: sources.map((s, k) => ({ type: plugins[k].type, config: config.scenarios?.enabled && plugins[k].scaleNoise ? plugins[k].scaleNoise(s, config.scenarios.noise_ratio) : s })),
    actors: population.actors,
    partBytes: PART_BYTES,
    partRecords: PART_RECORDS,
    partsPerWorker: PARTS_PER_WORKER,
    shards,
    pace: null,
    scenarios: null,
  };
  const workerCount = Math.max(1, Math.min(options.workers, shards[1] - shards[0]));
  const scenarios = config.scenarios?.enabled ? config.scenarios : null;
  plan.scenarios = scenarios;
  // Planned here too, for its errors (names that match nothing) and the summary's list, before anything is written.
  const scenarioPlan = scenarios
    ? planScenarios(scenarios, SCENARIOS, seed, population.actors, inventoryOf(population.actors), plugins.map((p) => p.type), startMs)
    : null;
  const labelsPath = scenarios ? labelsPathOf(config, scenarios.labels, options.existing ?? 'refuse', !!options.sink, group) : null;
  // Streamed to a temporary file as records are delivered (memory stays flat in a long run), renamed at the end.
  const labelFile = labelsPath !== null ? new LabelFile(labelsPath, options.existing ?? 'refuse') : null;

  const ctx: SinkContext = { source: plugins[0], population, workers: workerCount, seed, timeScale, sharedBuffers: new SharedBufferPool(), existing: options.existing ?? 'refuse', shard: group, delayed: config.delivery?.delayed === true };
  const lanes = options.sink ? [] : outputLanes(config, ctx, plugins);
  if (!options.sink) await prepareOutputs(lanes, options.onNotice);
  const outputs = options.sink ? null : await createOutputs(lanes, plugins.length);
  const sink: RecordSink = options.sink ?? outputs!;

  const metrics: RunMetrics = { events: 0, bytes: 0, bytesOut: 0, files: 0, elapsedMs: 0, simulatedMs: startMs, startMs, untilMs, maxEvents: options.maxEvents, ...(live ? { live } : {}), done: false, outputs: [] };
  const wallStart = performance.now();
  // A live run goes by the wall clock itself; a time scale > 0 starts its simulated clock now, the outputs ready.
  const pace: Pace | null = live ? LIVE_PACE : timeScale > 0 ? { wallMs: Date.now(), simMs: startMs, scale: timeScale } : null;
  plan.pace = pace;
  const cpuStart = process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime;
  let stopReason = untilMs < Infinity ? 'until-time reached' : 'finished';

  const workers: Worker[] = [];
  // Waiting for the clock must end at once when the run stops (a quiet night can put the next window minutes away).
  let wake: (() => void) | null = null;
  const sleepUnlessStopped = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const stopRun = (reason: string) => {
    stopReason = reason;
    merge.stop();
    wake?.();
  };
  const staging = new Coalescer((batch) => sink.write(batch));
  // [delivery] delayed: records held until their delivery time, then written in delivery order (src/engine/delay.ts).
  const delayed = config.delivery?.delayed
    ? new DelayedDelivery(
        plugins.map((p) => (p.deliveryDelay ? { model: p.deliveryDelay, key: delayKey(seed, p.type) } : null)),
        config.delivery.max_buffer_mb * 2 ** 20,
      )
    : null;
  /** Hands records to the outputs (with their labels); false once --max-events is reached. */
  const deliver = async (batch: RecordBatch, labels: readonly PartLabel[]): Promise<boolean> => {
    let to = batch.to;
    const max = options.maxEvents;
    if (max !== undefined && metrics.events + (to - batch.from) >= max) to = batch.from + (max - metrics.events);
    // A label goes with its record: only the delivered records' labels are written.
    if (labelFile !== null) for (const l of labels) if (l.index < to) labelFile.add(l.line);
    if (to > batch.from) {
      metrics.events += to - batch.from;
      metrics.bytes += batch.ends[to - 1] - (batch.from === 0 ? 0 : batch.ends[batch.from - 1]);
      await staging.add(to === batch.to ? batch : { ...batch, to });
    }
    if (max !== undefined && metrics.events >= max) {
      stopReason = 'max-events reached';
      return false;
    }
    return true;
  };
  const merge = new OrderedMerge(workerCount, startMs, windowMs, {
    async beforeWindow(window) {
      if (pace === null) return;
      // A window is released once the simulated clock has passed its end: events never appear before they happen.
      const wait = dueAt(pace, Math.min(startMs + (window + 1) * windowMs, untilMs)) - Date.now();
      if (wait > 0) await sleepUnlessStopped(wait);
    },
    async records(batch: RecordBatch, labels: readonly PartLabel[]) {
      if (delayed === null) return deliver(batch, labels);
      delayed.add(batch, labels);
      return true;
    },
    async windowDone(window) {
      metrics.simulatedMs = Math.min(startMs + (window + 1) * windowMs, untilMs);
      // Every record still to come happens at or after simulatedMs: those due before it can go.
      for (let due = delayed?.release(metrics.simulatedMs); due; due = delayed!.release(metrics.simulatedMs)) {
        if (!(await deliver(due.batch, due.labels))) {
          merge.stop();
          break;
        }
      }
      // Paced and caught up with the clock, a window's records go out as soon as it is complete.
      if (sink.groupsByTime || isLive(pace, metrics.simulatedMs, Date.now())) await staging.flush();
      await sink.advance(metrics.simulatedMs);
    },
    recycle(worker: number, slot: number) {
      workers[worker]?.postMessage({ type: 'recycle', slot });
    },
  });

  const script = workerScript(import.meta.url, 'worker');
  for (let i = 0; i < workerCount; i++) {
    const worker = new Worker(script, { workerData: { plan, index: i, workers: workerCount }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    worker.on('message', (msg: PartMessage | PartsMessage | { type: 'done'; worker: number } | { type: 'error'; message: string } | { type: 'notice'; text: string }) => {
      if (msg.type === 'part') merge.push(msg);
      else if (msg.type === 'notice') options.onNotice?.(msg.text);
      else if (msg.type === 'parts') merge.addParts(msg.worker, msg.parts);
      else if (msg.type === 'done') merge.workerDone(msg.worker);
      else if (msg.type === 'error') {
        merge.fail(new Error(`worker ${i} failed: ${msg.message}`));
      }
    });
    worker.on('error', (err) => merge.fail(err));
    workers.push(worker);
  }

  const report = () => {
    const s = sink.stats();
    metrics.bytesOut = s.bytesOut;
    metrics.files = s.files;
    metrics.outputs = outputs?.outputStats() ?? [];
    metrics.elapsedMs = performance.now() - wallStart;
    options.onMetrics?.({ ...metrics });
  };
  const metricsTimer = setInterval(report, options.metricsIntervalMs);
  // Four times a second, so a file outlives max_age_seconds by at most a quarter of a second; a check still under
  // way is not started again, and a file that cannot be completed (disk full) fails the run.
  let rotating = false;
  const ageTimer = sink.rotateIfOld
    ? setInterval(() => {
        if (rotating) return;
        rotating = true;
        sink
          .rotateIfOld!()
          .catch((err: unknown) => merge.fail(err))
          .finally(() => (rotating = false));
      }, 250)
    : undefined;
  const timers: NodeJS.Timeout[] = [];
  if (options.maxSeconds !== undefined) {
    timers.push(
      setTimeout(() => stopRun('max-seconds reached'), options.maxSeconds * 1000),
    );
  }
  void options.stopSignal?.then((signal) => stopRun(`stopped by ${signal}`));

  try {
    await merge.finishedPromise;
    // A run that reached its end delivers what is still in flight (a stopped run drops it, as queued records are).
    if (stopReason === 'finished' || stopReason === 'until-time reached') {
      for (let rest = delayed?.release(Infinity); rest; rest = delayed!.release(Infinity)) if (!(await deliver(rest.batch, rest.labels))) break;
    }
    await staging.flush();
    await sink.close();
    labelFile?.close();
  } catch (err) {
    await sink.abort().catch(() => undefined);
    labelFile?.abort();
    throw err;
  } finally {
    clearInterval(metricsTimer);
    if (ageTimer) clearInterval(ageTimer);
    timers.forEach(clearTimeout);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  metrics.done = true;
  if (stopReason === 'until-time reached') metrics.simulatedMs = untilMs;
  report();
  const s = sink.stats();
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime - cpuStart) / 1e6;
  const scenarioSummary = scenarioPlan && labelsPath !== null ? { running: scenarioPlan.running.map((r) => r.name), skipped: scenarioPlan.skipped.map((k) => ({ ...k, missing: [...k.missing] })), labels: labelFile?.count ?? 0, labelsPath } : undefined;
  return { ...metrics, seed, ...(group ? { shard: group } : {}), workers: workerCount, windowMs, stopReason, files: s.files, peakRssMb: usage.maxRSS / 1024, cpuSeconds, scenarios: scenarioSummary };
}

/**
 * Where a run with scenarios writes its ground truth: `[scenarios] labels`, else `labels.jsonl` in the first file
 * output's directory. Checked before the run: a file left by an earlier run is refused unless appending or
 * overwriting, as the outputs' own files are.
 */
function labelsPathOf(config: GenConfig, given: string | undefined, existing: ExistingOutput, replacedSink: boolean, group: ShardGroup | undefined): string {
  let path = given;
  if (path === undefined) {
    const file = configuredOutputs(config).find(({ entry }) => entry.type === 'file');
    const dir = file ? (file.entry as { dir?: string }).dir : undefined;
    if (dir === undefined) {
      if (replacedSink) return join('.', 'labels.jsonl');
      throw new UsageError('scenarios.labels: required when the run has no file output (where labels.jsonl is written by default); give a file path');
    }
    path = join(dir, 'labels.jsonl');
  }
  // One file per shard group (labels_shard01of03.jsonl): groups writing to one folder never collide.
  if (group !== undefined) path = path.replace(/(\.[^./\\]*)?$/, (ext) => `_${shardTag(group)}${ext}`);
  checkFileDestination(path, 'scenarios.labels');
  if (existing === 'refuse' && existsSync(path)) throw new DestinationError(`scenarios.labels ${path}: a file of an earlier run is there; use --append to add to it or --overwrite to replace it`);
  return path;
}

/**
 * labels.jsonl as the run delivers records: lines buffered and appended to a temporary file (with `--append`, a copy of
 * the earlier file first), renamed over the destination when the run ends, removed if it fails: never half a file.
 */
class LabelFile {
  private tmp = '';
  private fd = -1;
  private pending: string[] = [];
  count = 0;

  constructor(
    private readonly path: string,
    private readonly existing: ExistingOutput,
  ) {}

  /** The temporary file, opened on first use (nothing is left behind by a run that fails before it delivers). */
  private open(): number {
    if (this.fd < 0) {
      mkdirSync(dirname(this.path) || '.', { recursive: true });
      this.tmp = temporaryPathFor(this.path);
      if (this.existing === 'append' && existsSync(this.path)) copyFileSync(this.path, this.tmp);
      this.fd = openSync(this.tmp, this.existing === 'append' ? 'a' : 'w');
    }
    return this.fd;
  }

  add(line: string): void {
    this.pending.push(line);
    this.count++;
    if (this.pending.length >= 4096) this.flush();
  }

  private flush(): void {
    const fd = this.open();
    if (this.pending.length === 0) return;
    writeSync(fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.tmp !== '') rmSync(this.tmp, { force: true });
  }
}
