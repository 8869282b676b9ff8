/**
 * The addresses an actor's sessions come from: the first hosts of its network block (at most 16 for people, whose
 * home or office block may be large). Every source picks a session's address from this list, by index.
 */
import type { Actor } from './actor.js';
import { formatIpv4, parseCidr } from './cidr.js';

/** Most addresses a person's sessions are spread over. */
export const MAX_SESSION_ADDRESSES = 16;

export function sessionAddresses(actor: Pick<Actor, 'ip_cidr'>): string[] {
  const { base, bits } = parseCidr(actor.ip_cidr);
  const span = 2 ** (32 - bits);
  const first = span > 2 ? 1 : 0;
  const count = Math.min(MAX_SESSION_ADDRESSES, span > 2 ? span - 2 : span);
  return Array.from({ length: count }, (_, i) => formatIpv4((base + first + i) >>> 0));
}
