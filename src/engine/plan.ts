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
  /** The logical shards this process generates, [from, to): all of them, or its group with `--shard k/n`. */
  shards: [number, number];
  /** Pacing to the wall clock (null: as fast as the machine allows). */
  pace: Pace | null;
  /** `[scenarios]` when enabled (null: no scenarios). */
  scenarios: ScenariosConfig | null;
}

/**
 * When a window's records may be released: simulated time `simMs` is due at wall time (epoch ms) `wallMs`, and the
 * clocks run at `scale` simulated ms per wall ms. A live run is { wallMs: 0, simMs: 0, scale: 1 }: every moment is due
 * when the wall clock reaches it, so a start in the past is generated at full speed until it catches up.
 */
export interface Pace {
  wallMs: number;
  simMs: number;
  scale: number;
}

export const LIVE_PACE: Pace = { wallMs: 0, simMs: 0, scale: 1 };

/** The wall time (epoch ms) at which simulated time `simMs` is due. */
export function dueAt(pace: Pace, simMs: number): number {
  return pace.wallMs + (simMs - pace.simMs) / pace.scale;
}

/**
 * Workers hand a part over after every window that is due within this much of the wall clock (the stream is live),
 * and otherwise only when it is full or every HAND_OVER_WINDOWS windows (catching up: fewer, larger hand-offs).
 */
const LIVE_SLACK_MS = 2000;
export const HAND_OVER_WINDOWS = 1000;

/** Is the window ending at `endMs` due soon enough that its records should go out as soon as it is complete? */
export function isLive(pace: Pace | null, endMs: number, nowMs: number): boolean {
  return pace !== null && dueAt(pace, endMs) >= nowMs - LIVE_SLACK_MS;
}

/** Expected events per simulated second, from config alone (used to size windows). */
export function expectedEventsPerSecond(traffic: TrafficConfig, actors: readonly Actor[]): number {
  if (traffic.mode === 'constant') return traffic.events_per_second ?? (traffic.bytes_per_second ?? 0) / 1500;
  if (traffic.events_per_day !== undefined) return traffic.events_per_day / 86_400;
  let perHour = 0;
  for (const a of actors) perHour += a.rate_per_hour;
  // Curves average well below their peak; half the peak is a fair planning figure.
  return (perHour * 0.5) / 3600;
}

/**
 * Window length in simulated ms: about EVENTS_PER_WINDOW events, at most MAX_WINDOW_MS, and when pacing at most
 * one second of wall time. Records come out in (window, shard) order, so output is in time order to within one
 * window; windows without records cost nothing.
 *
 * A live run (`--live`) takes the windows of a run at full speed whatever its time scale: its records, and their
 * order, are then exactly those of a backfill over the same interval. A window is released when the clock passes its
 * end, so at low rates (a window of 8,192 events longer than a minute) a live run delivers once a minute. Shorter
 * windows for everyone would cost the full-speed runs dearly: at 1 s, a 2,000-actor CloudTrail run fell from 371k to
 * 220k events/s (the merge and the sinks do a little work per window).
 */
export function windowLength(traffic: TrafficConfig, actors: readonly Actor[], live = false): number {
  const rate = Math.max(expectedEventsPerSecond(traffic, actors), 1e-6);
  let ms = Math.min(MAX_WINDOW_MS, (EVENTS_PER_WINDOW / rate) * 1000);
  if (traffic.time_scale > 0 && !live) ms = Math.min(ms, traffic.time_scale * MAX_WINDOW_WALL_MS);
  return Math.max(1, Math.round(ms));
}

/** Shards owned by worker `index` of `workers`: a contiguous range, so worker order is shard order. */
export function shardRange(index: number, workers: number, shardCount: number): [number, number] {
  return [Math.floor((index * shardCount) / workers), Math.floor(((index + 1) * shardCount) / workers)];
}

/**
 * The logical shards of group `k` of `n` (`seclog gen --shard k/n`, k = 1…n): contiguous, so the groups in order are
 * the shards in order, and n processes together generate exactly what one does.
 */
export function shardGroup(k: number, n: number, shardCount = SHARD_COUNT): [number, number] {
  return shardRange(k - 1, n, shardCount);
}

/** Shard `shard`'s view of the population: actors i ≡ shard (mod shardCount), and the shard's session board. */
export function shardContext(seed: string, shard: number, actors: readonly Actor[], shardCount = SHARD_COUNT, identityProvider: string | null = null, startMs = 0): ShardContext {
  const actorIndexes: number[] = [];
  for (let i = shard; i < actors.length; i += shardCount) actorIndexes.push(i);
  const own = actorIndexes.map((i) => actors[i]);
  return { seed, shard, shardCount, startMs, actors: own, actorIndexes, sessions: new SessionBoard(seed, shard, own, identityProvider) };
}
