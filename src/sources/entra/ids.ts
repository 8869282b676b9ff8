/** Identifiers and times as Entra writes them: version-4 GUIDs, seven-digit fractional seconds. */
import type { Rng } from '../../util/rng.js';

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

  ticks(time: number, rng: Rng): string {
    // Event times are fractional milliseconds: the text shows whole ones.
    const ms = Math.floor(time);
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      const day = Math.floor(ms / DAY_MS);
      if (day !== this.day) {
        this.day = day;
        this.dayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      }
      const s = second - day * 86_400;
      this.prefix = `${this.dayPrefix}${DIGITS2[Math.floor(s / 3600)]}:${DIGITS2[Math.floor(s / 60) % 60]}:${DIGITS2[s % 60]}.`;
    }
    return this.prefix + DIGITS3[ms - second * 1000] + DIGITS4[rng.int(10_000)];
  }
}
