/**
 * Endpoint telemetry (issue 20): Windows Security and Sysmon (the built-in windows-security and sysmon packs) beside
 * CloudTrail and Okta on one population — records that match Elastic's real Winlogbeat documents field path by field
 * path, per event id; the same people at the identity provider and on their workstations; logons tied to their
 * processes and to Kerberos on the domain controller; one session in both logs; servers reached over the network;
 * record ids per host; the event-id mix; the same bytes at any worker count — and the ECS alert feed (ecs_alerts).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPopulationParquet } from '../src/population/parquet.js';
import { fieldPaths } from '../src/cli/shapes.js';
import type { Actor } from '../src/population/actor.js';
import { buildPopulationFile, fileOutput, ROOT, runCli, sourcesConfig, tempDir, writeFile } from './helpers.js';

type Doc = Record<string, any>;

/** Every JSON line of a source's output folder, in file order. */
function docs(dir: string): Doc[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Doc),
    );
}

/**
 * Fields that depend on which of Elastic's two pipelines wrote the reference document, not on the event: the beats
 * module's test harness leaves out the shipping agent and keeps `message`, `event.module`, `winlog.api` and
 * `winlog.task`; the integration's pipeline tests add `winlog.level`, `outcome` and `time_created` and drop those;
 * a document shipped by Elastic Agent (the integration's sample event) has `data_stream`, `elastic_agent`, `input`.
 * Generated documents carry all of them (checked below); the per-event comparison leaves them out.
 */
const FLAVOUR = /^(agent(\.|$)|message$|event\.module$|winlog\.(api|task|level|outcome|time_created)$|data_stream(\.|$)|elastic_agent(\.|$)|input(\.|$)|event\.(agent_id_status|dataset)$|tags$)/;
/**
 * Set by the test harness (the XML file it read), by Elasticsearch at ingest, or kept only on request: `event.original`
 * (the raw XML, with the integration's preserve_original_event) and `event.created` (the time the agent read it).
 */
const HARNESS = /^(log\.file(\.|$)|event\.(ingested|original|created)$)/;

function pathsOf(list: readonly Doc[]): Set<string> {
  const out = new Set<string>();
  for (const d of list) for (const p of fieldPaths(d).keys()) if (!FLAVOUR.test(p) && !HARNESS.test(p)) out.add(p);
  return out;
}

