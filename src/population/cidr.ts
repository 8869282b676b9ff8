/** IPv4 CIDR arithmetic for picking addresses and sub-blocks inside published network blocks. */
import type { Rng } from '../util/rng.js';

export function parseCidr(cidr: string): { base: number; bits: number } {
  const [addr, len] = cidr.split('/');
  const octets = addr.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) throw new Error(`bad IPv4 CIDR: ${cidr}`);
  const bits = len === undefined ? 32 : Number(len);
  const raw = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (raw & mask) >>> 0, bits };
}

export function formatIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** A random sub-block of prefix length `bits` inside `cidr`. */
export function randomSubnetIn(rng: Rng, cidr: string, bits: number): string {
  const { base, bits: outer } = parseCidr(cidr);
  const slots = 2 ** (bits - outer);
  const offset = rng.int(slots) * 2 ** (32 - bits);
  return `${formatIpv4((base + offset) >>> 0)}/${bits}`;
}

/** A random host address inside `cidr`, avoiding the all-zeros and all-ones host parts of blocks larger than /31. */
export function randomAddressIn(rng: Rng, cidr: string): string {
  const { base, bits } = parseCidr(cidr);
  const size = 2 ** (32 - bits);
  const offset = size > 2 ? 1 + rng.int(size - 2) : rng.int(size);
  return formatIpv4((base + offset) >>> 0);
}
