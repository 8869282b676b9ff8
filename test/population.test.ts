import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actorsConfigSchema } from '../src/population/config.js';
import { validate } from '../src/util/validate.js';
import { canonicalActor } from '../src/population/actor.js';
import { buildPopulation } from '../src/population/build.js';
import { readPopulationParquet } from '../src/population/parquet.js';
import { LocalClock, utcOffsetMinutes } from '../src/population/timezones.js';
import { duckdb } from '../src/encode/parquet/duckdb.js';
import { buildPopulationFile, tempDir } from './helpers.js';
import { DERIVED_KEYS } from '../src/population/organisation.js';
import { buildInventory } from '../src/population/inventory.js';
import { entraIdentity, oktaIdentity } from '../src/population/identities.js';

const config = (body: object) => validate(actorsConfigSchema, body, 'test');

describe('population', () => {
  const pop = buildPopulation(config({ seed: 5, population: { actor_count: 1000, service_ratio: 0.3, hot_actor_ratio: 0.1, account_count: 3 } }), 5);

  it('is a pure function of config and seed', () => {
    const again = buildPopulation(config({ seed: 5, population: { actor_count: 1000, service_ratio: 0.3, hot_actor_ratio: 0.1, account_count: 3 } }), 5);
    expect(again).toEqual(pop);
    const other = buildPopulation(config({ population: { actor_count: 1000, service_ratio: 0.3, account_count: 3 } }), 6);
    expect(other.actors[0]).not.toEqual(pop.actors[0]);
  });

  it('rebuilds actors in their one shape without losing or changing a field (workers rely on it)', () => {
    for (const a of pop.actors) {
      const copy = canonicalActor(structuredClone(a));
      expect(copy).toStrictEqual(a);
      expect(Object.keys(copy)).toEqual(Object.keys(pop.actors[0]));
    }
  });

  it('has the configured mix of people, services, hot actors and accounts', () => {
    const services = pop.actors.filter((a) => a.kind === 'service');
    expect(services.length).toBe(300);
    expect(pop.actors.filter((a) => a.hot).length).toBe(100);
    expect(pop.account_ids).toHaveLength(3);
    expect(new Set(pop.actors.map((a) => a.account_id)).size).toBe(3);
    for (const a of services) expect(a.service_profile).not.toBeNull();
  });

  it('gives every actor well-formed, unique AWS identities', () => {
    for (const a of pop.actors) {
      expect(a.account_id).toMatch(/^\d{12}$/);
      if (a.identity_type === 'IAMUser') {
        expect(a.principal_id).toMatch(/^AIDA[A-Z2-7]{17}$/);
        expect(a.access_key_id).toMatch(/^AKIA[A-Z2-7]{16}$/);
        expect(a.identity_arn).toBe(`arn:aws:iam::${a.account_id}:user/${a.user_name}`);
      } else {
        expect(a.principal_id).toMatch(/^AROA[A-Z2-7]{17}$/);
        expect(a.identity_arn).toMatch(new RegExp(`^arn:aws:iam::${a.account_id}:role/`));
        expect(a.session_name).toBeTruthy();
      }
      expect(a.ip_cidr).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    }
    const users = pop.actors.filter((a) => a.identity_type === 'IAMUser');
    expect(new Set(users.map((a) => a.identity_arn)).size).toBe(users.length);
    // IAM Identity Center users of one role and account share that permission set's role.
    const sso = pop.actors.filter((a) => a.identity_style === 'sso');
    const byRole = new Map(sso.map((a) => [`${a.account_id}/${a.role}`, a.identity_arn]));
    for (const a of sso) expect(a.identity_arn).toBe(byRole.get(`${a.account_id}/${a.role}`));
  });

  it('honours role and service-profile overrides', () => {
    const p = buildPopulation(
      config({ seed: 1, population: { actor_count: 400, service_ratio: 0.5, role_distribution: [{ name: 'auditor', weight: 1 }], role_rates_per_hour: [{ name: 'auditor', rate_per_hour: 99 }], hot_actor_ratio: 0, service_profiles: [{ name: 'datalake_bot', weight: 1, rate_per_hour: 30, pattern: 'constant' }] } }),
      1,
    );
    const humans = p.actors.filter((a) => a.kind === 'human');
    expect(humans.every((a) => a.role === 'auditor' && a.rate_per_hour === 99)).toBe(true);
    const services = p.actors.filter((a) => a.kind === 'service');
    expect(services.every((a) => a.service_profile === 'datalake_bot' && a.pattern === 'constant' && a.rate_per_hour === 30)).toBe(true);
  });

  it('reads a listed role or profile as an override of its own default: the unlisted keep theirs (examples/actors.toml)', () => {
    // actors.toml's `admin = 0.15` means "admins are 15 % of people"; the other roles share the rest as by default.
    const p = buildPopulation(
      config({ seed: 2, population: { actor_count: 20_000, service_ratio: 0.25, hot_actor_ratio: 0, role_distribution: [{ name: 'admin', weight: 0.15 }], service_profiles: [{ name: 'datalake_bot', weight: 0.4, rate_per_hour: 30, pattern: 'constant' }] } }),
      2,
    );
    const share = (list: readonly { role?: string | null; service_profile?: string | null }[], key: 'role' | 'service_profile', name: string) => list.filter((a) => a[key] === name).length / list.length;
    const humans = p.actors.filter((a) => a.kind === 'human');
    const services = p.actors.filter((a) => a.kind === 'service');
    expect(share(humans, 'role', 'admin')).toBeCloseTo(0.15, 1.7);
    // Defaults developer 0.5, readonly 0.25, auditor 0.15 share 0.85: 0.472, 0.236, 0.142.
    expect(share(humans, 'role', 'developer')).toBeCloseTo(0.472, 1.7);
    expect(share(humans, 'role', 'readonly')).toBeCloseTo(0.236, 1.7);
    expect(share(humans, 'role', 'auditor')).toBeCloseTo(0.142, 1.7);
    expect(share(services, 'service_profile', 'datalake_bot')).toBeCloseTo(0.4, 1.5);
    // Unlisted profiles keep their default pattern and the population's service rate.
    expect(services.filter((a) => a.service_profile === 'logs_shipper').every((a) => a.pattern === 'constant' && a.rate_per_hour === 6)).toBe(true);
    expect(services.filter((a) => a.service_profile === 'datalake_bot').every((a) => a.pattern === 'constant' && a.rate_per_hour === 30)).toBe(true);
    expect(new Set(services.map((a) => a.service_profile)).size).toBe(5);
  });

  it('takes weights as relative when every entry is listed, and refuses listed shares over 1 with entries unlisted', () => {
    const all = buildPopulation(config({ seed: 3, population: { actor_count: 4000, service_ratio: 0, role_distribution: [{ name: 'admin', weight: 3 }, { name: 'developer', weight: 1 }, { name: 'readonly', weight: 0 }, { name: 'auditor', weight: 0 }] } }), 3);
    expect(all.actors.filter((a) => a.role === 'admin').length / 4000).toBeCloseTo(0.75, 1.5);
    expect(() => config({ population: { role_distribution: [{ name: 'admin', weight: 0.8 }, { name: 'developer', weight: 0.5 }] } })).toThrow(/listed weights add up to 1.3, but readonly, auditor are not listed/);
  });

  it('round-trips through Parquet that DuckDB reads', async () => {
    const dir = tempDir();
    const file = await buildPopulationFile(dir, 'seed = 9\n[population]\nactor_count = 50\n');
    const conn = await duckdb();
    const rows = (await conn.runAndReadAll(`SELECT kind, count(*)::INT AS n FROM '${file}' GROUP BY kind ORDER BY kind`)).getRowObjectsJS();
    conn.closeSync();
    expect(rows).toEqual([
      { kind: 'human', n: 40 },
      { kind: 'service', n: 10 },
    ]);
    const back = await readPopulationParquet(file, 'test');
    const direct = buildPopulation(config({ seed: 9, population: { actor_count: 50 } }), 9);
    expect(back.actors).toEqual(direct.actors);
    expect(join(dir, 'actors.parquet')).toBe(file);
  });

  it('loads a population file written before the derived columns (organisation, identities, workstation) with the same values', async () => {
    const dir = tempDir();
    const file = await buildPopulationFile(dir, 'seed = 9\n[population]\nactor_count = 80\n');
    const old = join(dir, 'old.parquet');
    const conn = await duckdb();
    await conn.run(`COPY (SELECT * EXCLUDE (${DERIVED_KEYS.join(', ')}) FROM '${file}') TO '${old}' (FORMAT parquet)`);
    conn.closeSync();
    expect((await readPopulationParquet(old, 'test')).actors).toEqual((await readPopulationParquet(file, 'test')).actors);
  });

  it('places people in an organisation: departments by role, one head per department, managers in the same department', () => {
    const people = pop.actors.filter((a) => a.kind === 'human');
    const byId = new Map(pop.actors.map((a) => [a.id, a]));
    const departments = new Set(people.map((a) => a.department));
    expect(departments.size).toBeGreaterThanOrEqual(8);
    expect(people.filter((a) => a.manager_id === null).length).toBe(departments.size);
    for (const p of people) {
      if (p.manager_id === null) continue;
      const m = byId.get(p.manager_id)!;
      expect(m.department).toBe(p.department);
      expect(m.manager_id === null || byId.get(m.manager_id)!.manager_id === null).toBe(true); // at most three levels
    }
    expect(pop.actors.filter((a) => a.kind === 'service').every((a) => a.department === null && a.workstation_hostname === null)).toBe(true);
    expect(people.every((a) => /^10\.\d+\.\d+\.\d+$/.test(a.workstation_ip!) && a.workstation_hostname !== null)).toBe(true);
  });

  it('gives every actor an identity in each provider, each on its own stream, and the e-mail as Okta login and Entra UPN', () => {
    const people = pop.actors.filter((a) => a.kind === 'human');
    expect(people.every((a) => /^00u[A-Za-z0-9]{17}$/.test(a.okta_id))).toBe(true);
    expect(new Set(pop.actors.map((a) => a.okta_id)).size).toBe(pop.actors.length);
    expect(pop.actors.every((a) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a.entra_object_id))).toBe(true);
    expect(people.every((a) => /^S-1-5-21-\d+-\d+-\d+-\d+$/.test(a.ad_sid) && a.ad_sam_account_name.length <= 20)).toBe(true);
    expect(people.every((a) => a.linux_uid >= 1000)).toBe(true);
    const p = people[0];
    expect(oktaIdentity(p).login).toBe(p.email);
    expect(entraIdentity(p).userPrincipalName).toBe(p.email);
    // A projection depends on the actor alone: the same person in a population of another size has the same ids.
    const small = buildPopulation(config({ seed: 5, population: { actor_count: 10, service_ratio: 0.3, hot_actor_ratio: 0.1, account_count: 3 } }), 5);
    const same = small.actors[0];
    expect([same.id, same.account_id]).toEqual([pop.actors[0].id, pop.actors[0].account_id]);
    expect([same.okta_id, same.entra_object_id, same.ad_sid]).toEqual([pop.actors[0].okta_id, pop.actors[0].entra_object_id, pop.actors[0].ad_sid]);
  });

  it('gives every person a workstation name of their own (a name cut short that meets another takes the next number)', () => {
    const big = buildPopulation(config({ seed: 5, population: { actor_count: 10_000 } }), 5);
    const names = big.actors.flatMap((a) => (a.workstation_hostname ? [a.workstation_hostname] : []));
    expect(names.length).toBeGreaterThan(7000);
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((n) => /\d-(mbp|ws)$/.test(n))).toBe(true);
  });

  it('has an inventory: servers per role and environment, with owners from the population, unique names and addresses', () => {
    const servers = buildInventory(pop);
    expect(servers.length).toBeGreaterThanOrEqual(30);
    expect(new Set(servers.map((s) => s.hostname)).size).toBe(servers.length);
    expect(new Set(servers.map((s) => s.ip)).size).toBe(servers.length);
    const byId = new Map(pop.actors.map((a) => [a.id, a]));
    expect(servers.every((s) => s.owner_id !== null && ['admin', 'developer'].includes(byId.get(s.owner_id)!.role!))).toBe(true);
    expect(new Set(servers.map((s) => s.environment))).toEqual(new Set(['prod', 'staging', 'dev']));
    expect(servers.filter((s) => s.criticality === 'high').every((s) => s.environment === 'prod')).toBe(true);
    expect(servers.some((s) => s.role === 'dc' && s.os.startsWith('Windows') && s.domain !== null)).toBe(true);
    expect(buildInventory(pop)).toEqual(servers);
  });

  it('records the identity provider actors.toml sets, and none when unset', () => {
    expect(pop.actors.every((a) => a.identity_provider === null)).toBe(true);
    const entra = buildPopulation(config({ seed: 5, population: { actor_count: 20, identity_provider: 'entra' } }), 5);
    expect(entra.actors.every((a) => a.identity_provider === 'entra')).toBe(true);
  });
});

describe('time zones', () => {
  it('follows DST transitions instead of fixed offsets', () => {
    // New York: EST (UTC-5) before 2025-03-09 07:00Z, EDT (UTC-4) after.
    expect(utcOffsetMinutes('America/New_York', Date.UTC(2025, 2, 9, 6, 59))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', Date.UTC(2025, 2, 9, 7, 0))).toBe(-240);
    expect(utcOffsetMinutes('Asia/Kolkata', Date.UTC(2025, 6, 1))).toBe(330);
    const clock = new LocalClock('Europe/Berlin');
    // Monday 2025-03-31 07:00Z is 09:00 CEST (UTC+2, DST since 2025-03-30).
    expect(clock.minuteOfWeek(Date.UTC(2025, 2, 31, 7, 0))).toBe(9 * 60);
    // Monday 2025-03-24 07:00Z is 08:00 CET.
    expect(clock.minuteOfWeek(Date.UTC(2025, 2, 24, 7, 0))).toBe(8 * 60);
  });
});