describe('windows_security and sysmon beside CloudTrail and Okta', () => {
  let out: string;
  let win: Doc[];
  let sysmon: Doc[];
  let okta: Doc[];
  let actors: Actor[];

  beforeAll(async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 21\n[population]\nactor_count = 120\nservice_ratio = 0.2\n');
    actors = (await readPopulationParquet(population, 'p')).actors;
    out = join(dir, 'out');
    const cfg = writeFile(dir, 'run.toml', sourcesConfig({ seed: 21, population, sources: ['cloudtrail', 'okta', 'windows_security', 'sysmon'], outputs: fileOutput(out) }).replace('2025-12-01T00:00:00Z', '2025-12-01T08:00:00Z'));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T16:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    win = docs(join(out, 'windows-security'));
    sysmon = docs(join(out, 'sysmon'));
    okta = docs(join(out, 'okta'));
  }, 240_000);

  /** Recall and precision of the generated field paths against the real documents, per event id; returns how many ids were compared. */
  function compareWith(reference: string, generated: readonly Doc[]): number {
    const real = readFileSync(join(ROOT, 'test/fixtures/reference/windows', reference), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Doc);
    const byCode = (list: readonly Doc[]) => {
      const m = new Map<string, Doc[]>();
      for (const d of list) m.set(String(d.event.code), [...(m.get(String(d.event.code)) ?? []), d]);
      return m;
    };
    const realBy = byCode(real);
    let compared = 0;
    for (const [code, gen] of byCode(generated)) {
      const ref = realBy.get(code);
      if (!ref) continue;
      compared++;
      const r = pathsOf(ref);
      const g = pathsOf(gen.slice(0, 2000));
      const shared = [...r].filter((p) => g.has(p));
      expect(shared.length / r.size, `${code} recall; missing ${[...r].filter((p) => !g.has(p)).join(', ')}`).toBeGreaterThanOrEqual(0.95);
      expect(shared.length / g.size, `${code} precision; extra ${[...g].filter((p) => !r.has(p)).join(', ')}`).toBeGreaterThanOrEqual(0.9);
      // Types agree where both have the path: ids and codes as strings, pids and ports as numbers.
      const realTypes = new Map<string, Set<string>>();
      for (const d of ref) for (const [p, t] of fieldPaths(d)) realTypes.set(p, new Set([...(realTypes.get(p) ?? []), ...t]));
      for (const d of gen.slice(0, 200)) for (const [p, t] of fieldPaths(d)) if (realTypes.has(p)) for (const x of t) expect(realTypes.get(p)!.has(x), `${code} ${p} ${x}`).toBe(true);
    }
    // Every document carries both pipelines' fields.
    for (const d of generated.slice(0, 500)) {
      expect(d.agent.type).toBe('winlogbeat');
      expect(typeof d.message).toBe('string');
      expect(['security', 'sysmon']).toContain(d.event.module);
      expect(d.winlog.api).toBe('wineventlog');
    }
    return compared;
  }

  it('matches the real Winlogbeat documents path by path, per event id (recall ≥ 0.95, precision ≥ 0.9)', () => {
    for (const code of ['4624', '4625', '4634', '4647', '4672', '4688', '4689', '4768', '4769', '4771', '4776']) expect(win.some((d) => d.event.code === code), code).toBe(true);
    expect(compareWith('security.jsonl', win)).toBeGreaterThanOrEqual(10);
    for (const d of win.slice(0, 500)) expect(d.winlog.time_created).toBe(d['@timestamp']);
    for (const code of ['1', '3', '5', '7', '10', '11', '13', '22', '23']) expect(sysmon.some((d) => d.event.code === code), `sysmon ${code}`).toBe(true);
    expect(compareWith('sysmon.jsonl', sysmon)).toBeGreaterThanOrEqual(8);
  });

  it('shows one session in both logs: Sysmon\'s explorer has the logon id and pid of Security\'s, and the programs\' records share their process GUID', () => {
    const secExplorer = win.filter((d) => d.event.code === '4688' && d.process.name === 'explorer.exe');
    const sysExplorer = new Map(sysmon.filter((d) => d.event.code === '1' && d.process.name === 'explorer.exe').map((d) => [`${d.host.name}/${d.winlog.event_data.LogonId}`, d]));
    expect(secExplorer.length).toBeGreaterThan(20);
    let matched = 0;
    for (const e of secExplorer) {
      const s = sysExplorer.get(`${e.host.name}/${e.winlog.logon.id}`);
      if (!s) continue;
      matched++;
      expect(s.process.pid).toBe(e.process.pid);
      expect(s.process.parent.pid).toBe(e.process.parent.pid);
      expect(s.user.name).toBe(e.user.name);
    }
    expect(matched / secExplorer.length).toBeGreaterThan(0.9);
    // Each computer has one agent (its id is the host's, also on the records an event writes about another host).
    for (const list of [win, sysmon]) {
      const agents = new Map<string, Set<string>>();
      for (const d of list) agents.set(d.host.name, new Set([...(agents.get(d.host.name) ?? []), d.agent.id]));
      for (const [host, ids] of agents) expect(ids.size, host).toBe(1);
      expect(new Set([...agents.values()].map((ids) => [...ids][0])).size).toBe(agents.size);
    }
    // A program's records (start, DNS, connection, end) carry its GUID; its parent is the session's explorer.
    const explorers = new Set(sysmon.filter((d) => d.event.code === '1' && d.process.name === 'explorer.exe').map((d) => d.process.entity_id));
    const started = new Map(sysmon.filter((d) => d.event.code === '1').map((d) => [d.process.entity_id, d]));
    const apps = sysmon.filter((d) => d.event.code === '1' && d.process.parent.name === 'explorer.exe');
    expect(apps.filter((d) => explorers.has(d.process.parent.entity_id)).length / apps.length).toBeGreaterThan(0.9);
    for (const d of sysmon.filter((x) => ['3', '5', '22'].includes(x.event.code)).slice(0, 2000)) {
      const start = started.get(d.process.entity_id);
      if (!start) continue; // started before the run
      expect(d.process.pid).toBe(start.process.pid);
      expect(d.host.name).toBe(start.host.name);
      expect(Date.parse(d['@timestamp'])).toBeGreaterThanOrEqual(Date.parse(start['@timestamp']));
    }
  });

  it('shows the same people: those who log on to their Windows workstation sign in at Okta the same day, from that workstation\'s owner', () => {
    const bySam = new Map(actors.map((a) => [a.ad_sam_account_name, a]));
    const interactive = win.filter((d) => d.event.code === '4624' && ['2', '11'].includes(d.winlog.event_data.LogonType));
    expect(interactive.length).toBeGreaterThan(20);
    const oktaUsers = new Set(okta.filter((d) => d.eventType === 'user.session.start').map((d) => d.actor.alternateId));
    let signedIn = 0;
    for (const d of interactive) {
      const person = bySam.get(d.user.name)!;
      expect(person, d.user.name).toBeDefined();
      // On the person's own workstation, which runs Windows.
      expect(d.host.name).toBe(person.workstation_hostname);
      expect(person.workstation_os).toBe('Windows 11');
      expect(d.user.id).toBe(person.ad_sid);
      if (oktaUsers.has(person.email)) signedIn++;
    }
    // Nearly everyone who logs on to Windows also signs in at the identity provider that day (a few work offline).
    expect(signedIn / interactive.length).toBeGreaterThan(0.8);
  });

  it('ties a logon to its Kerberos tickets on the domain controller and to the session\'s processes (logon id, explorer as parent)', () => {
    const logons = win.filter((d) => d.event.code === '4624' && d.winlog.event_data.LogonType === '2');
    const dcTickets = win.filter((d) => d.event.code === '4768');
    const processes = win.filter((d) => d.event.code === '4688');
    const byLogon = new Map<string, Doc[]>();
    for (const p of processes) byLogon.set(`${p.host.name}/${p.winlog.logon.id}`, [...(byLogon.get(`${p.host.name}/${p.winlog.logon.id}`) ?? []), p]);
    let withApps = 0;
    for (const l of logons) {
      const t = Date.parse(l['@timestamp']);
      // The TGT for this user, from the workstation's address, on a domain controller just before.
      const tgt = dcTickets.find((k) => k.user.name === l.user.name && Math.abs(Date.parse(k['@timestamp']) - t) < 1000);
      expect(tgt, l.user.name).toBeDefined();
      expect(tgt!.host.name).toMatch(/^DC-\d\d$/);
      expect(tgt!.source.ip).toBe(actors.find((a) => a.ad_sam_account_name === l.user.name)!.workstation_ip);
      // userinit then explorer under the session's logon id, explorer's parent being userinit.
      const session = byLogon.get(`${l.host.name}/${l.winlog.event_data.TargetLogonId}`) ?? [];
      const userinit = session.find((p) => p.process.name === 'userinit.exe');
      const explorer = session.find((p) => p.process.name === 'explorer.exe');
      expect(userinit && explorer, l.user.name).toBeTruthy();
      expect(explorer!.process.parent.pid).toBe(userinit!.process.pid);
      const apps = session.filter((p) => p.process.parent.name === 'explorer.exe');
      if (apps.length > 0) {
        withApps++;
        for (const a of apps) {
          expect(a.process.parent.pid).toBe(explorer!.process.pid);
          expect(Date.parse(a['@timestamp'])).toBeGreaterThan(Date.parse(explorer!['@timestamp']));
          expect(a.user.name).toBe(l.user.name);
        }
      }
    }
    expect(withApps / logons.length).toBeGreaterThan(0.5);
  });

  it('reaches servers over the network (type 3 from the person\'s workstation address), RDP (type 10) only for administrators', () => {
    const network = win.filter((d) => d.event.code === '4624' && d.winlog.event_data.LogonType === '3' && !d.user.name.endsWith('$'));
    expect(network.length).toBeGreaterThan(20);
    const bySam = new Map(actors.map((a) => [a.ad_sam_account_name, a]));
    for (const d of network) {
      expect(d.host.name).toMatch(/^FILE-\d\d$/);
      expect(d.source.ip).toBe(bySam.get(d.user.name)!.workstation_ip);
    }
    for (const d of win.filter((x) => x.event.code === '4624' && x.winlog.event_data.LogonType === '10')) expect(bySam.get(d.user.name)!.role).toBe('admin');
    // Workstations' own logons at the domain controller (their computer accounts), while they are in use.
    const computers = win.filter((d) => d.event.code === '4624' && d.user.name.endsWith('$') && /^DC-/.test(d.host.name));
    const windowsUsers = new Set(win.filter((d) => d.event.code === '4624' && ['2', '11'].includes(d.winlog.event_data.LogonType)).map((d) => d.user.name));
    expect(computers.length).toBeGreaterThan(5 * windowsUsers.size);
    for (const d of computers.slice(0, 200)) expect(actors.some((a) => `${a.workstation_hostname}$` === d.user.name && a.workstation_ip === d.source.ip)).toBe(true);
  });

  it('keeps each host\'s record ids unique; a workstation\'s follow on from each other as they are written', () => {
    const byHost = new Map<string, Doc[]>();
    // Each log (channel) of a host counts its own records: the Security log here (the System log's 7045s have theirs).
    for (const d of win) if (d.winlog.channel === 'Security') byHost.set(d.host.name, [...(byHost.get(d.host.name) ?? []), d]);
    for (const [host, list] of byHost) {
      const ids = list.map((d) => Number(d.winlog.record_id));
      expect(new Set(ids).size, host).toBe(ids.length);
      if (/^(DC|FILE)-/.test(host)) continue;
      // One shard writes a workstation: its ids are 1000, 1001, … with no gap. (An event's later records — a
      // process's exit — take their ids when the event is written: ids follow the events' order, not always the
      // records' times; docs/windows.md.)
      const sorted = [...ids].sort((a, b) => a - b);
      expect(sorted[sorted.length - 1] - sorted[0], host).toBe(sorted.length - 1);
      expect(sorted[0], host).toBe(1000);
    }
  });

  it('writes a mix of event ids like a real estate\'s (docs/windows.md: LANL, Microsoft, OTRF ratios)', () => {
    const n = (code: string) => win.filter((d) => d.event.code === code).length;
    const logonTypes = new Map<string, number>();
    for (const d of win) if (d.event.code === '4624') logonTypes.set(d.winlog.event_data.LogonType, (logonTypes.get(d.winlog.event_data.LogonType) ?? 0) + 1);
    // 4769 per 4768: 3.0 (LANL) to 6.1 (OTRF); 4634 per 4624: 0.5–0.94; failures ~1 % of logon attempts.
    expect(n('4769') / n('4768')).toBeGreaterThan(3);
    expect(n('4769') / n('4768')).toBeLessThan(7);
    expect(n('4634') / n('4624')).toBeGreaterThan(0.45);
    expect(n('4634') / n('4624')).toBeLessThan(0.95);
    expect(n('4625') / n('4624')).toBeGreaterThan(0.002);
    expect(n('4625') / n('4624')).toBeLessThan(0.03);
    // Process creation is the largest id; network and service logons outnumber interactive ones.
    expect(n('4688')).toBeGreaterThan(n('4624'));
    expect(n('4689') / n('4688')).toBeGreaterThan(0.8);
    expect((logonTypes.get('3') ?? 0) + (logonTypes.get('5') ?? 0)).toBeGreaterThan(10 * ((logonTypes.get('2') ?? 0) + (logonTypes.get('11') ?? 0)));
    // Nothing only an attack writes: no audit log cleared. Services and scheduled tasks come with software updates,
    // now and then (a few a week per workstation), each 4697 with its System 7045 and a 4698.
    expect(n('1102')).toBe(0);
    const workstations = new Set(win.filter((d) => !/^(DC|FILE)-/.test(d.host.name)).map((d) => d.host.name)).size;
    expect(n('4697')).toBe(n('7045'));
    expect(n('4697')).toBe(n('4698'));
    expect(n('4697') / workstations).toBeLessThan(1);
  });

  it('writes the same bytes at any worker count', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 22\n[population]\nactor_count = 60\n');
    const run = async (workers: number) => {
      const o = join(dir, `o${workers}`);
      const cfg = writeFile(dir, `w${workers}.toml`, sourcesConfig({ seed: 22, population, sources: ['okta', 'windows_security', 'sysmon'], outputs: fileOutput(o) }));
      const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T02:00:00Z', '--workers', String(workers)]);
      expect(r.code, r.stderr).toBe(0);
      return ['windows-security', 'sysmon'].map((s) => readdirSync(join(o, s)).sort().map((f) => readFileSync(join(o, s, f))).join('')).join('\n');
    };
    const two = await run(2);
    expect(two.length).toBeGreaterThan(100_000);
    expect(await run(1)).toBe(two);
  }, 120_000);
});

