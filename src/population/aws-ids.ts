/**
 * AWS identifier formats: account ids, access keys, unique principal ids. Prefixes and lengths follow IAM's
 * documented unique-id prefixes (AKIA long-term key, ASIA temporary key, AIDA user, AROA role).
 */
import type { Rng } from '../util/rng.js';

/** Base32 upper-case alphabet IAM uses in key ids and unique ids. */
const IAM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function iamId(rng: Rng, prefix: 'AKIA' | 'ASIA' | 'AIDA' | 'AROA' | 'ANPA' | 'AGPA', length: number): string {
  let out = prefix;
  for (let i = prefix.length; i < length; i++) out += IAM_ALPHABET[rng.int(32)];
  return out;
}

export const accessKeyId = (rng: Rng, temporary: boolean) => iamId(rng, temporary ? 'ASIA' : 'AKIA', 20);
export const userUniqueId = (rng: Rng) => iamId(rng, 'AIDA', 21);
export const roleUniqueId = (rng: Rng) => iamId(rng, 'AROA', 21);

export function accountIdFrom(rng: Rng): string {
  let out = String(rng.range(1, 9));
  for (let i = 1; i < 12; i++) out += String(rng.int(10));
  return out;
}

export function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[rng.int(16)];
  return out;
}
