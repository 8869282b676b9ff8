/**
 * The runtime of one Sigma correlation rule over a stream: the caller says "base rule R matched a record at event
 * time t, in group G (the group-by values, already resolved through the aliases), with counted value V (value_count)
 * and evidence E", and the correlator answers whether the correlation holds now and, if so, with the evidence.
 *
 * Windows: per group, the window is the `timespan` ending at the newest event time seen for the group (inclusive at
 * both ends), so it slides with event time, not arrival time. An event that arrives out of order but still inside its
 * group's window counts exactly as if it had come in order; one older than its group's newest time minus the
 * timespan could only belong to windows already past and is ignored (observe answers null).
 *
 * Types: event_count counts the group's events in the window; value_count the distinct counted values;
 * temporal the distinct base rules (without a condition: all of them); temporal_ordered holds when the rules'
 * events appear in the listed order within the window (events of equal time are ordered by arrival). Conditions: gt, gte, neq
 * (ANDed); the parser rejects lt, lte and eq, which could only be decided when a window closes.
 *
 * Firing: a hit is returned on every observation after which the condition holds (the alert store deduplicates by
 * rule, group and window). Its evidence: the window's most recent events (at most `maxEvidence`), or for temporal
 * types the latest event of each rule (temporal_ordered: the events of the ordered sequence found).
 *
 * Memory: per group, the events of its window (time, rule, value: a few dozen bytes each; at most
 * `maxEventsPerGroup`, beyond which the oldest are dropped and counts become lower bounds) and the evidence of its
 * `maxEvidence` most recent events only. A group whose newest event is older than the newest time seen (any group)
 * minus timespan minus `graceMs` is dropped, on a sweep every quarter timespan of event time or on `advance(now)`.
 */
import type { SigmaCorrelation } from '../types.js';

export interface CorrelatorOptions {
  /** Evidence refs kept per group (counts stay exact): 100. */
  readonly maxEvidence?: number;
  /** Events kept per group; beyond it the oldest are dropped and counts are lower bounds: 100,000. */
  readonly maxEventsPerGroup?: number;
  /** How long past its window an idle group is kept, for late events: 60 s. */
  readonly graceMs?: number;
}

export interface CorrelationHit<E> {
  /** The group-by values, as given to observe. */
  readonly group: readonly string[];
  /** Events (event_count), distinct values (value_count) or distinct rules (temporal, temporal_ordered) in the window. */
  readonly count: number;
  /** The window that holds: [windowEnd − timespan, windowEnd], windowEnd being the group's newest event time. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Time of the earliest event the hit's evidence (or window) holds. */
  readonly firstTime: number;
  readonly evidence: readonly E[];
}

interface Event<E> {
  readonly t: number;
  /** Index of the base rule in the correlation's `rules`. */
  readonly r: number;
  /** The counted value (value_count), else ''. */
  readonly v: string;
  e: E | undefined;
}

interface Group<E> {
  readonly key: readonly string[];
  /** Sorted by time; events before `head` have left the window. */
  events: Event<E>[];
  head: number;
  /** Index from which events still hold their evidence. */
  evidenceFrom: number;
  newest: number;
  /** Per-value (value_count) or per-rule (temporal) counts of the window's events. */
  readonly counts: Map<string | number, number>;
  /** temporal: the latest event of each rule. */
  readonly latest: (Event<E> | undefined)[];
}

const SEP = '\u001f';

export class Correlator<E> {
  private readonly groups = new Map<string, Group<E>>();
  private readonly ruleIndex = new Map<string, number>();
  private readonly maxEvidence: number;
  private readonly maxEvents: number;
  private readonly grace: number;
  private readonly span: number;
  private newestSeen = -Infinity;
  private lastSweep = -Infinity;

  constructor(
    readonly rule: SigmaCorrelation,
    options: CorrelatorOptions = {},
  ) {
    rule.rules.forEach((r, i) => {
      if (!this.ruleIndex.has(r)) this.ruleIndex.set(r, i);
    });
    this.maxEvidence = Math.max(1, options.maxEvidence ?? 100);
    this.maxEvents = Math.max(1, options.maxEventsPerGroup ?? 100_000);
    this.grace = Math.max(0, options.graceMs ?? 60_000);
    this.span = rule.timespan_ms;
  }

  /** Groups held now. */
  get size(): number {
    return this.groups.size;
  }

