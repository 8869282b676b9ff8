/**
 * Delayed delivery (`[delivery] delayed = true`): every record gets a delivery time from its source's declared delay
 * (src/sources/delivery-delay.ts) and is held until the run's simulated clock reaches it, then handed on in delivery
 * order with its delivery time as its time, so files, objects and Kafka timestamps go by delivery time and records
 * arrive late and out of event order, as real pipelines deliver them.
 *
 * A record's delay is a pure function of the seed, its source, its actor and its event time (no stream consumed in
 * record order), so it is the same at any worker count and in any shard group. Memory: what is in flight, about the
 * rate times the mean delay (a CloudTrail run at 1,000 events/s holds five minutes: ~300k records, ~450 MB), bounded
 * by `[delivery] max_buffer_mb`.
 */
import type { DeliveryDelay } from '../sources/delivery-delay.js';
import { recordStart, type RecordBatch } from '../sinks/sink.js';
import { fnv1a } from '../util/hash.js';
import type { PartLabel } from './part.js';

const DAY_MS = 86_400_000;
/** Records handed on at a time (a part's worth: the end of a run may release everything still held). */
const RELEASE_RECORDS = 16 * 1024;
const HOUR_MS = 3_600_000;

/** A 32-bit integer mix (murmur3's finaliser). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform in (0, 1) from the key and a salt. */
function uniform(key: number, salt: number): number {
  return (mix(key ^ mix(salt + 0x9e3779b9)) + 0.5) / 4294967296;
}

/**
 * The delivery time of a record of `actor` at `timeMs` under `model` (`key` folds in the seed and source). Pure: the
 * same record gets the same delay whatever produced it.
 */
export function deliveryTime(model: DeliveryDelay, key: number, actor: number, timeMs: number): number {
  const t = Math.floor(timeMs);
  const k = mix(key ^ mix(actor + 1) ^ mix((t >>> 0) + 0x6a09e667) ^ mix(Math.floor(t / 4294967296) + 0xbb67ae85));
  // Box-Muller: a standard normal from two uniforms.
  const z = Math.sqrt(-2 * Math.log(uniform(k, 1))) * Math.cos(2 * Math.PI * uniform(k, 2));
  const delay = Math.min(model.max_seconds, model.median_seconds * Math.exp(model.sigma * z)) * 1000;
  const back = model.offline ? offlineUntil(model.offline, key, actor, timeMs) : -Infinity;
  return Math.max(timeMs, back) + delay;
}

/** When the actor's host comes back online if it is offline at `timeMs`, else -Infinity. */
function offlineUntil(o: NonNullable<DeliveryDelay['offline']>, key: number, actor: number, timeMs: number): number {
  const day = Math.floor(timeMs / DAY_MS);
  // A spell starts on its day and lasts at most 72 h: look at the spells of the last three days.
  for (let d = day; d >= day - 3; d--) {
    const k = mix(key ^ mix(actor + 0x3c6ef372) ^ mix(d + 0xa54ff53a));
    if (uniform(k, 1) >= o.per_day) continue;
    const start = d * DAY_MS + uniform(k, 2) * DAY_MS;
    const end = start + (o.min_hours + uniform(k, 3) * (o.max_hours - o.min_hours)) * HOUR_MS;
    if (timeMs >= start && timeMs < end) return end;
  }
  return -Infinity;
}

/** The key of a source's delays in a run: its seed and its type, hashed. */
export function delayKey(seed: string, sourceType: string): number {
  return fnv1a(`${seed}\0delivery\0${sourceType}`);
}

interface Held {
  due: number;
  seq: number;
  bytes: Uint8Array;
  actor: number;
  source: number;
  label: string[] | null;
}

/** Records in flight, released in delivery order as the clock passes their delivery times. */
export class DelayedDelivery {
  private heap: Held[] = [];
  private seq = 0;
  private heldBytes = 0;

  constructor(
    /** Per source of the run: its delay (null: delivered at once, still in delivery order) and its key. */
    private readonly models: readonly ({ model: DeliveryDelay; key: number } | null)[],
    private readonly maxBytes: number,
  ) {}

  /** Takes a batch's records (copied: the batch's memory goes back to its worker). */
  add(batch: RecordBatch, labels: readonly PartLabel[]): void {
    let l = 0;
    for (let i = batch.from; i < batch.to; i++) {
      const start = recordStart(batch, i);
      const m = this.models[batch.sources[i]];
      const t = batch.times[i];
      const due = m === null ? t : deliveryTime(m.model, m.key, batch.actors[i], t);
      // A record may carry several labels (one per technique).
      while (l < labels.length && labels[l].index < i) l++;
      let label: string[] | null = null;
      for (; l < labels.length && labels[l].index === i; l++) (label ??= []).push(labels[l].line);
      const bytes = batch.bytes.slice(start, batch.ends[i]);
      this.push({ due, seq: this.seq++, bytes, actor: batch.actors[i], source: batch.sources[i], label });
      this.heldBytes += bytes.length;
    }
    if (this.heldBytes > this.maxBytes) {
      throw new Error(`delivery delay: ${Math.round(this.heldBytes / 2 ** 20)} MB of records wait for their delivery time, above [delivery] max_buffer_mb = ${Math.round(this.maxBytes / 2 ** 20)}: lower the rate or raise the limit`);
    }
  }

  /**
   * The next records due before `untilMs` (Infinity: all), in delivery order, as one batch of at most RELEASE_RECORDS
   * records; null when none is due. Call until null.
   */
  release(untilMs: number): { batch: RecordBatch; labels: PartLabel[] } | null {
    const out: Held[] = [];
    while (out.length < RELEASE_RECORDS && this.heap.length > 0 && this.heap[0].due < untilMs) out.push(this.pop());
    if (out.length === 0) return null;
    let size = 0;
    for (const h of out) size += h.bytes.length;
    const bytes = new Uint8Array(size);
    const ends = new Uint32Array(out.length);
    const times = new Float64Array(out.length);
    const actors = new Uint32Array(out.length);
    const sources = new Uint8Array(out.length);
    const labels: PartLabel[] = [];
    let pos = 0;
    for (const [i, h] of out.entries()) {
      bytes.set(h.bytes, pos);
      pos += h.bytes.length;
      ends[i] = pos;
      times[i] = h.due;
      actors[i] = h.actor;
      sources[i] = h.source;
      if (h.label !== null) for (const line of h.label) labels.push({ index: i, line });
    }
    this.heldBytes -= size;
    return { batch: { bytes, ends, times, actors, sources, from: 0, to: out.length }, labels };
  }

  private before(a: Held, b: Held): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(h: Held): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(h);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h, heap[p])) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = h;
  }

  private pop(): Held {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const c = r < heap.length && this.before(heap[r], heap[l]) ? r : l;
        if (!this.before(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
