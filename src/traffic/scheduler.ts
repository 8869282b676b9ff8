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

const DAY_MS = 86_400_000;
/** A daily quota steers the activity every quarter of an hour. */
const STEP_MS = 900_000;
const STEPS = DAY_MS / STEP_MS;
/** How much of the records-per-activity estimate carries over from one step to the next (about an hour's memory). */
const CARRY = 0.7;
/** The scale of activity a daily quota may set (it cannot go below nothing; above, people act at machine pace). */
const MAX_SCALE = 100;

/**
 * `traffic.events_per_day`: the records this shard should write each UTC day (its share of the run's target). The
 * quota is spread over the day along the shard's own activity curves (the day keeps its shape); every quarter of an
 * hour the shard scales its actors' activity to write that step's part plus a third of any gap so far. How many
 * records a unit of activity writes is learnt from the last hour or so (it changes with the time of day and the
 * weekend: who is active, which sources write for them).
 * Every shard steers its own share, so the total is the same at any worker count or shard group.
 */
class DailyQuota {
  /** The activity scale of the current step: session arrivals × scale, and above 1 gaps ÷ scale too. */
  scale = 1;
  /** The start of the next step, when the scale is set again. */
  nextStepMs = -Infinity;
  private day = NaN;
  private step = 0;
  private readonly intensity = new Float64Array(STEPS);
  private today = 0;
  private thisStep = 0;
  /** Records written and activity spent (scale × natural expected ticks), recent steps weighing most. */
  private records = 0;
  private activity = 0;

  constructor(
    private readonly perDay: number,
    /** The shard's natural expected ticks in the step around `midMs`. */
    private readonly naturalTicks: (midMs: number) => number,
  ) {}

  wrote(records: number): void {
    this.thisStep += records;
  }

  /** Moves to the step of `t`, ending the steps before it. */
  advance(t: number): void {
    while (t >= this.nextStepMs) {
      const first = !Number.isFinite(this.nextStepMs);
      if (!first) {
        this.records = this.records * CARRY + this.thisStep;
        this.activity = this.activity * CARRY + this.scale * this.intensity[this.step];
        this.today += this.thisStep;
        this.thisStep = 0;
      }
      const start = first ? Math.floor(t / STEP_MS) * STEP_MS : this.nextStepMs;
      const day = Math.floor(start / DAY_MS);
      if (day !== this.day) {
        this.day = day;
        this.today = 0;
        for (let k = 0; k < STEPS; k++) this.intensity[k] = this.naturalTicks(day * DAY_MS + (k + 0.5) * STEP_MS);
      }
      this.step = Math.round((start - day * DAY_MS) / STEP_MS);
      // Where the day should be by the start and the end of this step: the quota along the day's own shape.
      let total = 0;
      let before = 0;
      for (let k = 0; k < STEPS; k++) {
        if (k < this.step) before += this.intensity[k];
        total += this.intensity[k];
      }
      const planned = total > 0 ? (this.perDay * this.intensity[this.step]) / total : 0;
      const behind = (total > 0 ? (this.perDay * before) / total : 0) - this.today;
      // Make up for a gap within about three steps (the last steps: all of it), so that a wrong estimate of the
      // records a unit of activity writes cannot pile up until the day is over.
      const catchUp = Math.max(0.3, 1 / (STEPS - this.step));
      const target = Math.max(0, planned + catchUp * behind);
      // Records per unit of activity, from a prior of one record a tick weighing a tenth of a step.
      const prior = 0.1 * (this.intensity[this.step] > 0 ? this.intensity[this.step] : 1);
      const perActivity = (this.records + prior) / (this.activity + prior);
      this.scale = this.intensity[this.step] > 0 ? Math.min(MAX_SCALE, target / (perActivity * this.intensity[this.step])) : 0;
      this.nextStepMs = start + STEP_MS;
    }
  }
}

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
  private readonly quota: DailyQuota | null;

  constructor(ctx: ShardContext, traffic: TrafficConfig, startMs: number, zoneCache = new ZoneOffsetCache(), perDay: number | null = null) {
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
    this.quota = perDay === null ? null : new DailyQuota(perDay, (ms) => this.naturalTicks(ctx, ms));
  }

  /**
   * The shard's expected ticks in the quota step around `midMs` at its own rates: each actor averages rate_per_hour at
   * its curve's peak, so rate_per_hour × curve / max (bursts left out: they average in).
   */
  private naturalTicks(ctx: ShardContext, midMs: number): number {
    let sum = 0;
    for (let i = 0; i < ctx.actors.length; i++) sum += (ctx.actors[i].rate_per_hour * this.curves[i].at(this.clocks[i].minuteOfWeek(midMs))) / this.curves[i].max;
    return (sum * STEP_MS) / 3_600_000;
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

  /**
   * Under a daily quota, its scale thins session arrivals below 1 (and the events of sessions under way) and proposes
   * them more often above it (gaps inside sessions shrink too); without one the scale is 1, where every expression
   * below draws and computes exactly what it always did.
   */
  run(untilMs: number, out: RecordOut, source: ShardSource): boolean {
    const heap = this.heap, rng = this.rng, quota = this.quota;
    while (heap.size > 0 && heap.peekKey() < untilMs) {
      if (out.full) return false;
      const i = heap.peekId();
      const t = heap.peekKey();
      let scale = 1;
      let before = 0;
      if (quota !== null) {
        if (t >= quota.nextStepMs) quota.advance(t);
        scale = quota.scale;
        before = out.count - (source.timedRecords ?? 0);
      }
      const faster = scale > 1 ? scale : 1;
      let next: number;
      if (this.mode[i] === IDLE) {
        const max = this.curves[i].max * (this.burst ? this.burst.multiplier : 1);
        if (rng.float() * max * faster < this.factor(i, t) * scale) {
          const shape = this.isHuman[i] ? SESSION.human : SESSION.service;
          this.mode[i] = ACTIVE;
          this.remaining[i] = sessionLength(rng, shape.events);
          if (source.startSession(i, t, out)) {
            next = t + rng.logNormal(shape.gapMedianMs, shape.gapSigma) / faster;
          } else {
            // No opening record (credentials still held, or none needed): the burst's first call comes at once and
            // takes the opening's place, so the actor keeps its rate.
            this.remaining[i]++;
            next = t;
          }
        } else {
          next = t + rng.exp(1 / (this.envelope[i] * faster));
        }
      } else {
        // Below 1, sessions under way thin out too (they would otherwise run on at full volume for minutes).
        if (scale >= 1 || rng.float() < scale) source.emit(i, t, out);
        const shape = this.isHuman[i] ? SESSION.human : SESSION.service;
        if (--this.remaining[i] <= 0) {
          this.mode[i] = IDLE;
          next = t + rng.exp(1 / (this.envelope[i] * faster));
        } else {
          next = t + rng.logNormal(shape.gapMedianMs, shape.gapSigma) / faster;
        }
      }
      // The quota steers what activity writes; records on the source's own schedule are not its to count.
      if (quota !== null) quota.wrote(out.count - (source.timedRecords ?? 0) - before);
      heap.replaceTop(next);
    }
    return source.until === undefined || source.until(untilMs, out);
  }
}