  /**
   * Base rule `ruleRef` (an id or name as the correlation lists it) matched a record at event time `time` (ms) in
   * group `group`, with counted value `value` (value_count; ignored otherwise). A hit when the correlation holds
   * after it, else null (also for an unknown rule, a value_count event without value, or a too-late event).
   */
  observe(ruleRef: string, time: number, group: readonly string[], value: string | undefined, evidence: E): CorrelationHit<E> | null {
    const r = this.ruleIndex.get(ruleRef);
    if (r === undefined || !Number.isFinite(time)) return null;
    if (this.rule.type === 'value_count' && value === undefined) return null;
    if (time > this.newestSeen) this.newestSeen = time;
    if (this.newestSeen - this.lastSweep >= Math.max(1000, this.span / 4)) this.advance(this.newestSeen);

    const key = group.join(SEP);
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { key: [...group], events: [], head: 0, evidenceFrom: 0, newest: time, counts: new Map(), latest: [] };
      this.groups.set(key, g);
    } else if (time < g.newest - this.span) {
      return null; // older than the group's window: it can only belong to windows already past
    }
    const ev: Event<E> = { t: time, r, v: this.rule.type === 'value_count' ? (value as string) : '', e: evidence };
    this.insert(g, ev);
    if (time > g.newest) {
      g.newest = time;
      this.slide(g);
    }
    return this.evaluate(g);
  }

  /** Moves event time forward to `now` (ms): drops groups idle for longer than timespan plus the grace. */
  advance(now: number): void {
    if (now > this.newestSeen) this.newestSeen = now;
    this.lastSweep = this.newestSeen;
    const limit = this.newestSeen - this.span - this.grace;
    for (const [k, g] of this.groups) if (g.newest < limit) this.groups.delete(k);
  }

  private countKey(ev: Event<E>): string | number | undefined {
    if (this.rule.type === 'value_count') return ev.v;
    if (this.rule.type === 'temporal') return ev.r;
    return undefined;
  }

  private add(g: Group<E>, ev: Event<E>, delta: number): void {
    const k = this.countKey(ev);
    if (k === undefined) return;
    const n = (g.counts.get(k) ?? 0) + delta;
    if (n <= 0) g.counts.delete(k);
    else g.counts.set(k, n);
  }

  private insert(g: Group<E>, ev: Event<E>): void {
    const events = g.events;
    // Binary search for the first index whose time is greater (in-order events append).
    let lo = g.head;
    let hi = events.length;
    if (hi === lo || events[hi - 1].t <= ev.t) lo = hi;
    else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (events[mid].t <= ev.t) lo = mid + 1;
        else hi = mid;
      }
    }
    if (lo === events.length) events.push(ev);
    else events.splice(lo, 0, ev);
    this.add(g, ev, 1);
    if (this.rule.type === 'temporal') {
      const l = g.latest[ev.r];
      if (l === undefined || l.t <= ev.t) g.latest[ev.r] = ev;
    }
    // Evidence of the most recent maxEvidence events only.
    if (lo < g.evidenceFrom) {
      ev.e = undefined;
      g.evidenceFrom++;
    }
    while (events.length - g.evidenceFrom > this.maxEvidence) {
      const old = events[g.evidenceFrom++];
      if (this.rule.type !== 'temporal' || g.latest[old.r] !== old) old.e = undefined;
    }
    // The bound on events per group: the oldest go (counts become lower bounds).
    while (events.length - g.head > this.maxEvents) this.drop(g);
  }

  private drop(g: Group<E>): void {
    const old = g.events[g.head++];
    this.add(g, old, -1);
    if (this.rule.type === 'temporal' && g.latest[old.r] === old) g.latest[old.r] = undefined;
  }

  /** Drops the events that left the window [newest − timespan, newest]. */
  private slide(g: Group<E>): void {
    const start = g.newest - this.span;
    while (g.head < g.events.length && g.events[g.head].t < start) this.drop(g);
    if (g.head > 1024 && g.head * 2 > g.events.length) {
      g.events = g.events.slice(g.head);
      g.evidenceFrom = Math.max(0, g.evidenceFrom - g.head);
      g.head = 0;
    }
  }

  private holds(count: number): boolean {
    const c = this.rule.condition;
    if (c === undefined) return count >= this.rule.rules.length;
    if (c.gt !== undefined && !(count > c.gt)) return false;
    if (c.gte !== undefined && !(count >= c.gte)) return false;
    if (c.neq !== undefined && count === c.neq) return false;
    if (c.lt !== undefined && !(count < c.lt)) return false;
    if (c.lte !== undefined && !(count <= c.lte)) return false;
    if (c.eq !== undefined && count !== c.eq) return false;
    return true;
  }

  private evaluate(g: Group<E>): CorrelationHit<E> | null {
    const windowEnd = g.newest;
    const windowStart = windowEnd - this.span;
    switch (this.rule.type) {
      case 'event_count':
      case 'value_count': {
        const count = this.rule.type === 'event_count' ? g.events.length - g.head : g.counts.size;
        if (!this.holds(count)) return null;
        const evidence: E[] = [];
        const from = Math.max(g.head, g.evidenceFrom);
        for (let i = from; i < g.events.length; i++) {
          const e = g.events[i].e;
          if (e !== undefined) evidence.push(e);
        }
        return { group: g.key, count, windowStart, windowEnd, firstTime: g.events[g.head].t, evidence };
      }
      case 'temporal': {
        const count = g.counts.size;
        if (!this.holds(count)) return null;
        const chosen = g.latest.filter((ev): ev is Event<E> => ev !== undefined && ev.t >= windowStart).sort((a, b) => a.t - b.t);
        return this.hit(g, count, windowStart, windowEnd, chosen);
      }
      case 'temporal_ordered': {
        const chosen = this.orderedSequence(g);
        if (chosen === null) return null;
        return this.hit(g, chosen.length, windowStart, windowEnd, chosen);
      }
    }
  }

  private hit(g: Group<E>, count: number, windowStart: number, windowEnd: number, chosen: readonly Event<E>[]): CorrelationHit<E> {
    const evidence = chosen.map((ev) => ev.e).filter((e): e is E => e !== undefined);
    return { group: g.key, count, windowStart, windowEnd, firstTime: chosen.length > 0 ? chosen[0].t : windowStart, evidence };
  }

  /**
   * The latest in-order sequence of the rules within the window, found backwards: the last rule's latest event, then
   * the previous rule's latest event at or before it, and so on (the latest choice at each step leaves the most room
   * for the earlier ones, so if any sequence fits in the window, this one does).
   */
  private orderedSequence(g: Group<E>): Event<E>[] | null {
    const n = this.rule.rules.length;
    const out: Event<E>[] = new Array<Event<E>>(n);
    let want = n - 1;
    for (let i = g.events.length - 1; i >= g.head && want >= 0; i--) {
      const ev = g.events[i];
      if (ev.r === want) out[want--] = ev;
    }
    return want < 0 ? out : null;
  }
}
