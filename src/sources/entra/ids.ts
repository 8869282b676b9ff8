/** Identifiers and times as Entra writes them: version-4 GUIDs, seven-digit fractional seconds. */
import type { Rng } from '../../util/rng.js';
import { utf8, type ByteWriter } from '../../encode/byte-writer.js';

const HEX = '0123456789abcdef';
/** Two hex digits per byte value. */
const HEX2 = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);

/** A version-4 GUID from four 32-bit draws. */
export function guid(rng: Rng): string {
  const a = rng.u32();
  const b = rng.u32();
  const c = rng.u32();
  const d = rng.u32();
  return (
    HEX2[a >>> 24] + HEX2[(a >>> 16) & 255] + HEX2[(a >>> 8) & 255] + HEX2[a & 255] + '-' +
    HEX2[b >>> 24] + HEX2[(b >>> 16) & 255] + '-4' + HEX2[(b >>> 8) & 255].slice(1) + HEX2[b & 255] + '-' +
    '89ab'[c >>> 30] + HEX2[(c >>> 16) & 255].slice(1) + HEX2[(c >>> 8) & 255] + '-' + HEX2[c & 255] +
    HEX2[d >>> 24] + HEX2[(d >>> 16) & 255] + HEX2[(d >>> 8) & 255] + HEX2[d & 255] + HEX2[(a ^ d) & 255]
  );
}

/** Two hex digits per byte value, as ASCII codes (high digit << 8 | low digit). */
const HEX_CODES = Array.from({ length: 256 }, (_, i) => (HEX.charCodeAt(i >> 4) << 8) | HEX.charCodeAt(i & 15));

/** Draws a GUID's four 32-bit values (as `guid` does) into `into` at `at`, for `writeGuid`. */
export function drawGuid(rng: Rng, into: Uint32Array, at: number): void {
  into[at] = rng.u32();
  into[at + 1] = rng.u32();
  into[at + 2] = rng.u32();
  into[at + 3] = rng.u32();
}

/**
 * The GUID `guid` makes of the same four draws (`from[at..at+3]`), written as bytes: the same text without building
 * a string (writers that copy bytes would otherwise allocate several strings a record).
 */
export function writeGuid(w: ByteWriter, from: Uint32Array, at: number): void {
  const a = from[at];
  const b = from[at + 1];
  const c = from[at + 2];
  const d = from[at + 3];
  w.ensure(36);
  const buf = w.buf;
  let p = w.pos;
  p = pair(buf, p, a >>> 24);
  p = pair(buf, p, (a >>> 16) & 255);
  p = pair(buf, p, (a >>> 8) & 255);
  p = pair(buf, p, a & 255);
  buf[p++] = 45;
  p = pair(buf, p, b >>> 24);
  p = pair(buf, p, (b >>> 16) & 255);
  buf[p++] = 45;
  buf[p++] = 52;
  buf[p++] = HEX_CODES[(b >>> 8) & 255] & 255;
  p = pair(buf, p, b & 255);
  buf[p++] = 45;
  const variant = c >>> 30;
  buf[p++] = variant < 2 ? 56 + variant : 95 + variant;
  buf[p++] = HEX_CODES[(c >>> 16) & 255] & 255;
  p = pair(buf, p, (c >>> 8) & 255);
  buf[p++] = 45;
  p = pair(buf, p, c & 255);
  p = pair(buf, p, d >>> 24);
  p = pair(buf, p, (d >>> 16) & 255);
  p = pair(buf, p, (d >>> 8) & 255);
  p = pair(buf, p, d & 255);
  p = pair(buf, p, (a ^ d) & 255);
  w.pos = p;
}

/** The first `n` hex digits of a GUID drawn into `from[at..]` (its first value's), upper case. */
export function writeGuidPrefixUpper(w: ByteWriter, from: Uint32Array, at: number, n: number): void {
  const a = from[at];
  w.ensure(n);
  const buf = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i++) buf[p++] = HEX_UPPER_CODES[(a >>> (28 - 4 * i)) & 15];
  w.pos = p;
}

const HEX_UPPER_CODES = Array.from('0123456789ABCDEF', (ch) => ch.charCodeAt(0));

function pair(buf: Uint8Array, p: number, v: number): number {
  const x = HEX_CODES[v];
  buf[p] = x >> 8;
  buf[p + 1] = x & 255;
  return p + 2;
}

const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DIGITS4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/**
 * Entra's times, without the zone: `YYYY-MM-DDTHH:MM:SS.fffffff` (the last four digits below the millisecond). The
 * second's text is kept while records stay in it (one per shard: records come in time order, mostly).
 */
const DIGITS2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86_400_000;

export class TickClock {
  private second = NaN;
  private prefix = '';
  private day = NaN;
  private dayPrefix = '';
  /** The day's text (`YYYY-MM-DDT`) as bytes, and the second of the day, for `write`. */
  private dayBytes: Uint8Array = new Uint8Array(0);
  private secondOfDay = 0;

  ticks(time: number, rng: Rng): string {
    // Event times are fractional milliseconds: the text shows whole ones.
    const ms = Math.floor(time);
    const second = Math.floor(ms / 1000);
    this.toSecond(ms, second);
    return this.prefix + DIGITS3[ms - second * 1000] + DIGITS4[rng.int(10_000)];
  }

  /**
   * The digits below the second that `ticks` would write for `time` (the same draw), as a number; `write` then writes
   * the whole time as bytes. Nothing else may use the clock in between.
   */
  fraction(time: number, rng: Rng): number {
    const ms = Math.floor(time);
    const second = Math.floor(ms / 1000);
    this.toSecond(ms, second);
    return (ms - second * 1000) * 10_000 + rng.int(10_000);
  }

  write(w: ByteWriter, fraction: number): void {
    const s = this.secondOfDay;
    w.bytes(this.dayBytes);
    w.padded(Math.floor(s / 3600), 2);
    w.byte(58);
    w.padded(Math.floor(s / 60) % 60, 2);
    w.byte(58);
    w.padded(s % 60, 2);
    w.byte(46);
    w.padded(fraction, 7);
  }

  private toSecond(ms: number, second: number): void {
    if (second !== this.second) {
      this.second = second;
      const day = Math.floor(ms / DAY_MS);
      if (day !== this.day) {
        this.day = day;
        this.dayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
        this.dayBytes = utf8(this.dayPrefix);
      }
      const s = second - day * 86_400;
      this.secondOfDay = s;
      this.prefix = `${this.dayPrefix}${DIGITS2[Math.floor(s / 3600)]}:${DIGITS2[Math.floor(s / 60) % 60]}:${DIGITS2[s % 60]}.`;
    }
  }
}