/**
 * Constant traffic: exactly `events_per_second` records (shard s takes global slots s, s+S, s+2S… evenly spaced, a
 * record a slot), or `bytes_per_second` of encoded records (each shard's clock advances by its records' share of the
 * byte budget).
 * No time-of-day shape; actors are chosen in proportion to their rates and still act in sessions.
 */
export class ConstantScheduler implements Scheduler {
  private readonly rng: Rng;
  private readonly pickActor: AliasTable;
  private readonly remaining: Int32Array;
  private readonly isHuman: Uint8Array;
  private nextIndex: number;
  private cursorMs: number;
  /** Ticks in a row that wrote nothing. */
  private idle = 0;

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
      const records = out.count;
      const bytes = out.w.pos;
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
      // The clock advances by what the tick wrote: a tick of several records (an Okta sign-in; every source of a run
      // of several) takes as many of the shard's slots, so records, not ticks, meet the rate. A tick that wrote
      // nothing takes no slot, unless 64 in a row did not (a source with nothing to write must not stop the clock).
      let slots = out.count - records;
      if (slots > 0) this.idle = 0;
      else if (++this.idle >= 64) {
        this.idle = 0;
        slots = 1;
      }
      this.nextIndex += this.shardCount * slots;
      if (bytesPerMs > 0 && slots > 0) this.cursorMs += Math.max(1, out.w.pos - bytes) / bytesPerMs;
    }
    return source.until === undefined || source.until(untilMs, out);
  }
}

/**
 * The scheduler of one shard. `share`: the shard's part of the population's activity (its actors' rates over
 * everyone's), by which it takes its part of `traffic.events_per_day`.
 */
export function createScheduler(ctx: ShardContext, traffic: TrafficConfig, startMs: number, shardCount: number, zoneCache: ZoneOffsetCache, share = 1 / shardCount): Scheduler {
  if (traffic.mode === 'constant') return new ConstantScheduler(ctx, traffic, startMs, shardCount);
  return new RealisticScheduler(ctx, traffic, startMs, zoneCache, traffic.events_per_day === undefined ? null : traffic.events_per_day * share);
}
