/**
 * The identity directory: `seclog actors --directory` lists every person of the population with every name the
 * sources write for them (checked against the records a small run generates, as the SIEM normalises them), and the
 * SIEM's Directory finds a person by any of those names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directoryPeople } from '../src/population/directory.js';
import { readPopulationParquet } from '../src/population/parquet.js';
import type { DirectoryPerson } from '../src/schema/record.js';
import { Directory } from '../src/siem/enrich/directory.js';
import { FIELD_INDEX, Normalisers, type Row } from '../src/siem/normalise/normalise.js';
import { UsageError } from '../src/util/errors.js';
import { fileOutput, runCli, sourcesConfig, tempDir, writeFile } from './helpers.js';

const SOURCES = ['okta', 'entra_signin', 'cloudtrail', 'windows-security', 'sysmon', 'linux-auth', 'linux-auditd'];

let dir: string;
let people: DirectoryPerson[];
/** Per source: the records' text (lines) and the user names the SIEM stores for them. */
const texts = new Map<string, string>();
const users = new Map<string, string[]>();

beforeAll(async () => {
  dir = tempDir('seclog-directory-');
  const actors = writeFile(dir, 'actors.toml', 'seed = 3\n[population]\nactor_count = 60\nservice_ratio = 0.2\n');
  const a = await runCli(['actors', '--config', actors, '--output', join(dir, 'actors.parquet'), '--directory', join(dir, 'people.jsonl')]);
  expect(a.code, a.stderr).toBe(0);
  people = readFileSync(join(dir, 'people.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DirectoryPerson);
  const out = join(dir, 'out');
  const sources = SOURCES.map((s) => (s.includes('-') ? { type: 'pack', keys: `pack = "${s}"` } : s));
  const cfg = writeFile(dir, 'gen.toml', sourcesConfig({ seed: 5, population: join(dir, 'actors.parquet'), sources, outputs: fileOutput(out) }));
  const g = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T01:00:00Z']);
  expect(g.code, g.stderr).toBe(0);
  const normalisers = new Normalisers();
  for (const source of SOURCES) {
    const text = readdirSync(join(out, source)).map((f) => readFileSync(join(out, source, f), 'utf8')).join('');
    texts.set(source, text);
    const rows: Row[] = [];
    for (const line of text.split('\n')) if (line !== '') normalisers.for(source)(line, { reference: Date.UTC(2025, 11, 1) }, rows);
    users.set(source, rows.map((r) => (r.table === 'logs' ? r.fields[FIELD_INDEX.user] : r.table === 'process_logs' ? r.user : null)).filter((u): u is string => u !== null));
  }
}, 60_000);

describe('seclog actors --directory', () => {
  it('lists every person of the population (and no service), as a pure function of it', async () => {
    const population = await readPopulationParquet(join(dir, 'actors.parquet'), 'test');
    const humans = population.actors.filter((a) => a.kind === 'human');
    expect(people.map((p) => p.person)).toEqual(humans.map((a) => a.email ?? a.id));
    expect(people).toEqual(JSON.parse(JSON.stringify(directoryPeople(population))));
    for (const [p, a] of people.map((p, i) => [p, humans[i]] as const)) {
      expect(p).toMatchObject({ display_name: a.display_name, department: a.department, title: a.title, workstation: a.workstation_hostname });
      expect(p.accounts).toEqual(expect.arrayContaining([a.email, a.ad_sam_account_name, `CORP\\${a.ad_sam_account_name}`, a.linux_user]));
      if (a.identity_type === 'IAMUser') expect(p.accounts).toContain(a.user_name);
    }
    // No name belongs to two people, and none to a service.
    const all = people.flatMap((p) => p.accounts.map((n) => n.toLowerCase()));
    expect(new Set(all).size).toBe(all.length);
    const services = population.actors.filter((a) => a.kind === 'service').flatMap((a) => [a.user_name, a.ad_sam_account_name, a.linux_user, a.email].filter((n) => n !== null).map((n) => n.toLowerCase()));
    expect(all.filter((n) => services.includes(n))).toEqual([]);
  });

  it('names people as the generated records do, in every source', () => {
    const directory = new Directory(people);
    const known = (source: string) => new Set((users.get(source) ?? []).filter((u) => directory.lookup(u) !== undefined));
    // Each source's stored user names reach people: e-mail (Okta, Entra), sAMAccountName (Windows, Sysmon), unix
    // user (auth.log), uid or user (auditd), IAM user (CloudTrail).
    for (const source of SOURCES) expect(known(source).size, source).toBeGreaterThan(0);
    expect([...known('okta')].every((u) => u.includes('@'))).toBe(true);
    expect([...known('windows-security')].some((u) => !u.includes('@') && !u.includes('\\'))).toBe(true);
    // Every spelling the directory lists is one some record carries: DOMAIN\sam (Sysmon's User:), sam@REALM (Kerberos).
    const everything = [...texts.values()].join('\n');
    const carried = (name: string) => everything.includes(name) || everything.includes(JSON.stringify(name).slice(1, -1));
    const kinds = { email: /@example\.com$/, netbios: /^CORP\\/, realm: /@CORP\./, uid: /^\d+$/, other: /^[^@\\]+$/ };
    for (const [kind, re] of Object.entries(kinds)) expect(people.some((p) => p.accounts.some((n) => re.test(n) && carried(n))), kind).toBe(true);
    // One person under at least three names across at least three sources.
    const names = new Map<string, Set<string>>();
    const sources = new Map<string, Set<string>>();
    for (const source of SOURCES) {
      for (const u of known(source)) {
        const who = directory.lookup(u)!.person;
        names.set(who, (names.get(who) ?? new Set()).add(u));
        sources.set(who, (sources.get(who) ?? new Set()).add(source));
      }
    }
    const best = [...names.keys()].sort((x, y) => sources.get(y)!.size - sources.get(x)!.size)[0];
    expect(names.get(best)!.size, `${best}: ${[...names.get(best)!].join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(sources.get(best)!.size).toBeGreaterThanOrEqual(3);
  });
});

describe('the SIEM directory', () => {
  it('finds a person by any account without case, and by their workstation with or without a domain', () => {
    const d = new Directory(people);
    const p = people.find((x) => x.workstation !== null)!;
    expect(d.size).toBe(people.length);
    for (const n of p.accounts) expect(d.lookup(n.toUpperCase())?.person).toBe(p.person);
    expect(d.ownerOf(`${p.workstation!.toUpperCase()}.corp.example.com`)?.person).toBe(p.person);
    expect(d.lookup('nobody-at-all')).toBeUndefined();
    expect(new Directory().lookup(p.person)).toBeUndefined();
  });

  it('reads the file with one-line errors naming the key', () => {
    const file = (text: string) => writeFile(dir, 'bad.jsonl', text);
    const error = (text: string) => {
      try {
        Directory.read(file(text), 'enrich.directory');
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(Directory.read(join(dir, 'people.jsonl'), 'enrich.directory').size).toBe(people.length);
    expect(error('{"person":"a@b"')).toMatch(/^enrich\.directory: .*bad\.jsonl line 1 is not JSON/);
    expect(error('\n{"accounts":[]}')).toMatch(/^enrich\.directory: .*line 2 has no "person" string/);
    expect(error('{"person":"a@b","accounts":"a"}')).toMatch(/line 1 has no "accounts" list/);
    expect(error('{"person":"a@b","accounts":[],"workstation":3}')).toMatch(/has a "workstation" that is not a hostname or null/);
    expect(() => Directory.read(join(dir, 'missing.jsonl'), 'enrich.directory')).toThrow(/^enrich\.directory: cannot read .*missing\.jsonl: ENOENT/);
    for (const m of [error('x'), error('{}')]) expect(m).not.toContain('\n');
  });
});
