/**
 * What a record is beyond its source's own fields, for everything that reads records back (the SIEM, scoring against
 * labels): its id, the normalised fields a reader keeps beside the vendor record, and the organisation's inventory
 * of hosts it is enriched from. Shared vocabulary: the generator writes these, readers depend on nothing else of it.
 */
import { FNV_OFFSET_BASIS, FNV_PRIME } from '../util/hash.js';
import type { EnvelopeName } from './envelope.js';

/**
 * A record's id when its source has none of its own (scenario labels; the SIEM's idempotency key): two independent
 * 32-bit FNV-1a hashes of its text, `h:` and 16 hex digits.
 */
export function recordHash(text: string): string {
  // fnv1a(text) and fnv1a(text, FNV_PRIME), in one pass over the text.
  let a = FNV_OFFSET_BASIS | 0;
  let b = FNV_PRIME | 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, FNV_PRIME);
    b = Math.imul(b ^ c, FNV_PRIME);
  }
  return `h:${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

/** How severe a record is, from the vendor's own level where it has one. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The envelope fields a reader can take from a record alone, as columns (the envelope without its version, time,
 * source, geo and the population's actor id), plus the host the record was written on or about and the user name as
 * the source spells it.
 */
export type NormalisedField = Exclude<EnvelopeName, 'schema_version' | 'geo' | 'timestamp' | 'source' | 'actor_id'> | 'host' | 'user';

export const NORMALISED_FIELDS = [
  'event_type',
  'outcome',
  'actor',
  'target',
  'host',
  'user',
  'ip',
  'user_agent',
  'session_id',
  'tenant_id',
] as const satisfies readonly NormalisedField[];

/** One host of the organisation's inventory (`seclog actors --inventory`): servers and people's workstations. */
export interface InventoryHost {
  readonly host: string;
  readonly kind: 'server' | 'workstation';
  readonly role: string;
  readonly environment: string;
  readonly criticality: 'high' | 'medium' | 'low';
  readonly os: string;
  readonly ip: string;
  /** Who owns it: the owner's e-mail (or id when the actor has none), or null. */
  readonly owner: string | null;
}

/**
 * One person of the organisation's identity directory (`seclog actors --directory`, an HR / IdP export): every name
 * the person appears under in some source, so that records written under different names join into one person.
 */
export interface DirectoryPerson {
  /** The person's key: their e-mail (or id when they have none), as `InventoryHost.owner` names them. */
  readonly person: string;
  readonly display_name: string;
  readonly department: string | null;
  readonly title: string | null;
  /**
   * The names sources write for the person, as they spell them: e-mail (Okta login, Entra UPN, CloudTrail SSO
   * session), sAMAccountName, `<NETBIOS>\<sam>` and `<sam>@<REALM>` (Windows), the unix user and uid (auth.log,
   * auditd's auid), the IAM user name. Matched without case.
   */
  readonly accounts: readonly string[];
  /** The person's workstation's hostname, or null. */
  readonly workstation: string | null;
}
