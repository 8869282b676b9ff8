/**
 * The one string hash of the generator: 32-bit FNV-1a. It mixes stream names into seeds (`util/rng.ts`) and derives
 * stable values from names (a bursty service's period and phase, an instance's platform, a Lambda function's memory
 * size, a delivery file's suffix), so its output is part of every record: changing it changes the bytes of every run.
 */

/** FNV-1a's 32-bit offset basis. */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over a string's UTF-16 code units, as an unsigned integer. `basis` starts the hash elsewhere than the
 * offset basis (a second, independent hash of the same text; or a hash continued over more text).
 */
export function fnv1a(text: string, basis: number = FNV_OFFSET_BASIS): number {
  let h = basis | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
