/**
 * The run plan: everything a worker needs to generate its share, fixed before any worker starts. Nothing in it
 * depends on the number of workers, which is what makes output identical at any worker count.
 */
import type { TrafficConfig } from '../traffic/config.js';
import type { ScenariosConfig } from '../scenarios/config.js';
import type { Actor } from '../population/actor.js';
import type { ShardContext } from '../sources/source.js';
import { SessionBoard } from '../traffic/sessions.js';

/** Logical shards: a fixed split of the population, each with its own random streams. */
export const SHARD_COUNT = 64;
/** Events per window at high rates: workers must be able to hold a window in their parts while others catch up. */
const EVENTS_PER_WINDOW = 8_192;
/**
 * Longest window in simulated time: output is in (window, shard) order, so this bounds how far it strays from time
 * order (real CloudTrail delivery files are out of order by minutes). Longer windows mean fewer, larger hand-offs.
 */
export const MAX_WINDOW_MS = 60_000;
/** When pacing to the wall clock, a window spans at most this much wall time (output lags by at most that). */
const MAX_WINDOW_WALL_MS = 1000;

export interface RunPlan {
  seed: string;
  shardCount: number;
  startMs: number;
  /** Exclusive end of simulated time (Infinity when unbounded). */
  untilMs: number;
  windowMs: number;
  traffic: TrafficConfig;
  /** The identity provider (a source type) people sign in to AWS and other apps through, or null. */
  identityProvider: string | null;
  /** The run's sources in config order; a record's source is its index here. */
  sources: { type: string; config: unknown }[];
  actors: Actor[];
  partBytes: number;
  partRecords: number;
  partsPerWorker: number;
  /** A worker hands over its part at least every this many windows (1 when pacing to the clock). */
  flushEveryWindows: number;
  /** `[scenarios]` when enabled (null: no scenarios). */
  scenarios: ScenariosConfig | null;
}

/** Expected events per simulated second, from config alone (used to size windows). */
export function expectedEventsPerSecond(traffic: TrafficConfig, actors: readonly Actor[]): number {
  if (traffic.mode === 'constant') return traffic.events_per_second ?? (traffic.bytes_per_second ?? 0) / 1500;
  let perHour = 0;
  for (const a of actors) perHour += a.rate_per_hour;
  // Curves average well below their peak; half the peak is a fair planning figure.
  return (perHour * 0.5) / 3600;
}

/**
 * Window length in simulated ms: about EVENTS_PER_WINDOW events, at most MAX_WINDOW_MS, and when pacing at most
 * one second of wall time. Records come out in (window, shard) order, so output is in time order to within one
 * window; windows without records cost nothing.
 */
export function windowLength(traffic: TrafficConfig, actors: readonly Actor[]): number {
  const rate = Math.max(expectedEventsPerSecond(traffic, actors), 1e-6);
  let ms = Math.min(MAX_WINDOW_MS, (EVENTS_PER_WINDOW / rate) * 1000);
  if (traffic.time_scale > 0) ms = Math.min(ms, traffic.time_scale * MAX_WINDOW_WALL_MS);
  return Math.max(1, Math.round(ms));
}

/** Shards owned by worker `index` of `workers`: a contiguous range, so worker order is shard order. */
export function shardRange(index: number, workers: number, shardCount: number): [number, number] {
  return [Math.floor((index * shardCount) / workers), Math.floor(((index + 1) * shardCount) / workers)];
}

/** Shard `shard`'s view of the population: actors i ≡ shard (mod shardCount), and the shard's session board. */
export function shardContext(seed: string, shard: number, actors: readonly Actor[], shardCount = SHARD_COUNT, identityProvider: string | null = null, startMs = 0): ShardContext {
  const actorIndexes: number[] = [];
  for (let i = shard; i < actors.length; i += shardCount) actorIndexes.push(i);
  const own = actorIndexes.map((i) => actors[i]);
  return { seed, shard, shardCount, startMs, actors: own, actorIndexes, sessions: new SessionBoard(seed, shard, own, identityProvider) };
}
