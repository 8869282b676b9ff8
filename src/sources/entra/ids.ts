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

/** Entra's times, without the zone: `YYYY-MM-DDTHH:MM:SS.fffffff` (the last four digits below the millisecond). */
export function ticks(ms: number, rng: Rng): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(rng.int(10_000)).padStart(4, '0')}`;
}
