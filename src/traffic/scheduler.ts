/**
 * Schedulers decide when each actor of a shard acts; the shard's source decides what the record says.
 * Both schedulers are resumable: `run` stops at `untilMs` or when the output part is full, and continues from
 * there on the next call, so windows and part boundaries never change what is generated.
 */
import type { TrafficConfig } from './config.js';
import type { RecordOut, ShardContext, ShardSource } from './shard-source.js';
import { LocalClock, ZoneOffsetCache } from '../population/timezones.js';
import { IdHeap } from '../util/heap.js';
import { AliasTable, Rng } from '../util/rng.js';
import { curveFor, type Curve } from './curves.js';

export interface Scheduler {
  /** Emits records with event time < untilMs; returns false if it stopped early because `out` is full. */
  run(untilMs: number, out: RecordOut, source: ShardSource): boolean;
}

/** Session shape per actor kind: work events per session (mean) and the pause between them. */
const SESSION = {
  human: { events: 10, gapMedianMs: 15_000, gapSigma: 1.0 },
  service: { events: 8, gapMedianMs: 1_200, gapSigma: 0.8 },
} as const;

function sessionLength(rng: Rng, mean: number): number {
  // Geometric with the given mean, at least one event.
  return 1 + Math.floor(Math.log(1 - rng.float()) / Math.log(1 - 1 / mean));
}

const IDLE = 0;
const ACTIVE = 1;

/**
 * Realistic traffic: each actor opens sessions as a non-homogeneous Poisson process shaped by its activity curve
 * (local working hours, weekends, service patterns, bursts), sampled by thinning; inside a session, events follow
 * at human or machine pace.
 */
export class RealisticScheduler implements Scheduler {
  private readonly heap: IdHeap;
  private readonly mode: Int8Array;
  private readonly remaining: Int32Array;
  /** Peak session-arrival rate per ms (curve max × bursts included): the thinning envelope. */
  private readonly envelope: Float64Array;
  private readonly burstStart: Float64Array;
  private readonly burstEnd: Float64Array;
  private readonly curves: Curve[];
  private readonly clocks: LocalClock[];
  private readonly isHuman: Uint8Array;
  private readonly rng: Rng;
  private readonly burst: { perMs: number; durationMs: number; multiplier: number } | null;

  constructor(ctx: ShardContext, traffic: TrafficConfig, startMs: number, zoneCache = new ZoneOffsetCache()) {
    const n = ctx.actors.length;
    this.rng = new Rng(ctx.seed, `shard/${ctx.shard}/traffic`);
    this.heap = new IdHeap(n);
    this.mode = new Int8Array(n);
    this.remaining = new Int32Array(n);
    this.envelope = new Float64Array(n);
    this.burstStart = new Float64Array(n);
    this.burstEnd = new Float64Array(n);
    this.isHuman = new Uint8Array(n);
    this.curves = ctx.actors.map(curveFor);
    const zones = new Map<string, LocalClock>();
    this.clocks = ctx.actors.map((a) => {
      let c = zones.get(a.timezone);
      if (!c) zones.set(a.timezone, (c = new LocalClock(a.timezone, zoneCache)));
      return c;
    });
    const b = traffic.bursts;
    this.burst = b && b.rate_per_day > 0 ? { perMs: b.rate_per_day / 86_400_000, durationMs: b.duration_minutes * 60_000, multiplier: b.multiplier } : null;

    for (let i = 0; i < n; i++) {
      const actor = ctx.actors[i];
      const human = actor.kind === 'human';
      this.isHuman[i] = human ? 1 : 0;
      const shape = human ? SESSION.human : SESSION.service;
      // Sessions per ms at the peak such that, counting the time spent inside sessions, the actor averages its
      // rate_per_hour at the peak of its curve.
      const perSession = shape.events + 1;
      const sessionMs = shape.events * shape.gapMedianMs * Math.exp((shape.gapSigma * shape.gapSigma) / 2);
      const target = actor.rate_per_hour / 3_600_000 / perSession;
      const busy = Math.min(0.9, target * sessionMs);
      const peak = target / (1 - busy);
      this.envelope[i] = peak * this.curves[i].max * (this.burst ? this.burst.multiplier : 1);
      if (this.burst) {
        this.burstStart[i] = startMs + this.rng.exp(1 / this.burst.perMs);
        this.burstEnd[i] = -Infinity;
      }
      if (this.envelope[i] > 0) this.heap.push(i, startMs + this.rng.exp(1 / this.envelope[i]));
    }
  }