describe('ecs_alerts: the benign alert feed of an EDR, an IDS and a web gateway', () => {
  it('writes ECS alerts about the directory\'s people and the inventory\'s hosts: policy hits by day, the scanner\'s sweep at night, admin logons, backups', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 23\n[population]\nactor_count = 200\nservice_ratio = 0.2\n');
    const actors = (await readPopulationParquet(population, 'p')).actors;
    const inventory = (await import('../src/population/inventory.js')).buildInventory({ actors, account_ids: [...new Set(actors.map((a) => a.account_id))] });
    const o = join(dir, 'out');
    const cfg = writeFile(dir, 'alerts.toml', sourcesConfig({ seed: 23, population, sources: ['okta', 'ecs_alerts'], outputs: fileOutput(o) }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-02T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const alerts = docs(join(o, 'ecs-alerts'));
    // About one alert per person a day, plus the scanner's.
    expect(alerts.length).toBeGreaterThan(100);
    expect(alerts.length).toBeLessThan(2000);
    const bySam = new Map(actors.map((a) => [a.ad_sam_account_name, a]));
    const byIp = new Map(inventory.map((s) => [s.ip, s]));
    const kinds = new Map<string, number>();
    for (const a of alerts) {
      expect(a.event.kind).toBe('alert');
      for (const key of ['@timestamp', 'event', 'host', 'rule', 'threat', 'tags', 'labels', 'observer']) expect(a[key], key).toBeDefined();
      expect(a.threat.framework).toBe('MITRE ATT&CK');
      expect(a.threat.technique.id[0]).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(a.threat.tactic.id[0]).toMatch(/^TA\d{4}$/);
      expect(typeof a.event.severity).toBe('number');
      kinds.set(a.observer.type, (kinds.get(a.observer.type) ?? 0) + 1);
      if (a.user && a.user.domain !== 'NT AUTHORITY') {
        const person = bySam.get(a.user.name)!;
        expect(person, a.user.name).toBeDefined();
        expect(a.user.email).toBe(person.email);
        expect(a.user.id).toBe(person.ad_sid);
      }
      if (a.observer.type === 'ids' && a.tags.includes('scan')) {
        // The scanner's sweep: at night, from the monitoring server, at a server of the inventory.
        expect(Number(a['@timestamp'].slice(11, 13))).toBeLessThan(4);
        expect(byIp.get(a.source.ip)?.role).toBe('monitor');
        expect(byIp.get(a.destination.ip)?.hostname).toBe(a.host.name);
      }
      if (a.tags.includes('admin-logon')) {
        expect(bySam.get(a.user.name)!.role).toBe('admin');
        expect(['dc', 'file']).toContain(byIp.get(a.destination.ip)?.role);
        expect(a.source.ip).toBe(bySam.get(a.user.name)!.workstation_ip);
      }
    }
    // Every kind of sender is there.
    for (const kind of ['proxy', 'edr', 'ids']) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(5);
  }, 120_000);
});

describe('windows_security_xml: the same events as Windows renders them', () => {
  it('writes one well-formed <Event> per line (xmllint), 4624\'s EventData in the order of Microsoft\'s own sample, fields the ECS pipeline moves put back', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 24\n[population]\nactor_count = 80\n');
    const o = join(dir, 'out');
    const cfg = writeFile(dir, 'xml.toml', sourcesConfig({ seed: 24, population, sources: ['okta', 'windows_security_xml'], outputs: fileOutput(o) }).replace('2025-12-01T00:00:00Z', '2025-12-01T08:00:00Z'));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T12:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(o, 'windows-security-xml')).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(0);
    const lines = files.flatMap((f) => readFileSync(join(o, 'windows-security-xml', f), 'utf8').split('\n').filter((l) => l !== ''));
    expect(lines.length).toBeGreaterThan(1000);
    // Every line is an <Event> element; together under one root they are a well-formed document for libxml2.
    for (const l of lines.slice(0, 5000)) expect(l).toMatch(/^<Event xmlns='http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event'><System>.*<\/EventData><\/Event>$/);
    const doc = join(dir, 'events.xml');
    writeFileSync(doc, `<Events>${lines.join('\n')}</Events>\n`);
    const xmllint = execFileSync('bash', [join(ROOT, 'scripts/tools/debian-package.sh'), 'xmllint', 'libxml2-utils'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync(xmllint, ['--noout', doc]);
    const names = (l: string) => [...l.matchAll(/<Data Name='([^']+)'>/g)].map((m) => m[1]);
    const reference = readFileSync(join(ROOT, 'test/fixtures/reference/windows/xml/security-4624-microsoft-docs.xml'), 'utf8');
    const referenceNames = [...reference.matchAll(/<Data Name="([^"]+)">/g)].map((m) => m[1]);
    const logons = lines.filter((l) => l.includes('<EventID>4624</EventID>'));
    expect(logons.length).toBeGreaterThan(50);
    for (const l of logons) expect(names(l)).toEqual(referenceNames);
    // A process creation carries what Winlogbeat's pipeline moves to process.*: the new process, its id, its parent.
    const created = lines.find((l) => l.includes('<EventID>4688</EventID>'))!;
    expect(names(created)).toEqual(expect.arrayContaining(['NewProcessId', 'NewProcessName', 'ParentProcessName', 'CommandLine', 'SubjectLogonId']));
    expect(created).toMatch(/<Data Name='NewProcessId'>0x[0-9a-f]+<\/Data>/);
    // Record ids per computer are unique.
    const byComputer = new Map<string, string[]>();
    for (const l of lines) {
      const computer = /<Computer>([^<]+)<\/Computer>/.exec(l)![1];
      const channel = /<Channel>([^<]+)<\/Channel>/.exec(l)![1];
      const id = /<EventRecordID>(\d+)<\/EventRecordID>/.exec(l)![1];
      byComputer.set(`${computer}/${channel}`, [...(byComputer.get(`${computer}/${channel}`) ?? []), id]);
    }
    for (const [key, ids] of byComputer) expect(new Set(ids).size, key).toBe(ids.length);
  }, 120_000);
});
