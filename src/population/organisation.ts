/**
 * What the population knows beyond AWS: each person's department, title and manager, their workstation, the
 * identity provider the organisation uses, and each actor's identity in every provider (population/identities.ts).
 * All of it is derived from the actors' base fields, deterministically and each on its own stream, so a population
 * file written before these columns existed loads with the same values a new one is written with.
 */
import type { Actor } from './actor.js';
import { ROLE_JOBS, WORKSTATION_OS } from './data/organisation.js';
import { directoryIdentity, entraIdentity, linuxIdentity, oktaIdentity } from './identities.js';
import { Rng } from '../util/rng.js';

/** The organisation's identity provider (actors.toml `population.identity_provider`); null: the run decides. */
export const IDENTITY_PROVIDERS = ['okta', 'entra', 'both', 'none'] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number];

/**
 * The identity provider people sign in through in a run: as actors.toml sets it (`none`: nobody; `both`: the one the
 * run has, else the first of the two), else the run's first identity provider source (`inRun`), else none.
 */
export function federationProvider(setting: IdentityProvider | null, inRun: string | null): string | null {
  if (setting === 'none') return null;
  if (setting === 'both') return inRun ?? IDENTITY_PROVIDERS[0];
  return setting ?? inRun;
}

/** Columns derived from the others (written to the population file, derived again when a file lacks them). */
export const DERIVED_KEYS = [
  'department',
  'title',
  'manager_id',
  'identity_provider',
  'okta_id',
  'entra_object_id',
  'ad_sam_account_name',
  'ad_sid',
  'linux_user',
  'linux_uid',
  'workstation_hostname',
  'workstation_os',
  'workstation_ip',
] as const satisfies readonly (keyof Actor)[];
export type DerivedKey = (typeof DERIVED_KEYS)[number];
export type BaseActor = Omit<Actor, DerivedKey>;

function firstMatch(table: readonly (readonly [RegExp, string])[], text: string, fallback: string): string {
  for (const [re, name] of table) if (re.test(text)) return name;
  return fallback;
}

/** The derived fields of every actor (managers need the whole population: the order of `actors` matters). */
export function deriveOrganisation(actors: readonly BaseActor[], identityProvider: IdentityProvider | null): Actor[] {
  const jobs = actors.map((a) => {
    if (a.kind !== 'human' || a.role === null) return null;
    const rng = new Rng(`${a.account_id}/${a.id}`, 'organisation/job');
    const job = ROLE_JOBS[a.role];
    return { department: job.departments[rng.int(job.departments.length)], title: job.titles[rng.int(job.titles.length)] };
  });
  // Each department's first person heads it; the next ones (about √n) lead teams under the head; everyone else
  // reports to one of the leads.
  const byDepartment = new Map<string, number[]>();
  jobs.forEach((j, i) => {
    if (!j) return;
    const list = byDepartment.get(j.department) ?? [];
    list.push(i);
    byDepartment.set(j.department, list);
  });
  const manager = new Array<string | null>(actors.length).fill(null);
  for (const members of byDepartment.values()) {
    const leads = Math.max(1, Math.round(Math.sqrt(members.length)));
    members.forEach((i, k) => {
      if (k === 0) return;
      const rng = new Rng(`${actors[i].account_id}/${actors[i].id}`, 'organisation/manager');
      manager[i] = actors[members[k <= leads ? 0 : 1 + rng.int(Math.min(leads, members.length - 1))]].id;
    });
  }
  // Workstation names are unique: a name cut short can meet another person's, who then gets the next number.
  const usedHosts = new Set<string>();
  const unique = (name: string): string => {
    let out = name;
    for (let n = 2; usedHosts.has(out); n++) out = name.replace(/(-mbp|-ws)?$/, (suffix) => `${n}${suffix}`);
    usedHosts.add(out);
    return out;
  };
  return actors.map((a, i) => {
    const human = a.kind === 'human';
    const ad = directoryIdentity(a as Actor);
    const linux = linuxIdentity(a as Actor);
    const ws = new Rng(`${a.account_id}/${a.id}`, 'organisation/workstation');
    const os = human ? firstMatch(WORKSTATION_OS, a.console_user_agent ?? '', 'Ubuntu 24.04') : null;
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789ABCDEF'[ws.int(16)]).join('');
    const hostname = !human ? null : unique(os === 'macOS 15' ? `${ad.samAccountName.replace(/[^A-Za-z0-9]/g, '').toLowerCase().slice(0, 12)}-mbp` : os === 'Windows 11' ? `LAPTOP-${hex(7)}` : `${linux.user.slice(0, 12)}-ws`);
    const office = 1 + ws.int(8);
    const ip = human ? `10.${office}.${16 + ws.int(16)}.${10 + ws.int(240)}` : null;
    return {
      ...a,
      department: jobs[i]?.department ?? null,
      title: jobs[i]?.title ?? null,
      manager_id: manager[i],
      identity_provider: identityProvider,
      okta_id: oktaIdentity(a as Actor).id,
      entra_object_id: entraIdentity(a as Actor).objectId,
      ad_sam_account_name: ad.samAccountName,
      ad_sid: ad.sid,
      linux_user: linux.user,
      linux_uid: linux.uid,
      workstation_hostname: hostname,
      workstation_os: os,
      workstation_ip: ip,
    } as Actor;
  });
}
