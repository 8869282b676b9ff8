/**
 * Deterministic pseudo-random numbers.
 *
 * `Rng` is sfc32 (Chris Doty-Humphrey's small fast chaotic generator): 128 bits of state, only 32-bit integer
 * operations (so V8 keeps everything in registers as small integers), passes PractRand to many terabytes. Every
 * stream is seeded from a string key hashed together with the run's seed, so streams are independent of the order in
 * which they are created and of how many workers run them.
 */

import { fnv1a } from './hash.js';

const TWO_POW_32 = 4294967296;

/** splitmix32 step: turns correlated seeds into well-spread state words. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Normalises a user seed (TOML ints may arrive as bigint) into a stable string. */
export function seedKey(seed: number | bigint | string): string {
  return typeof seed === 'string' ? seed : BigInt(seed).toString();
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream identified by `seed` and a name such as `shard/12`. */
  constructor(seed: number | bigint | string, stream: string) {
    const key = `${seedKey(seed)}\u0000${stream}`;
    let s = fnv1a(key);
    const t = fnv1a(key, 0x01234567);
    this.a = s = splitmix32(s);
    this.b = s = splitmix32(s ^ t);
    this.c = s = splitmix32(s);
    this.d = splitmix32(s ^ 0x5bd1e995);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /**
   * Exchanges this stream's state with `other`'s: a writer draws from another stream (a scenario step's) through its
   * own Rng object, then swaps back, and its own stream continues as if nothing had been drawn. (Swapping state rather
   * than the object keeps the writer's field constant, which V8 optimises for.)
   */
  swap(other: Rng): void {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    this.a = other.a;
    this.b = other.b;
    this.c = other.c;
    this.d = other.d;
    other.a = a;
    other.b = b;
    other.c = c;
    other.d = d;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    return this.i32() >>> 0;
  }

  /**
   * The same draw as `u32`, as a signed 32-bit integer, for callers that only take its bits (hex digits): a value
   * above 2^31 is a heap-allocated number wherever it crosses a call V8 did not inline, a signed one is not (so the
   * generator lives here, and `u32` is the wrapper).
   */
  i32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Standard normal (Box–Muller, one value per call: simpler than caching and not on a hot path). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Poisson-distributed count (Knuth for small means, normal approximation beyond). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.float();
      while (p > limit) {
        k++;
        p *= this.float();
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }
}

/**
 * Walker/Vose alias table: O(1) weighted choice. Built once per distribution; picking uses one random number.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable needs at least one weight');
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`AliasTable weight must be finite and >= 0, got ${w}`);
      total += w;
    }
    if (total <= 0) throw new Error('AliasTable needs a positive total weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  pick(rng: Rng): number {
    const x = rng.float() * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i] ? i : this.alias[i];
  }
}

/** Weighted choice over named items, for data modules that declare `{ value, weight }` lists. */
export class WeightedPicker<T> {
  private readonly table: AliasTable;
  constructor(readonly items: readonly T[], weights: readonly number[]) {
    this.table = new AliasTable(weights);
  }
  pick(rng: Rng): T {
    return this.items[this.table.pick(rng)];
  }
  static of<T>(entries: readonly { value: T; weight: number }[]): WeightedPicker<T> {
    return new WeightedPicker(
      entries.map((e) => e.value),
      entries.map((e) => e.weight),
    );
  }
}
