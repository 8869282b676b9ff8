/**
 * Per-provider identity projections of an actor: how the same person or workload is named by each identity system
 * (Okta, Microsoft Entra ID, Active Directory, Linux). Each is a pure function of the actor's account and id, drawn
 * from its own random stream, so adding a projection never changes another, and a population file written before
 * projections existed gets the same values as a new one. A person's e-mail is their Okta login and Entra UPN.
 */
import type { Actor } from './actor.js';
import { Rng } from '../util/rng.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function streamFor(actor: Pick<Actor, 'account_id' | 'id'>, projection: string): Rng {
  return new Rng(`${actor.account_id}/${actor.id}`, `identity/${projection}`);
}

function base62(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE62[rng.int(62)];
  return s;
}

function uuid(rng: Rng): string {
  const h = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(16)];
    return s;
  };
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[rng.int(4)]}${h(3)}-${h(12)}`;
}

/** An Okta object id: a three-character type prefix (`00u` users, `0oa` apps, `00g` groups…) and 17 base62 characters. */
export function oktaId(prefix: string, rng: Rng): string {
  return prefix + base62(rng, 17);
}

export interface OktaIdentity {
  /** `00u…` for people; service accounts are OAuth service apps (`0oa…` client ids). */
  readonly id: string;
  readonly login: string;
}

export function oktaIdentity(actor: Actor): OktaIdentity {
  const rng = streamFor(actor, 'okta');
  if (actor.kind === 'human') return { id: oktaId('00u', rng), login: actor.email ?? actor.user_name };
  return { id: oktaId('0oa', rng), login: actor.user_name };
}

export interface EntraIdentity {
  readonly objectId: string;
  readonly userPrincipalName: string;
}

export function entraIdentity(actor: Actor): EntraIdentity {
  const rng = streamFor(actor, 'entra');
  return { objectId: uuid(rng), userPrincipalName: actor.email ?? actor.user_name };
}

export interface DirectoryIdentity {
  /** sAMAccountName: the e-mail's local part, at most 20 characters. */
  readonly samAccountName: string;
  /** The account's SID in the domain (the domain's SID is the account's; the RID counts from 1104). */
  readonly sid: string;
}

export function directoryIdentity(actor: Actor): DirectoryIdentity {
  const rng = streamFor(actor, 'ad');
  const local = (actor.email ?? actor.user_name).split('@')[0].replace(/[^A-Za-z0-9._-]/g, '').slice(0, 20);
  const domain = streamFor({ account_id: actor.account_id, id: 'domain' }, 'ad');
  const sid = `S-1-5-21-${domain.u32()}-${domain.u32()}-${domain.u32()}-${1104 + rng.int(60_000)}`;
  return { samAccountName: actor.kind === 'human' ? local : `svc-${local}`.slice(0, 20), sid };
}

export interface LinuxIdentity {
  readonly user: string;
  readonly uid: number;
}

export function linuxIdentity(actor: Actor): LinuxIdentity {
  const rng = streamFor(actor, 'linux');
  const local = (actor.email ?? actor.user_name).split('@')[0].toLowerCase().replace(/[^a-z0-9_-]/g, '').slice(0, 32);
  return { user: actor.kind === 'human' ? local : `svc_${local}`.slice(0, 32), uid: actor.kind === 'human' ? 1000 + rng.int(59_000) : 200 + rng.int(700) };
}