  private factor(i: number, t: number): number {
    let f = this.curves[i].at(this.clocks[i].minuteOfWeek(t));
    const burst = this.burst;
    if (burst) {
      while (t >= this.burstStart[i]) {
        this.burstEnd[i] = this.burstStart[i] + burst.durationMs;
        this.burstStart[i] += this.rng.exp(1 / burst.perMs);
      }
      if (t < this.burstEnd[i]) f *= burst.multiplier;
    }
    return f;
  }

  run(untilMs: number, out: RecordOut, source: ShardSource): boolean {
    const heap = this.heap, rng = this.rng;
    while (heap.size > 0 && heap.peekKey() < untilMs) {
      if (out.full) return false;
      const i = heap.peekId();
      const t = heap.peekKey();
      let next: number;
      if (this.mode[i] === IDLE) {
        const max = this.curves[i].max * (this.burst ? this.burst.multiplier : 1);
        if (rng.float() * max < this.factor(i, t)) {
          const shape = this.isHuman[i] ? SESSION.human : SESSION.service;
          this.mode[i] = ACTIVE;
          this.remaining[i] = sessionLength(rng, shape.events);
          if (source.startSession(i, t, out)) {
            next = t + rng.logNormal(shape.gapMedianMs, shape.gapSigma);
          } else {
            // No opening record (credentials still held, or none needed): the burst's first call comes at once and
            // takes the opening's place, so the actor keeps its rate.
            this.remaining[i]++;
            next = t;
          }
        } else {
          next = t + rng.exp(1 / this.envelope[i]);
        }
      } else {
        source.emit(i, t, out);
        const shape = this.isHuman[i] ? SESSION.human : SESSION.service;
        if (--this.remaining[i] <= 0) {
          this.mode[i] = IDLE;
          next = t + rng.exp(1 / this.envelope[i]);
        } else {
          next = t + rng.logNormal(shape.gapMedianMs, shape.gapSigma);
        }
      }
      heap.replaceTop(next);
    }
    return source.until === undefined || source.until(untilMs, out);
  }
}

/**
 * Constant traffic: exactly `events_per_second` (shard s takes global events s, s+S, s+2S… evenly spaced), or
 * `bytes_per_second` of encoded records (each shard's clock advances by its records' share of the byte budget).
 * No time-of-day shape; actors are chosen in proportion to their rates and still act in sessions.
 */
export class ConstantScheduler implements Scheduler {
  private readonly rng: Rng;
  private readonly pickActor: AliasTable;
  private readonly remaining: Int32Array;
  private readonly isHuman: Uint8Array;
  private nextIndex: number;
  private cursorMs: number;

  constructor(
    ctx: ShardContext,
    private readonly traffic: TrafficConfig,
    private readonly startMs: number,
    private readonly shardCount: number,
  ) {
    this.rng = new Rng(ctx.seed, `shard/${ctx.shard}/traffic`);
    const weights = ctx.actors.map((a) => Math.max(a.rate_per_hour, 1e-9));
    this.pickActor = new AliasTable(weights.length > 0 ? weights : [1]);
    this.remaining = new Int32Array(ctx.actors.length);
    this.isHuman = Uint8Array.from(ctx.actors, (a) => (a.kind === 'human' ? 1 : 0));
    this.nextIndex = ctx.shard;
    this.cursorMs = startMs;
  }

  private nextTime(): number {
    const eps = this.traffic.events_per_second;
    return eps !== undefined ? this.startMs + (this.nextIndex * 1000) / eps : this.cursorMs;
  }

  run(untilMs: number, out: RecordOut, source: ShardSource): boolean {
    if (this.remaining.length === 0) return source.until === undefined || source.until(untilMs, out);
    const bytesPerMs = this.traffic.bytes_per_second !== undefined ? this.traffic.bytes_per_second / 1000 / this.shardCount : 0;
    for (let t = this.nextTime(); t < untilMs; t = this.nextTime()) {
      if (out.full) return false;
      const i = this.pickActor.pick(this.rng);
      let wrote = false;
      if (this.remaining[i] <= 0) {
        this.remaining[i] = sessionLength(this.rng, this.isHuman[i] ? SESSION.human.events : SESSION.service.events);
        wrote = source.startSession(i, t, out);
      }
      if (!wrote) {
        source.emit(i, t, out);
        this.remaining[i]--;
      }
      this.nextIndex += this.shardCount;
      if (bytesPerMs > 0) this.cursorMs += out.lastRecordBytes / bytesPerMs;
    }
    return source.until === undefined || source.until(untilMs, out);
  }
}

export function createScheduler(ctx: ShardContext, traffic: TrafficConfig, startMs: number, shardCount: number, zoneCache: ZoneOffsetCache): Scheduler {
  return traffic.mode === 'constant' ? new ConstantScheduler(ctx, traffic, startMs, shardCount) : new RealisticScheduler(ctx, traffic, startMs, zoneCache);
}
