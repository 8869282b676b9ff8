/**
 * Packs: declarative sources compiled to the fast path. The built-in nginx-access pack beside CloudTrail and Okta on
 * one population, read back by GoAccess (Debian's, installed by scripts/tools/debian-package.sh); the same bytes at
 * any worker count; and pack mistakes reported in one message naming the pack file, the line and the key.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPopulationParquet } from '../src/population/parquet.js';
import { compareShapes } from '../src/cli/shapes.js';
import { duckdb, sqlString } from '../src/encode/parquet/duckdb.js';
import { buildPopulationFile, fileOutput, readAllRecords, ROOT, runCli, sourcesConfig, tempDir, writeFile } from './helpers.js';

/** A pack folder for a test: its manifest, and nginx-access's samples for it to name. */
function writePack(folder: string, manifest: string): string {
  cpSync(join(ROOT, 'packs/nginx-access/samples'), join(folder, 'samples'), { recursive: true });
  writeFileSync(join(folder, 'pack.toml'), manifest);
  return folder;
}

const COMBINED = /^(\d{1,3}(?:\.\d{1,3}){3}) - - \[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\] "([A-Z]+) (\S+) HTTP\/(1\.1|2\.0)" (\d{3}) (\d+) "([^"]*)" "([^"]*)"$/;

function lines(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .flatMap((f) => {
      const raw = readFileSync(join(dir, f));
      return (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').slice(0, -1);
    });
}

describe('packs: nginx-access beside CloudTrail and Okta', () => {
  let dir: string;
  let population: string;
  let out: string;
  beforeAll(async () => {
    dir = tempDir();
    population = await buildPopulationFile(dir, 'seed = 3\n[population]\nactor_count = 300\nservice_ratio = 0.2\n');
    out = join(dir, 'out');
    const cfg = writeFile(dir, 'run.toml', sourcesConfig({ seed: 3, population, sources: ['cloudtrail', 'okta', { type: 'pack', keys: 'pack = "nginx-access"' }, { type: 'pack', keys: 'pack = "linux-auth"' }], outputs: fileOutput(out) }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T14:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);

  it('writes the combined log format to <dir>/nginx-access/*.log, with status and size that belong together', () => {
    const files = readdirSync(join(out, 'nginx-access'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => /^nginx_access-\d{8}T\d{6}Z-\d{8}T\d{6}Z-\d{6}\.log$/.test(f))).toBe(true);
    const all = lines(join(out, 'nginx-access'));
    expect(all.length).toBeGreaterThan(1000);
    const parsed = all.map((l) => COMBINED.exec(l));
    expect(all.filter((_, i) => !parsed[i]).slice(0, 3)).toEqual([]);
    const status = (m: RegExpExecArray) => m[11];
    const bytes = (m: RegExpExecArray) => Number(m[12]);
    // Revalidated pages and assets have no body; nginx's own redirect and error pages have their fixed sizes.
    for (const m of parsed as RegExpExecArray[]) {
      if (status(m) === '304') expect(bytes(m)).toBe(0);
      if (status(m) === '302') expect(bytes(m)).toBe(145);
    }
    const share = (s: string) => parsed.filter((m) => status(m!) === s).length / all.length;
    expect(share('200')).toBeGreaterThan(0.5);
    expect(share('304')).toBeGreaterThan(0.1);
    expect(share('404')).toBeLessThan(0.05);
    expect(share('500') + share('502') + share('504')).toBeLessThan(0.01);
  });

  it('is read by GoAccess (--log-format=COMBINED): every line a valid request', () => {
    const goaccess = execFileSync('bash', [join(ROOT, 'scripts/tools/debian-package.sh'), 'goaccess', 'goaccess'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const dirOut = join(out, 'nginx-access');
    const report = join(dir, 'goaccess.json');
    const files = readdirSync(dirOut).filter((f) => f.endsWith('.log')).map((f) => join(dirOut, f));
    execFileSync(goaccess, [...files, '--log-format=COMBINED', '--no-progress', '-o', report], { stdio: ['ignore', 'ignore', 'pipe'] });
    const general = (JSON.parse(readFileSync(report, 'utf8')) as { general: { total_requests: number; valid_requests: number; failed_requests: number } }).general;
    const count = lines(dirOut).length;
    expect(general.total_requests).toBe(count);
    expect(general.valid_requests).toBe(count);
    expect(general.failed_requests).toBe(0);
  }, 120_000);

  it('shows the same people: their requests come from the addresses and browsers their Okta sessions use', () => {
    const okta = readAllRecords(join(out, 'okta'));
    const oktaAddresses = new Set(okta.map((r) => (r.client as { ipAddress: string }).ipAddress));
    const oktaBrowsers = new Set(okta.map((r) => (r.client as { userAgent: { rawUserAgent: string } | null }).userAgent?.rawUserAgent));
    const people = lines(join(out, 'nginx-access'))
      .map((l) => COMBINED.exec(l)!)
      .filter((m) => !m[1].startsWith('66.249.') && !m[1].startsWith('45.148.10.'));
    expect(people.length).toBeGreaterThan(500);
    const strangers = people.filter((m) => !oktaAddresses.has(m[1]));
    // A person's working session gives one address to every source; Okta logs most people's sessions.
    expect(strangers.length / people.length).toBeLessThan(0.05);
    expect(people.filter((m) => !oktaBrowsers.has(m[14])).length / people.length).toBeLessThan(0.05);
  });

  it('writes auth.log (RFC 3164) for the servers: the population\'s admins and developers by their Linux names, sessions that open and close, from their workstations or (at the bastion) their working-session address', async () => {
    const all = lines(join(out, 'linux-auth'));
    expect(all.length).toBeGreaterThan(300);
    const LINE = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (\S+) (sshd|sudo|CRON|systemd-logind)(?:\[(\d+)\])?: (.+)$/;
    const parsed = all.map((l) => LINE.exec(l));
    expect(all.filter((_, i) => !parsed[i]).slice(0, 3)).toEqual([]);
    const people = (await readPopulationParquet(population, 'population')).actors.filter((a) => a.kind === 'human');
    const byUser = new Map(people.map((a) => [a.linux_user, a]));
    const okta = readAllRecords(join(out, 'okta'));
    const oktaAddresses = new Set(okta.map((r) => (r.client as { ipAddress: string }).ipAddress));
    const opened = new Map<string, number>();
    const sessions = new Set<string>();
    for (const m of parsed as RegExpExecArray[]) {
      const [host, program, pid, message] = [m[4], m[5], m[6], m[7]];
      let x = /^Accepted publickey for (\S+) from (\S+) port \d+ ssh2: ED25519 SHA256:[A-Za-z0-9+/]{43}$/.exec(message);
      if (x) {
        const person = byUser.get(x[1]);
        expect(person, x[1]).toBeDefined();
        expect(['admin', 'developer']).toContain(person!.role);
        // Inside, from the workstation; at the bastion, from the address every other source shows for the person.
        if (host.startsWith('bastion-')) expect(oktaAddresses.has(x[2]) || x[2] === person!.workstation_ip, x[2]).toBe(true);
        else expect(x[2]).toBe(person!.workstation_ip);
      }
      x = /^pam_unix\(sshd:session\): session (opened|closed) for user ([^(\s]+)/.exec(message);
      if (x && program === 'sshd') opened.set(`${host}/${pid}`, (opened.get(`${host}/${pid}`) ?? 0) + (x[1] === 'opened' ? 1 : -1));
      x = /^New session (\d+) of user (\S+)\.$/.exec(message);
      if (x) {
        // Session numbers are unique per host, with no coordination between the run's threads.
        expect(sessions.has(`${host}/${x[1]}`), `${host} session ${x[1]}`).toBe(false);
        sessions.add(`${host}/${x[1]}`);
      }
    }
    expect(sessions.size).toBeGreaterThan(20);
    // Every sshd session that closed had opened (some are still open when the run ends).
    expect([...opened.values()].every((n) => n >= 0)).toBe(true);
    expect(all.some((l) => / CRON\[\d+\]: pam_unix\(cron:session\): session opened for user root\(uid=0\) by \(uid=0\)$/.test(l))).toBe(true);
    // sudo happens inside the person's SSH session on that host: after it opened there, before it closed (the state
    // machine keeps the session's host, pid and logind session until the logout).
    const seconds = (m: RegExpExecArray) => m[3].split(':').reduce((t, x) => t * 60 + Number(x), 0);
    const spans = new Map<string, { from: number; to: number }[]>();
    const pidUser = new Map<string, string>();
    for (const m of parsed as RegExpExecArray[]) {
      const x = /^Accepted publickey for (\S+) from 10\./.exec(m[7]);
      if (x) {
        pidUser.set(`${m[4]}/${m[6]}`, x[1]);
        spans.set(`${m[4]}/${x[1]}`, [...(spans.get(`${m[4]}/${x[1]}`) ?? []), { from: seconds(m), to: Infinity }]);
      }
    }
    for (const m of parsed as RegExpExecArray[]) {
      const x = /^pam_unix\(sshd:session\): session closed for user (\S+)$/.exec(m[7]);
      if (!x || m[5] !== 'sshd' || !pidUser.has(`${m[4]}/${m[6]}`)) continue;
      const open = (spans.get(`${m[4]}/${x[1]}`) ?? []).filter((s) => s.from <= seconds(m) && s.to === Infinity).pop();
      if (open) open.to = seconds(m);
    }
    const sudos = (parsed as RegExpExecArray[]).filter((m) => m[5] === 'sudo' && / : TTY=pts\/0 ; /.test(m[7]));
    expect(sudos.length).toBeGreaterThan(20);
    const outside = sudos.filter((m) => {
      const user = /^(\S+) : /.exec(m[7])![1];
      return !(spans.get(`${m[4]}/${user}`) ?? []).some((s) => s.from <= seconds(m) && seconds(m) <= s.to);
    });
    expect(outside.map((m) => m.input).slice(0, 3)).toEqual([]);
    expect(all.some((l) => / sudo: \S+ : TTY=pts\/0 ; PWD=\/home\/\S+ ; USER=root ; COMMAND=\/usr\//.test(l))).toBe(true);
  });

  it('writes the same bytes at any worker count, and .log.gz when compressed', async () => {
    const run = async (workers: number, compression: string) => {
      const o = join(dir, `w${workers}-${compression}`);
      const cfg = writeFile(dir, `w${workers}-${compression}.toml`, sourcesConfig({ seed: 5, population, sources: [{ type: 'pack', keys: 'pack = "nginx-access"' }], outputs: fileOutput(o).replace('type = "jsonl"', `type = "jsonl"\ncompression = "${compression}"`) }));
      const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T06:00:00Z', '--workers', String(workers)]);
      expect(r.code, r.stderr).toBe(0);
      return join(o, 'nginx-access');
    };
    const one = await run(1, 'none');
    const three = await run(3, 'none');
    const gz = await run(2, 'gzip');
    expect(lines(one).length).toBeGreaterThan(100);
    expect(lines(three)).toEqual(lines(one));
    expect(readdirSync(gz).every((f) => f.endsWith('.log.gz'))).toBe(true);
    expect(lines(gz)).toEqual(lines(one));
  }, 120_000);
});

describe('packs: linux-auditd, read by auditd\'s own ausearch', () => {
  it('writes audit.log events that ausearch reads every line of, one event per serial, serials unique and increasing per host, nothing lost when parts fill mid-event', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 4\n[population]\nactor_count = 200\nservice_ratio = 0.2\n');
    const out = join(dir, 'out');
    const cfg = writeFile(dir, 'run.toml', sourcesConfig({ seed: 4, population, sources: [{ type: 'pack', keys: 'pack = "linux-auditd"' }], outputs: fileOutput(out) }));
    // Alone, the pack writes an event on every tick of its actors: parts fill (16,384 records) in the middle of
    // 13-record events, and every record must still be there.
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T06:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const all = lines(join(out, 'linux-auditd'));
    const reported = Number(/events\s+([\d,]+)/.exec(r.stderr)![1].replaceAll(',', ''));
    expect(all.length).toBe(reported);
    expect(all.length).toBeGreaterThan(40_000);
    expect(r.stderr).not.toMatch(/NaN/);
    const ausearch = execFileSync('bash', [join(ROOT, 'scripts/tools/debian-package.sh'), 'ausearch', 'auditd'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const file = join(out, 'linux-auditd', readdirSync(join(out, 'linux-auditd')).find((f) => f.endsWith('.log'))!);
    const raw = execFileSync(ausearch, ['-if', file, '--raw'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(raw.split('\n').filter((l) => /^node=\S+ type=\S+ msg=audit\(/.test(l)).length).toBe(all.length);
    const interpreted = execFileSync(ausearch, ['-if', file, '-i'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ids = new Set(all.map((l) => /^node=(\S+) .*msg=audit\((\d+\.\d{3}:\d+)\)/.exec(l)!.slice(1).join('/')));
    expect(interpreted.split('\n').filter((l) => l === '----').length).toBe(ids.size);
    expect(interpreted).toMatch(/type=USER_CMD .*cmd=\/usr\/bin\/\S+/);
    // Records name their host (node=); an event's records share its serial, and a serial is one event on its host:
    // one time per (host, serial), though 64 shards number a host's events without talking to each other.
    const firstSeen = new Map<string, string>();
    for (const l of all) {
      const [, host, time, serial] = /^node=(\S+) type=\S+ msg=audit\((\d+\.\d{3}):(\d+)\)/.exec(l)!;
      const key = `${host}/${serial}`;
      const seen = firstSeen.get(key);
      if (seen === undefined) firstSeen.set(key, time);
      else if (seen !== time) {
        // Only the records of one event (same time) may share a serial on a host.
        expect(`${key} at ${time}`).toBe(`${key} at ${seen}`);
      }
    }
    expect(firstSeen.size).toBeGreaterThan(1000);
    // sudo runs inside an SSH login on that host: its ses= is a session a LOGIN record opened there for that user.
    const logins = new Set(all.flatMap((l) => {
      const m = /^node=(\S+) type=LOGIN .* auid=(\d+) .*ses=(\d+) res=1$/.exec(l);
      return m ? [`${m[1]}/${m[2]}/${m[3]}`] : [];
    }));
    const commands = all.flatMap((l) => {
      const m = /^node=(\S+) type=USER_CMD .* auid=(\d+) ses=(\d+) /.exec(l);
      return m ? [`${m[1]}/${m[2]}/${m[3]}`] : [];
    });
    expect(commands.length).toBeGreaterThan(100);
    expect(commands.filter((c) => !logins.has(c)).slice(0, 3)).toEqual([]);
    // The sudo events carry the command that the SYSCALL/EXECVE records of the same flow execute.
    const cmd = all.find((l) => l.includes(' type=USER_CMD '))!;
    const hex = /cmd=([0-9A-F]+) /.exec(cmd)![1];
    expect(Buffer.from(hex, 'hex').toString('utf8')).toMatch(/^\/usr\/(s?bin)\//);
  }, 180_000);
});

describe('packs: host-metrics, on the hosts\' own schedule', () => {
  it('samples every Linux server every 10 s, numbers that add up, counters that grow, processes by role; the same at any worker count', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 8\n[population]\nactor_count = 150\nservice_ratio = 0.3\n');
    const run = async (workers: number) => {
      const out = join(dir, `out-${workers}`);
      const cfg = writeFile(dir, `run-${workers}.toml`, sourcesConfig({ seed: 8, population, sources: ['cloudtrail', { type: 'pack', keys: 'pack = "host-metrics"' }], outputs: fileOutput(out) }));
      const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T00:30:00Z', '--workers', String(workers)]);
      expect(r.code, r.stderr).toBe(0);
      return readAllRecords(join(out, 'host-metrics')) as Record<string, any>[];
    };
    const docs = await run(2);
    expect(JSON.stringify(await run(1))).toBe(JSON.stringify(docs));
    const cpu = docs.filter((d) => d.metricset.name === 'cpu');
    const hosts = new Set(cpu.map((d) => d.host.name));
    const servers = new Set((await import('../src/population/inventory.js')).buildInventory({ actors: (await readPopulationParquet(population, 'p')).actors, account_ids: [] }).filter((s) => !s.domain).map((s) => s.hostname));
    // Every Linux server reports (the inventory's, by name), and nothing else does.
    expect([...hosts].every((h) => servers.has(h))).toBe(true);
    expect(hosts.size).toBe(servers.size);
    const byHost = new Map<string, Record<string, any>[]>();
    for (const d of cpu) byHost.set(d.host.name, [...(byHost.get(d.host.name) ?? []), d]);
    for (const [host, list] of byHost) {
      const times = list.map((d) => Date.parse(d['@timestamp'])).sort((a, b) => a - b);
      // Every 10 s from the run's start, with no gap and no repeat, to its end (at night too: what is due is
      // written at the end of each window, not only on activity).
      expect(times[0] - Date.UTC(2025, 11, 1), host).toBeLessThan(10_000);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], host).toBe(10_000);
    }
    // 30 minutes of 10-second samples: 180 a host, all of them.
    expect(cpu.length).toBe(hosts.size * 180);
    for (const d of cpu) {
      const c = d.system.cpu;
      expect(c.user.norm.pct + c.system.norm.pct + c.iowait.norm.pct + c.softirq.norm.pct).toBeCloseTo(c.total.norm.pct, 3);
      expect(c.total.pct).toBeCloseTo(c.total.norm.pct * c.cores, 3);
      expect([2, 4, 8, 16]).toContain(c.cores);
    }
    const memory = docs.filter((d) => d.metricset.name === 'memory');
    for (const d of memory) expect(d.system.memory.used.bytes + d.system.memory.free).toBe(d.system.memory.total);
    // Network counters only grow, per host.
    const last = new Map<string, number>();
    for (const d of docs.filter((x) => x.metricset.name === 'network').sort((a, b) => Date.parse(a['@timestamp']) - Date.parse(b['@timestamp']))) {
      expect(d.system.network.in.bytes).toBeGreaterThan(last.get(d.host.name) ?? -1);
      last.set(d.host.name, d.system.network.in.bytes);
    }
    const processes = docs.filter((d) => d.metricset.name === 'process');
    expect(processes.filter((d) => d.host.name.startsWith('db-')).every((d) => d.process.name === 'postgres')).toBe(true);
    expect(processes.filter((d) => d.host.name.startsWith('web-')).every((d) => ['nginx', 'node'].includes(d.process.name))).toBe(true);
    expect(docs.filter((d) => d.metricset.name === 'filesystem').length).toBeGreaterThan(hosts.size * 20);
    // Field paths against Metricbeat's own documents (test/fixtures/reference/metricbeat), per metricset. Metricbeat
    // adds agent, ecs and host when it runs (its test harness leaves them out), and process documents here carry the
    // cgroup's ids and memory, not its pressure and statistics.
    const real = readFileSync(join(ROOT, 'test/fixtures/reference/metricbeat/system.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const runtimeAdded = /^(agent|ecs|host|user)(\.|$)/;
    for (const set of ['cpu', 'memory', 'load', 'network', 'filesystem', 'process']) {
      const [shape] = compareShapes(real.filter((d) => d.metricset.name === set), docs.filter((d) => d.metricset.name === set), { event: () => set, kind: () => '' });
      const extra = shape.extra.filter((p) => !runtimeAdded.test(p));
      expect(shape.realCovered, `${set}: missing ${shape.missing.join(', ')}`).toBeGreaterThanOrEqual(set === 'process' ? 0.25 : 0.95);
      expect(extra, set).toEqual([]);
    }
  }, 180_000);
});

describe('packs: host-metrics anomalies a threshold rule can catch', () => {
  it('runaway processes, memory leaks and (when asked) crypto-miners, in spells per host that every sample of the spell agrees on; the same at any worker count', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 12\n[population]\nactor_count = 20\nservice_ratio = 0.3\n');
    // The built-in pack on the database and cache servers only (7 hosts: a day of samples is about 350 MB).
    const pack = join(dir, 'host-metrics');
    cpSync(join(ROOT, 'packs/host-metrics'), pack, { recursive: true });
    const manifest = readFileSync(join(pack, 'pack.toml'), 'utf8');
    expect(manifest).toMatch(/^host_roles = \[.*\]$/m);
    writeFileSync(join(pack, 'pack.toml'), manifest.replace(/^host_roles = \[.*\]$/m, 'host_roles = ["db", "cache"]'));
    const run = async (workers: number) => {
      const out = join(dir, `out-${workers}`);
      const source = { type: 'pack', keys: `pack = ${JSON.stringify(pack)}\nparams = { miner_per_day = 0.5, runaway_per_day = 0.5, leak_per_day = 0.5 }` };
      const cfg = writeFile(dir, `run-${workers}.toml`, sourcesConfig({ seed: 12, population, sources: [source], outputs: fileOutput(out) }));
      const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-02T00:00:00Z', '--workers', String(workers)]);
      expect(r.code, r.stderr).toBe(0);
      return join(out, 'host-metrics');
    };
    // Compared as bytes, and read keeping only the fields looked at.
    const files = (d: string) => readdirSync(d).filter((f) => !f.startsWith('.')).sort().map((f) => readFileSync(join(d, f)));
    const two = await run(2);
    expect(Buffer.concat(files(await run(1))).equals(Buffer.concat(files(two)))).toBe(true);
    const docs: Record<string, any>[] = [];
    for (const buf of files(two)) {
      for (const line of buf.toString('utf8').split('\n')) {
        if (line === '') continue;
        const d = JSON.parse(line) as Record<string, any>;
        docs.push({ '@timestamp': d['@timestamp'], host: { name: d.host.name }, metricset: d.metricset, process: d.process && { name: d.process.name, cpu: { pct: d.process.cpu.pct }, memory: d.process.memory }, system: { cpu: d.system.cpu && { total: d.system.cpu.total }, memory: d.system.memory && { used: d.system.memory.used, free: d.system.memory.free, total: d.system.memory.total } } });
      }
    }
    const at = (d: Record<string, any>) => `${d.host.name}@${d['@timestamp']}`;
    const cpu = new Map(docs.filter((d) => d.metricset.name === 'cpu').map((d) => [at(d), d.system.cpu.total.norm.pct as number]));
    const hosts = new Set(docs.map((d) => d.host.name as string));
    /** Per host: the times (ms) of its documents that pass `test`, as spells of consecutive 10-second samples. */
    const spells = (test: (d: Record<string, any>) => boolean) => {
      const byHost = new Map<string, number[]>();
      for (const d of docs) if (test(d)) byHost.set(d.host.name, [...(byHost.get(d.host.name) ?? []), Date.parse(d['@timestamp'])]);
      return new Map([...byHost].map(([h, ts]) => {
        ts.sort((a, b) => a - b);
        const runs: number[][] = [];
        for (const t of ts) {
          const cur = runs[runs.length - 1];
          if (cur && t - cur[cur.length - 1] === 10_000) cur.push(t);
          else runs.push([t]);
        }
        return [h, runs];
      }));
    };
    // Miners: on about half of the hosts (chance 0.5 a day, and yesterday's may run past midnight), one process name
    // per host, for 2 to 15 hours of unbroken samples, while the host's CPU is at 95 % or more.
    const minerDocs = docs.filter((d) => d.metricset.name === 'process' && ['xmrig', 'kdevtmpfsi', 'kworkerds'].includes(d.process.name));
    const miners = spells((d) => minerDocs.includes(d));
    expect(miners.size).toBeGreaterThan(hosts.size * 0.25);
    expect(miners.size).toBeLessThan(hosts.size * 0.9);
    for (const [host, runs] of miners) {
      expect(new Set(minerDocs.filter((d) => d.host.name === host).map((d) => d.process.name)).size).toBe(1);
      for (const r of runs) expect(r.length, host).toBeLessThanOrEqual(15 * 360);
      expect(Math.max(...runs.map((r) => r.length)), host).toBeGreaterThanOrEqual(Math.min(2 * 360, ...runs.map((r) => r.length)));
    }
    for (const d of minerDocs) expect(cpu.get(at(d)), at(d)).toBeGreaterThanOrEqual(0.95);
    // Outside miner spells, the CPU stays well below that almost always.
    const minerTimes = new Set(minerDocs.map(at));
    const calm = [...cpu].filter(([k]) => !minerTimes.has(k));
    expect(calm.filter(([, v]) => v >= 0.95).length / calm.length).toBeLessThan(0.01);
    // Runaway processes: the host's main process at one whole core (process.cpu.pct ≥ 0.995) for 20 minutes to 3 hours.
    const main = (d: Record<string, any>) => d.metricset.name === 'process' && !minerDocs.includes(d);
    const runaways = spells((d) => main(d) && d.process.cpu.pct >= 0.995);
    expect(runaways.size).toBeGreaterThan(hosts.size * 0.25);
    for (const runs of runaways.values()) for (const r of runs) expect(r.length).toBeLessThanOrEqual(3 * 360);
    expect(Math.max(...[...runaways.values()].flat().map((r) => r.length))).toBeGreaterThanOrEqual(20 * 6);
    expect(docs.filter((d) => main(d) && d.process.cpu.pct >= 0.995).length / docs.filter(main).length).toBeLessThan(0.2);
    // Leaks: the main process grows, sample after sample, to most of the host's memory; used memory grows with it.
    let leaking = 0;
    const procByHost = new Map<string, Record<string, any>[]>();
    for (const d of docs.filter(main)) procByHost.set(d.host.name, [...(procByHost.get(d.host.name) ?? []), d]);
    for (const list of procByHost.values()) {
      const rss = list.sort((a, b) => Date.parse(a['@timestamp']) - Date.parse(b['@timestamp'])).map((d) => d.process.memory.pct as number);
      if (Math.max(...rss) > 0.6) leaking++;
    }
    expect(leaking).toBeGreaterThan(hosts.size * 0.2);
    const memory = docs.filter((d) => d.metricset.name === 'memory');
    for (const d of memory) expect(d.system.memory.used.bytes + d.system.memory.free).toBe(d.system.memory.total);
    expect(memory.filter((d) => d.system.memory.used.pct > 0.85).length).toBeGreaterThan(0);
  }, 240_000);
});

describe('pack mistakes: one message naming the pack file, the line and the key; nothing written', () => {
  let dir: string;
  let population: string;
  beforeAll(async () => {
    dir = tempDir();
    population = await buildPopulationFile(dir, 'seed = 3\n[population]\nactor_count = 50\n');
  }, 60_000);

  /** A copy of nginx-access with one edit, run; returns the result and the output folder. */
  async function broken(edit: (text: string) => string, keys = '', format = 'jsonl') {
    const pack = join(dir, `pack-${Math.random().toString(36).slice(2)}`);
    cpSync(join(ROOT, 'packs/nginx-access'), pack, { recursive: true });
    writeFileSync(join(pack, 'pack.toml'), edit(readFileSync(join(pack, 'pack.toml'), 'utf8')));
    const o = join(pack, 'out');
    const cfg = writeFile(pack, 'run.toml', sourcesConfig({ seed: 1, population, sources: [{ type: 'pack', keys: `pack = ${JSON.stringify(pack)}\n${keys}` }], outputs: fileOutput(o, format) }));
    return { r: await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T01:00:00Z']), pack, o };
  }

  it('a placeholder that names nothing, an unknown filter, a bad generator setting, a sample file that is not there', async () => {
    const cases: [(t: string) => string, RegExp][] = [
      [(t) => t.replace('{{ bot }}', '{{ bots }}'), /events\[\d+\]\.template \(line (\d+)\): \{\{ bots \}\} names nothing: use a var \(/],
      [(t) => t.replace('{{ time | clf }}', '{{ time | clff }}'), /events\[0\]\.template \(line (\d+)\): \{\{ time\|clff \}\}: unknown filter "clff"/],
      [(t) => t.replace('lognormal = { median = 14000, sigma = 0.8', 'lognormal = { median = -3, sigma = 0.8'), /vars\.page_bytes.* \(line (\d+)\)/],
      [(t) => t.replace('file = "samples/bots.csv"', 'file = "samples/robots.csv"'), /samples\.bots\.file \(line (\d+)\) = "samples\/robots\.csv": no such file in the pack folder/],
    ];
    for (const [edit, message] of cases) {
      const { r, pack, o } = await broken(edit);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(join(pack, 'pack.toml'));
      const m = message.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      // The line named is the one holding the key (its last part: template, median, file).
      const text = readFileSync(join(pack, 'pack.toml'), 'utf8').split('\n');
      const key = m![0].split(' (line')[0].split('.').pop()!;
      expect(text[Number(m![1]) - 1], r.stderr).toContain(`${key} =`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(o)).toBe(false);
    }
  }, 120_000);

  it('an unknown parameter, a pack that does not exist, Parquet for a text pack', async () => {
    const param = await broken((t) => t, 'params = { sight = "intranet" }');
    expect(param.r.code).toBe(2);
    expect(param.r.stderr).toMatch(/pack nginx-access .*\n\s+params\.sight = "intranet": the pack has no such parameter; it has site/);
    const cfg = writeFile(dir, 'missing.toml', sourcesConfig({ seed: 1, population, sources: [{ type: 'pack', keys: 'pack = "nginx-acces"' }], outputs: fileOutput(join(dir, 'never')) }));
    const missing = await runCli(['gen', '--config', cfg]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^seclog: pack "nginx-acces": no built-in pack of that name and no pack\.toml in .*\(built-in packs: .*nginx-access/);
    const parquet = await broken((t) => t, '', 'parquet');
    expect(parquet.r.code).toBe(2);
    expect(parquet.r.stderr).toMatch(/"parquet".*nginx-access.* has no Parquet layout/);
  }, 60_000);
});

describe('derived values: the expression language', () => {
  const manifest = (exprs: string) => `name = "metrics-test"
description = "derived numbers"
format = "json"
[vars.user]
int = { min = 1, max = 60 }
[vars.system]
lognormal = { median = 5, sigma = 0.5, max = 30, decimals = 2 }
[vars.cores]
choice = [2, 4, 8]
${exprs}
[[events]]
name = "cpu"
weight = 1
template = '{"user":{{ user }},"system":{{ system }},"cores":{{ cores }},"total":{{ total }},"norm":{{ norm }},"idle":{{ idle }}}'
`;

  it('computes numbers from the event\'s other values, each value drawn once per event', async () => {
    const dir = tempDir();
    const pack = writePack(join(dir, 'metrics-test'), manifest('[vars.total]\nexpr = "user + system"\ndecimals = 2\n[vars.norm]\nexpr = "round(total / cores / 100, 4)"\ndecimals = 4\n[vars.idle]\nexpr = "max(0, cores * 100 - total)"\ndecimals = 2\n'));
    const r = await runCli(['pack', 'preview', pack, '-n', '200']);
    expect(r.code, r.stderr).toBe(0);
    const docs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(docs).toHaveLength(200);
    for (const d of docs) {
      expect(d.total).toBeCloseTo(d.user + d.system, 2);
      expect(Math.abs(d.norm - d.total / d.cores / 100)).toBeLessThanOrEqual(0.00005 + 1e-12);
      expect(d.idle).toBeCloseTo(d.cores * 100 - d.total, 2);
    }
    expect(new Set(docs.map((d) => d.user)).size).toBeGreaterThan(20);
  }, 60_000);

  it('reports a syntax error, an unknown name and a cycle with the key and its line', async () => {
    const dir = tempDir();
    const cases: [string, RegExp][] = [
      ['[vars.total]\nexpr = "user + * system"\n[vars.norm]\nexpr = "1"\n[vars.idle]\nexpr = "1"\n', /vars\.total\.expr \(line \d+\) = "user \+ \* system": expected a number, a name or "\(" at "\*"/],
      ['[vars.total]\nexpr = "user + sys"\n[vars.norm]\nexpr = "1"\n[vars.idle]\nexpr = "1"\n', /vars\.total\.expr \(line \d+\) = "user \+ sys": "sys" is not a numeric value of the pack \(numeric values: user, system, cores/],
      ['[vars.total]\nexpr = "idle + 1"\n[vars.norm]\nexpr = "1"\n[vars.idle]\nexpr = "total - 1"\n', /vars\.(total|idle)\.expr \(line \d+\) = .*depends on (total|idle) itself/],
    ];
    for (const [exprs, message] of cases) {
      const pack = writePack(join(dir, `p${cases.findIndex((c) => c[0] === exprs)}`), manifest(exprs));
      const r = await runCli(['pack', 'validate', pack]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      const line = Number(/\(line (\d+)\)/.exec(r.stderr)![1]);
      expect(readFileSync(join(pack, 'pack.toml'), 'utf8').split('\n')[line - 1]).toMatch(/^expr = /);
    }
  }, 60_000);
});

describe('state machines: an actor\'s events follow the pack\'s states', () => {
  it('signs in, acts, signs out, in that order for every actor; per session, every working session starts signed out', async () => {
    const dir = tempDir();
    const population = await buildPopulationFile(dir, 'seed = 5\n[population]\nactor_count = 80\n');
    const results: Record<string, { user: string; action: string; t: string }[]> = {};
    for (const scope of ['actor', 'session']) {
      const pack = writePack(
        join(dir, `app-${scope}`),
        `name = "app-${scope}"\ndescription = "sessions"\nformat = "json"\nactors = "people"\nstates = ["out", "in"]\nstate_scope = "${scope}"\n` +
          `[[events]]\nname = "login"\nweight = 1\nfrom = "out"\nto = "in"\ntemplate = '{"t":"{{ time }}","user":"{{ actor.email }}","action":"login"}'\n` +
          `[[events]]\nname = "work"\nweight = 8\nfrom = "in"\ntemplate = '{"t":"{{ time }}","user":"{{ actor.email }}","action":"work"}'\n` +
          `[[events]]\nname = "logout"\nweight = 1\nfrom = "in"\nto = "out"\ntemplate = '{"t":"{{ time }}","user":"{{ actor.email }}","action":"logout"}'\n`,
      );
      const out = join(dir, `out-${scope}`);
      const cfg = writeFile(dir, `${scope}.toml`, sourcesConfig({ seed: 5, population, sources: [{ type: 'pack', keys: `pack = ${JSON.stringify(pack)}` }], outputs: fileOutput(out) }));
      const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-02T00:00:00Z']);
      expect(r.code, r.stderr).toBe(0);
      results[scope] = readAllRecords(join(out, `app-${scope}`)) as { user: string; action: string; t: string }[];
    }
    const byUser = (list: { user: string; action: string; t: string }[]) => {
      const m = new Map<string, string[]>();
      for (const x of [...list].sort((a, b) => a.t.localeCompare(b.t))) m.set(x.user, [...(m.get(x.user) ?? []), x.action]);
      return m;
    };
    const actor = byUser(results.actor);
    expect(actor.size).toBeGreaterThan(20);
    for (const [user, actions] of actor) {
      let signedIn = false;
      for (const a of actions) {
        if (a === 'login') expect(signedIn, `${user}: ${actions.join(' ')}`).toBe(false);
        else expect(signedIn, `${user}: ${actions.join(' ')}`).toBe(true);
        signedIn = a === 'login' || (a === 'work' && signedIn);
      }
    }
    // Per working session, a person may leave without signing out: the next session starts signed out again, so
    // some sign-ins follow work without a sign-out between them, which the actor scope never allows.
    const session = byUser(results.session);
    const reopened = [...session.values()].filter((actions) => actions.some((a, i) => a === 'login' && i > 0 && actions[i - 1] === 'work')).length;
    expect(reopened).toBeGreaterThan(0);
    expect([...session.values()].every((actions) => actions[0] === 'login')).toBe(true);
  }, 120_000);
});

describe('picking: chance, spin, all and chain', () => {
  const manifest = (pick: string) => `name = "pick-test"
description = "which events a tick writes"
format = "json"
actors = "people"
${pick}
[[events]]
name = "a"
template = '{"t":"{{ time | rfc3339 }}","who":"{{ actor.id }}","e":"a"}'
[[events]]
name = "b"
template = '{"t":"{{ time | rfc3339 }}","who":"{{ actor.id }}","e":"b"}'
[[events]]
name = "c"
template = '{"t":"{{ time | rfc3339 }}","who":"{{ actor.id }}","e":"c"}'
`;
  let dir: string;
  let population: string;
  beforeAll(async () => {
    dir = tempDir();
    population = await buildPopulationFile(dir, 'seed = 4\n[population]\nactor_count = 30\n');
  });
  /** Each person's events, in their order. */
  const run = async (name: string, pick: string) => {
    const pack = writePack(join(dir, name), manifest(pick));
    const out = join(dir, `out-${name}`);
    const cfg = writeFile(dir, `run-${name}.toml`, sourcesConfig({ seed: 4, population, sources: [{ type: 'pack', keys: `pack = ${JSON.stringify(pack)}` }], outputs: fileOutput(out) }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T12:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const byActor = new Map<string, { t: string; e: string }[]>();
    for (const d of readAllRecords(join(out, 'pick-test')) as { t: string; who: string; e: string }[]) byActor.set(d.who, [...(byActor.get(d.who) ?? []), d]);
    expect(byActor.size).toBeGreaterThan(10);
    return byActor;
  };

  it('spin: each person\'s events in turn; all and chain: every tick the events in order, at one time', async () => {
    const chance = await run('chance', '');
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const list of chance.values()) for (const d of list) counts[d.e]++;
    expect(Math.min(...Object.values(counts)) / Math.max(...Object.values(counts))).toBeGreaterThan(0.8);
    // Chance is not a turn: some person has the same event twice in a row.
    expect([...chance.values()].some((l) => l.some((d, i) => i > 0 && l[i - 1].e === d.e))).toBe(true);
    for (const list of (await run('spin', 'pick = "spin"')).values()) expect(list.map((d) => d.e).join('')).toBe('abc'.repeat(Math.ceil(list.length / 3)).slice(0, list.length));
    for (const [pick, seq] of [['pick = "all"', 'abc'], ['pick = "chain"\nchain = ["c", "a", "a"]', 'caa']] as const) {
      for (const list of (await run(seq, pick)).values()) {
        expect(list.length % 3).toBe(0);
        expect(list.map((d) => d.e).join('')).toBe(seq.repeat(list.length / 3));
        for (let i = 0; i < list.length; i += 3) expect(new Set(list.slice(i, i + 3).map((d) => d.t)).size).toBe(1);
      }
    }
  }, 120_000);

  it('refuses a share that would write more records in one tick than a part keeps room for; keeps a kv value with a space quoted', async () => {
    const records = Array.from({ length: 64 }, (_, i) => `  '{"n":${i},"t":"{{ time | rfc3339 }}"}',`).join('\n');
    const big = writePack(join(dir, 'big'), `name = "big"\ndescription = "64 records an event"\nformat = "json"\nactors = "people"\n[[events]]\nname = "burst"\nrecords = [\n${records}\n]\n`);
    const cfg = writeFile(dir, 'big.toml', sourcesConfig({ seed: 4, population, sources: [{ type: 'pack', keys: `pack = ${JSON.stringify(big)}\nshare = 20` }], outputs: fileOutput(join(dir, 'big-out')) }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T01:00:00Z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pack big.*\n\s+share = 20: at most 1024 records a tick; this pack writes up to 64 an event, so a share of at most 16/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'big-out'))).toBe(false);
    // datetime_ms has a space: a kv pack quotes it (the fast time writer only serves values escaping leaves alone).
    const kv = writePack(join(dir, 'kv'), `name = "kv-test"\ndescription = "kv"\nformat = "text"\nescape = "kv"\nactors = "people"\n[[events]]\nname = "e"\ntemplate = 't={{ time | datetime_ms }} iso={{ time | rfc3339 }}'\n`);
    const p = await runCli(['pack', 'preview', kv, '-n', '3']);
    expect(p.code, p.stderr).toBe(0);
    for (const line of p.stdout.trimEnd().split('\n')) expect(line).toMatch(/^t="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}" iso=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }, 60_000);

  it('reports a chain without pick = "chain", a chain naming no event, and every-event picking with states', async () => {
    const cases: [string, RegExp][] = [
      ['chain = ["a"]', /chain \(line \d+\) = \["a"\]: a chain needs pick = "chain"/],
      ['pick = "chain"\nchain = ["a", "d"]', /chain \(line \d+\).*chain\[1\] = "d" is not an event of the pack; events: a, b, c/],
      ['pick = "all"\nstates = ["out", "in"]', /pick \(line \d+\) = "all": pick = "all" writes every event on each tick; a state machine \(states\) needs pick = "chance" or "spin"/],
    ];
    for (const [k, [pick, message]] of cases.entries()) {
      const pack = writePack(join(dir, `bad-${k}`), manifest(pick));
      const r = await runCli(['pack', 'validate', pack]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

describe('seclog pack: new, validate, preview, list', () => {
  it('writes a working skeleton that validates, previews and runs beside CloudTrail as a source of its own', async () => {
    const dir = tempDir();
    const made = await runCli(['pack', 'new', 'billing-app'], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    const pack = join(dir, 'billing-app');
    const checked = await runCli(['pack', 'validate', pack]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^pack billing-app: ok \(2 event types, 2 records written/);
    const preview = await runCli(['pack', 'preview', pack, '-n', '5', '--event', 'login']);
    expect(preview.code, preview.stderr).toBe(0);
    const docs = preview.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; user: string });
    expect(docs).toHaveLength(5);
    expect(docs.every((d) => d.action === 'login' && d.user.includes('@'))).toBe(true);
    const population = await buildPopulationFile(dir, 'seed = 2\n[population]\nactor_count = 60\n');
    const out = join(dir, 'out');
    const cfg = writeFile(dir, 'run.toml', sourcesConfig({ seed: 2, population, sources: ['cloudtrail', { type: 'pack', keys: `pack = ${JSON.stringify(pack)}\nparams = { app = "ledger" }` }], outputs: fileOutput(out) }));
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T12:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const records = readAllRecords(join(out, 'billing-app')) as { app: string; user: string }[];
    expect(records.length).toBeGreaterThan(10);
    expect(records.every((x) => x.app === 'ledger')).toBe(true);
    // The pack's users are the population's people, the same as CloudTrail's.
    const emails = new Set((await readPopulationParquet(population, 'population')).actors.flatMap((a) => (a.kind === 'human' && a.email ? [a.email] : [])));
    expect(records.every((x) => emails.has(x.user))).toBe(true);
    expect(readAllRecords(join(out, 'cloudtrail')).length).toBeGreaterThan(0);
    // Its Parquet layout: the same records, with the common envelope bound to its fields and the population.
    const pq = join(dir, 'out-parquet');
    const cfgPq = writeFile(dir, 'run-pq.toml', sourcesConfig({ seed: 2, population, sources: ['cloudtrail', { type: 'pack', keys: `pack = ${JSON.stringify(pack)}\nparams = { app = "ledger" }` }], outputs: fileOutput(pq, 'parquet') }));
    const rp = await runCli(['gen', '--config', cfgPq, '--until-time', '2025-12-01T12:00:00Z']);
    expect(rp.code, rp.stderr).toBe(0);
    const conn = await duckdb();
    try {
      const rows = (await conn.runAndReadAll(`SELECT "user", action, outcome, seclog.source AS source, seclog.actor AS actor, seclog.event_type AS event_type, seclog.outcome AS envelope_outcome, seclog.actor_id AS actor_id FROM read_parquet(${sqlString(join(pq, 'billing-app', '*.parquet'))})`)).getRowObjectsJS() as Record<string, string>[];
      expect(rows.length).toBe(records.length);
      expect(rows.every((x) => x.source === 'billing-app' && x.actor === x.user && x.event_type === x.action && x.actor_id !== null)).toBe(true);
      expect(rows.every((x) => (x.envelope_outcome === 'failure') === (x.outcome === 'failure' || x.outcome === 'denied'))).toBe(true);
      expect(rows.some((x) => x.envelope_outcome === 'failure')).toBe(true);
    } finally {
      conn.closeSync();
    }
    const list = await runCli(['pack', 'list']);
    expect(list.stdout).toMatch(/^nginx-access\s+nginx access log/m);
    const again = await runCli(['pack', 'new', 'billing-app'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toMatch(/^seclog: pack new "billing-app": .* already exists$/);
  }, 120_000);
});
