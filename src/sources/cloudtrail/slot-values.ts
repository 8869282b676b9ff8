/**
 * Writers of CloudTrail slot values, shared by the slot resolvers (`slots.ts`) and the catalog's own resolvers
 * (`catalog/*.ts`): the alphabets of AWS ids and tokens, random characters over them, random UUIDs, a record's shared
 * pick from a pool of pre-encoded values, and ASCII text. This module knows nothing of the catalog, so the catalog
 * can use it without importing what imports the catalog.
 */
import { ByteWriter, utf8 } from '../../encode/byte-writer.js';
import type { SlotValue } from '../../encode/layout/index.js';
import { Rng } from '../../util/rng.js';
import type { EventContext, Pick } from './context.js';

const HEX = '0123456789abcdef';
export const LOWER_HEX = utf8(HEX);
export const UPPER_ALNUM = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
export const BASE64 = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
export const BASE62 = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
export const BASE32 = utf8('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');

/** A random version-4 UUID. */
export function uuid(w: ByteWriter, rng: Rng): void {
  const a = rng.i32();
  const b = rng.i32();
  const c = rng.i32();
  w.uuid4(a, b, c, rng.i32());
}

/** Characters of a long random value drawn fresh (the rest comes from the alphabet's pool): 80+ bits, unique. */
const FRESH_TAIL = 16;
/** Values longer than this copy their head from a pool. */
const POOLED_ABOVE = 40;
const POOL_LENGTH = 1 << 14;
const charPools = new Map<Uint8Array, Uint8Array>();

/** A fixed random string over `alphabet` (same in every run and worker): heads of long tokens are cut from it. */
function charPool(alphabet: Uint8Array): Uint8Array {
  let pool = charPools.get(alphabet);
  if (!pool) {
    const w = new ByteWriter(POOL_LENGTH);
    randomChars(w, new Rng('seclog', `chars/${new TextDecoder().decode(alphabet)}`), alphabet, POOL_LENGTH);
    pool = w.buf;
    charPools.set(alphabet, pool);
  }
  return pool;
}

/**
 * `n` random characters of `alphabet`. Long values (session tokens, S3 `x-amz-id-2`) copy a random stretch of a
 * fixed random pool and end with FRESH_TAIL fresh characters: as random-looking and unique as fully fresh ones, at a
 * fraction of the cost (a 340-character token is one copy and a few draws instead of 68 draws).
 */
export function chars(w: ByteWriter, rng: Rng, alphabet: Uint8Array, n: number): void {
  if (n > POOLED_ABOVE) {
    const head = n - FRESH_TAIL;
    const at = rng.int(POOL_LENGTH - head);
    w.range(charPool(alphabet), at, at + head);
    n = FRESH_TAIL;
  }
  randomChars(w, rng, alphabet, n);
}

/**
 * Power-of-two alphabets take log2(size) bits each from one 32-bit draw; others take successive base-`size` digits
 * of the draw while they stay unbiased enough for ids.
 */
function randomChars(w: ByteWriter, rng: Rng, alphabet: Uint8Array, n: number): void {
  const size = alphabet.length;
  const bitsPer = 31 - Math.clz32(size);
  w.ensure(n);
  const buf = w.buf;
  let p = w.pos;
  if (1 << bitsPer === size) {
    const mask = size - 1;
    const perDraw = Math.floor(32 / bitsPer);
    let bits = 0;
    let left = 0;
    for (let i = 0; i < n; i++) {
      if (left === 0) {
        bits = rng.u32();
        left = perDraw;
      }
      buf[p++] = alphabet[bits & mask];
      bits >>>= bitsPer;
      left--;
    }
  } else {
    const perDraw = Math.floor(32 / Math.log2(size)) - 1;
    let value = 0;
    let left = 0;
    for (let i = 0; i < n; i++) {
      if (left === 0) {
        value = rng.u32();
        left = perDraw;
      }
      buf[p++] = alphabet[value % size];
      value = Math.floor(value / size);
      left--;
    }
  }
  w.pos = p;
}

/** Points the slot at a pool value chosen by the record's shared pick of `kind`. */
export function pool(out: SlotValue, ctx: EventContext, kind: Pick, values: readonly Uint8Array[]): void {
  out.set(values[ctx.pick(kind, values.length)]);
}

/** Sets the slot to an ASCII string (for values built off the hot path). */
export function text(out: SlotValue, value: string): void {
  out.compose().ascii(value);
}
