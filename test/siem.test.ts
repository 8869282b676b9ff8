/**
 * The SIEM service on its embedded PostgreSQL (PGlite), reading a generator's output folder: every record of every
 * source stored once under the id the labels use, normalised fields and enrichment, restarts and replays without
 * duplicates, and the API's answers to good and bad requests (401, 403 before validation, 400 naming the field,
 * cursors, rate-limited sign-in, audit), retention by whole partitions.
 */
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siemConfigSchema, type SiemConfig } from '../src/siem/config.js';
import { startSiem, type SiemService } from '../src/siem/service.js';
import { MAPPINGS } from '../src/siem/normalise/mappings.js';
import { Normalisers, type Row } from '../src/siem/normalise/normalise.js';
import { RecordWriter } from '../src/siem/store/writer.js';
import { Inventory } from '../src/siem/enrich/inventory.js';
import { runCli, sourcesConfig, tempDir, until, writeFile, fileOutput } from './helpers.js';

const PASSWORD = 'admin-password-for-tests';
const SOURCES = ['cloudtrail', 'okta', 'entra_signin', 'entra_audit', ...['linux-auth', 'linux-auditd', 'ecs-alerts', 'host-metrics', 'nginx-access', 'sysmon', 'windows-security'].map((p) => ({ type: 'pack', keys: `pack = "${p}"` }))];

let dir: string;
let out: string;
let inventory: string;
let lines: Map<string, string[]>;
let service: SiemService;
let config: SiemConfig;

function allLines(root: string): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  for (const source of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const got = readdirSync(join(root, source)).flatMap((f) => readFileSync(join(root, source, f), 'utf8').split('\n').filter((l) => l !== ''));
    bySource.set(source, got);
  }
  return bySource;
}

async function stored(db: SiemService['db']): Promise<number> {
  const [r] = await db.query<{ n: string }>('SELECT (SELECT count(*) FROM logs) + (SELECT count(*) FROM process_logs) + (SELECT count(*) FROM host_metrics) AS n');
  return Number(r.n);
}

function total(): number {
  return [...lines.values()].reduce((a, l) => a + l.length, 0);
}

async function start(extra: Partial<SiemConfig> = {}): Promise<SiemService> {
  return startSiem({ ...config, ...extra }, { input: out, listen: '127.0.0.1:0', adminPassword: PASSWORD, log: () => {} });
}

beforeAll(async () => {
  dir = tempDir('seclog-siem-');
  inventory = join(dir, 'inventory.jsonl');
  const actorsToml = writeFile(dir, 'actors.toml', 'seed = 5\n[population]\nactor_count = 200\nservice_ratio = 0.2\n');
  const population = join(dir, 'actors.parquet');
  const a = await runCli(['actors', '--config', actorsToml, '--output', population, '--inventory', inventory]);
  expect(a.code, a.stderr).toBe(0);
  out = join(dir, 'out');
  const cfg = writeFile(dir, 'gen.toml', sourcesConfig({ seed: 3, population, sources: SOURCES, outputs: fileOutput(out) }) + '[scenarios]\nenabled = true\nper_day = 48\nseasonality = "any"\nrates = { "phishing-to-ransomware" = 200 }\n');
  const g = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T00:40:00Z']);
  expect(g.code, g.stderr).toBe(0);
  lines = allLines(out);
  config = siemConfigSchema.parse({ data_dir: join(dir, 'siem-data'), auth: { mode: 'both', sign_in_per_minute: 10 }, enrich: { inventory } });
  service = await start();
  await until('every record', async () => (await stored(service.db)) >= total());
}, 300_000);

afterAll(async () => {
  await service?.close();
});

describe('ingest from a folder', () => {
  it('stores every record of every source once, under the id its label uses', async () => {
    expect(await stored(service.db)).toBe(total());
    for (const [source, got] of lines) {
      const [r] = await service.db.query<{ n: string }>('SELECT (SELECT count(*) FROM logs WHERE source = $1) + (SELECT count(*) FROM process_logs WHERE source = $1) + (SELECT count(*) FROM host_metrics WHERE source = $1) AS n', [source]);
      expect(Number(r.n), source).toBe(got.length);
      expect(Object.hasOwn(MAPPINGS, source), `${source} has a mapping`).toBe(true);
    }
    const labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { source: string; id: string });
    expect(labels.length).toBeGreaterThan(0);
    // Record ids of every kind: the vendor's own (CloudTrail, Okta, Entra), a pack's pattern (Windows:
    // computer and record number; auditd: node, type, serial), and the hash of the line (auth.log).
    expect(new Set(labels.map((l) => l.source))).toEqual(new Set(['cloudtrail', 'okta', 'entra_signin', 'ecs-alerts', 'linux-auth', 'linux-auditd', 'sysmon', 'windows-security', 'host-metrics']));
    const ids = new Set(
      (await service.db.query<{ k: string }>("SELECT source || ' ' || record_id AS k FROM logs UNION ALL SELECT source || ' ' || record_id FROM process_logs UNION ALL SELECT source || ' ' || record_id FROM host_metrics")).map((r) => r.k),
    );
    const missing = labels.filter((l) => !ids.has(`${l.source} ${l.id}`));
    expect(missing.slice(0, 3)).toEqual([]);
  });

  it('normalises each source: event type, time of the record, outcome, host and its owner from the inventory', async () => {
    const rows = await service.db.query<{ source: string; n: string; typed: string; timed: string; failures: string; hosts: string; owned: string }>(
      `SELECT source, count(*) AS n, count(event_type) AS typed, count(*) FILTER (WHERE time < '2025-12-02' AND time > '2025-11-29') AS timed,
              count(*) FILTER (WHERE outcome = 'failure') AS failures, count(host) AS hosts, count(host_owner) AS owned
       FROM logs GROUP BY source ORDER BY source`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.source, r]));
    for (const r of rows) {
      expect(Number(r.typed), `${r.source} event types`).toBe(Number(r.n));
      expect(Number(r.timed), `${r.source} times from the records`).toBe(Number(r.n));
    }
    for (const s of ['okta', 'entra_signin', 'linux-auth', 'linux-auditd']) expect(Number(by[s].failures), `${s} failures`).toBeGreaterThan(0);
    for (const s of ['linux-auth', 'linux-auditd', 'windows-security', 'sysmon']) expect(Number(by[s].owned), `${s} owners`).toBeGreaterThan(Number(by[s].n) / 2);
    const [login] = await service.db.query<{ user_name: string; ip: string; outcome: string }>("SELECT user_name, ip, outcome FROM logs WHERE source = 'linux-auth' AND event_type = 'ssh_accepted' LIMIT 1");
    expect(login.user_name).toMatch(/\S/);
    expect(login.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(login.outcome).toBe('success');
    const procs = await service.db.query<{ source: string; named: string; n: string }>('SELECT source, count(process_name) AS named, count(*) AS n FROM process_logs GROUP BY source ORDER BY source');
    expect(procs.map((p) => p.source)).toEqual(['host-metrics', 'linux-auditd', 'sysmon', 'windows-security']);
    for (const p of procs) expect(Number(p.named), p.source).toBe(Number(p.n));
    const [metric] = await service.db.query<{ n: string }>("SELECT count(*) AS n FROM host_metrics WHERE metricset = 'cpu' AND cpu_pct BETWEEN 0 AND 1");
    expect(Number(metric.n)).toBeGreaterThan(0);
  });

  it('keeps a text record as its line and a JSON record as its object', async () => {
    const [text] = await service.db.query<{ raw: unknown }>("SELECT raw FROM logs WHERE source = 'linux-auth' LIMIT 1");
    expect(lines.get('linux-auth')).toContain(text.raw);
    const [json] = await service.db.query<{ raw: { eventID: string }; record_id: string }>("SELECT raw, record_id FROM logs WHERE source = 'cloudtrail' LIMIT 1");
    expect(json.raw.eventID).toBe(json.record_id);
  });

  it('takes a new file, then the lines appended to it, and a replayed copy adds nothing', async () => {
    const before = await stored(service.db);
    const okta = lines.get('okta')!;
    const file = join(out, 'okta', 'okta-20251202T000000Z-20251202T000100Z-000099.jsonl');
    // New records: the same shapes under new ids.
    const fresh = okta.slice(0, 20).map((l, i) => l.replace(/"uuid":"[^"]+"/, `"uuid":"fresh-${i}"`));
    appendFileSync(file, fresh.slice(0, 10).join('\n') + '\n');
    await until('a new file', async () => (await stored(service.db)) === before + 10);
    appendFileSync(file, fresh.slice(10).join('\n') + '\n');
    await until('appended lines', async () => (await stored(service.db)) === before + 20);
    const duplicatesBefore = (await service.metrics.duplicates.get()).values[0]?.value ?? 0;
    copyFileSync(join(out, 'okta', readdirSync(join(out, 'okta')).sort()[0]), join(out, 'okta', 'replayed-copy.jsonl'));
    await until('the replay', async () => ((await service.metrics.duplicates.get()).values[0]?.value ?? 0) > duplicatesBefore);
    expect(await stored(service.db)).toBe(before + 20);
  });

  it('stores what it cannot read or the database would refuse, without stalling: NUL escapes, garbled times, text in a JSON source, an unknown source', async () => {
    const before = await stored(service.db);
    const okta = lines.get('okta')![0];
    const nul = okta.replace(/"uuid":"[^"]+"/, '"uuid":"nul-1"').replace(/"displayMessage":"[^"]*"/, '"displayMessage":"a\\u0000b"');
    const garbled = okta.replace(/"uuid":"[^"]+"/, '"uuid":"garbled-1"').replace(/"published":"[^"]+"/, '"published":"+275760-09-13T00:00:00.000Z"');
    // Dated file names: what a record's time cannot give comes from the file's (2025-12-01T00:30:00Z).
    appendFileSync(join(out, 'okta', 'okta-20251201T003000Z-20251201T003100Z-000777.jsonl'), [nul, garbled, 'not json at all'].join('\n') + '\n');
    mkdirSync(join(out, 'acme-firewall'), { recursive: true });
    appendFileSync(join(out, 'acme-firewall', 'fw-20251201T003000Z-20251201T003100Z-000001.log'), '<134>Dec  1 00:00:01 fw1 allow tcp 10.0.0.1 -> 10.0.0.2:443\n');
    await until('the odd records', async () => (await stored(service.db)) === before + 4);
    const [n] = await service.db.query<{ raw: { displayMessage: string } }>("SELECT raw FROM logs WHERE record_id = 'nul-1'");
    expect(n.raw.displayMessage).toBe('a\ufffdb');
    const [g] = await service.db.query<{ t: string }>("SELECT time::text AS t FROM logs WHERE record_id = 'garbled-1'");
    expect(g.t).toBe('2025-12-01 00:30:00+00');
    const [fw] = await service.db.query<{ raw: string }>("SELECT raw FROM logs WHERE source = 'acme-firewall'");
    expect(fw.raw).toContain('allow tcp');
    lines.set('okta', [...lines.get('okta')!, nul, garbled, 'not json at all']);
    lines.set('acme-firewall', ['x']);
  });

  it('continues where the database is after a restart, adding nothing twice', async () => {
    const before = await stored(service.db);
    await service.close();
    service = await start();
    await until('the first scan', async () => (service.files?.scans ?? 0) > 0);
    expect(await stored(service.db)).toBe(before);
    expect((await service.metrics.duplicates.get()).values[0]?.value ?? 0).toBe(0);
  });
});

describe('the API', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers });
  const bearer = async (username: string, password: string) => {
    const r = await post('/api/v1/auth/token', { username, password });
    expect(r.status).toBe(200);
    return { authorization: `Bearer ${((await r.json()) as { token: string }).token}` };
  };
  let admin: Record<string, string>;

  beforeAll(async () => {
    admin = await bearer('admin', PASSWORD);
    for (const [username, role] of [
      ['ana', 'analyst'],
      ['vic', 'viewer'],
    ]) {
      const r = await post('/api/v1/users', { username, password: `${username}-password-1`, role }, admin);
      expect(r.status).toBe(201);
    }
  });

  it('answers 401 without credentials or with wrong ones, and nothing else', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-a-token' }, { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` }]) {
      const r = await get('/api/v1/logs', headers);
      expect(r.status).toBe(401);
      expect(Object.keys((await r.json()) as object).sort()).toEqual(['error', 'message']);
    }
    expect((await post('/api/v1/auth/token', { username: 'admin', password: 'wrong' })).status).toBe(401);
  });

  it('checks the role before the body: a viewer or analyst gets 403 whatever it sends', async () => {
    const viewer = await bearer('vic', 'vic-password-1');
    const analyst = { authorization: `Basic ${Buffer.from('ana:ana-password-1').toString('base64')}` };
    for (const who of [viewer, analyst]) {
      expect((await post('/api/v1/users', '{not json', who)).status).toBe(403);
      expect((await post('/api/v1/users', { username: 'x', password: 'y', role: 'root' }, who)).status).toBe(403);
      expect((await get('/api/v1/audit', who)).status).toBe(403);
      expect((await get('/api/v1/logs?limit=1', who)).status).toBe(200);
    }
  });

  it('answers 400 naming the field, without a stack or SQL', async () => {
    const cases: [string, RegExp][] = [
      ['/api/v1/logs?limit=5000', /querystring\.limit/],
      ['/api/v1/logs?limit=0', /querystring\.limit/],
      ['/api/v1/logs?from=yesterday', /querystring\.from/],
      ['/api/v1/logs?colour=red', /querystring\.colour: unknown field/],
      ['/api/v1/logs?cursor=abc', /querystring\.cursor/],
      ['/api/v1/trends?by=colour', /querystring\.by.*source/],
    ];
    for (const [path, message] of cases) {
      const r = await get(path, admin);
      expect(r.status, path).toBe(400);
      const body = (await r.json()) as { message: string };
      expect(body.message).toMatch(message);
      expect(body.message).not.toMatch(/SELECT|at .*\.js|node_modules/);
    }
    const r = await post('/api/v1/users', { username: 'bob', password: 'short', role: 'viewer' }, admin);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/body\.password/);
    const q = await get(`/api/v1/logs?q=${encodeURIComponent("'; DROP TABLE logs; --")}`, admin);
    expect(q.status).toBe(200);
  });

  it('pages through a search with cursors, newest first, every record once', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let last = '9999';
    do {
      const r = await get(`/api/v1/logs?source=okta&limit=500${cursor ? `&cursor=${cursor}` : ''}`, admin);
      expect(r.status).toBe(200);
      const page = (await r.json()) as { items: { time: string; record_id: string }[]; next: string | null };
      for (const item of page.items) {
        expect(item.time <= last).toBe(true);
        last = item.time;
        seen.add(item.record_id);
      }
      cursor = page.next;
    } while (cursor !== null);
    const [okta] = await service.db.query<{ n: string }>("SELECT count(*) AS n FROM logs WHERE source = 'okta'");
    expect(seen.size).toBe(Number(okta.n));
    expect(seen.size).toBeGreaterThan(lines.get('okta')!.length);
    const failures = (await (await get('/api/v1/logs?source=linux-auth&outcome=failure&limit=3', admin)).json()) as { items: { outcome: string; host_criticality: string }[] };
    expect(failures.items.length).toBe(3);
    expect(failures.items.every((i) => i.outcome === 'failure' && i.host_criticality !== null)).toBe(true);
    const procs = (await (await get('/api/v1/process-logs?source=sysmon&limit=2', admin)).json()) as { items: { process_name: string; pid: number }[] };
    expect(procs.items[0].process_name).toMatch(/\.exe$/i);
  });

  it('gives trends by source and CPU per host', async () => {
    const counts = (await (await get('/api/v1/trends?by=source&interval=day&from=2025-12-01T00:00:00Z&to=2025-12-02T00:00:00Z', admin)).json()) as { items: { key: string; count: number }[] };
    const okta = counts.items.find((i) => i.key === 'cloudtrail');
    expect(okta?.count).toBeGreaterThan(0);
    const cpu = (await (await get('/api/v1/trends?by=cpu&interval=hour', admin)).json()) as { items: { host: string; avg: number; max: number }[] };
    expect(cpu.items.length).toBeGreaterThan(0);
    expect(cpu.items.every((i) => i.avg >= 0 && i.max <= 1 && i.avg <= i.max)).toBe(true);
  });

  it('serves OpenAPI, health, readiness and Prometheus metrics', async () => {
    const spec = (await (await get('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/logs', '/api/v1/process-logs', '/api/v1/trends', '/api/v1/auth/token', '/api/v1/users']));
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    const metrics = await (await get('/metrics')).text();
    for (const name of ['seclog_siem_ingested_records_total', 'seclog_siem_duplicate_records_total', 'seclog_siem_batch_seconds', 'seclog_siem_consumer_lag']) expect(metrics).toContain(`# TYPE ${name} `);
    expect(metrics).toMatch(/seclog_siem_http_requests_total\{route="\/api\/v1\/logs",status="200"\} [1-9]/);
  });

  it('audits every change', async () => {
    const r = (await (await get('/api/v1/audit?limit=1000', admin)).json()) as { items: { actor: string; action: string; target: string }[] };
    expect(r.items).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'admin', action: 'user.create', target: 'ana' }), expect.objectContaining({ actor: 'admin', action: 'user.create', target: 'vic' })]));
  });

  it('limits sign-in attempts per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await post('/api/v1/auth/token', { username: 'nobody', password: 'guess' })).status);
    expect(codes).toContain(429);
    expect(codes.filter((c) => c !== 429 && c !== 401)).toEqual([]);
  });
});

describe('retention', () => {
  it('drops whole partitions older than the policy, measured from the newest record', async () => {
    const writer = new RecordWriter(service.db, new Inventory());
    const rows: Row[] = [];
    const normalisers = new Normalisers();
    const okta = lines.get('okta')![0];
    for (const day of ['2025-11-20', '2025-11-25']) normalisers.for('okta')(okta.replace(/"published":"[^"]+"/, `"published":"${day}T10:00:00.000Z"`).replace(/"uuid":"[^"]+"/, `"uuid":"old-${day}"`), { reference: 0 }, rows);
    const batch = writer.batch();
    for (const r of rows) batch.add(r);
    await writer.write(batch.finish());
    const names = async () => (await service.db.query<{ n: string }>("SELECT c.relname AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'logs'")).map((r) => r.n).sort();
    expect(await names()).toEqual(expect.arrayContaining(['logs_p20251120', 'logs_p20251125']));
    await service.close();
    service = await start({ retention: { ...config.retention, logs_days: 3 } });
    const left = await names();
    expect(left).not.toContain('logs_p20251120');
    expect(left).not.toContain('logs_p20251125');
    expect(left).toContain('logs_p20251201');
    expect(await service.db.query("SELECT 1 FROM audit_log WHERE action = 'retention.drop'")).toHaveLength(1);
  });
});

describe('the service stands apart from the generator', () => {
  it('imports nothing of the generator but the shared vocabulary (src/schema) and leaf helpers (src/util)', () => {
    const root = join(import.meta.dirname, '..', 'src');
    const files = readdirSync(join(root, 'siem'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const outside: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(root, 'siem', f), 'utf8');
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = join(root, 'siem', f, '..', m[1]);
        const rel = target.slice(root.length + 1);
        if (!/^(siem|schema|util)\//.test(rel)) outside.push(`${f} → ${rel}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

describe('seclog siem with bad input', () => {
  it('exits 2 with one line naming the key, and creates nothing', async () => {
    const d = tempDir('seclog-siem-bad-');
    const cases: [string, Record<string, string>, RegExp][] = [
      ['colour = 1\n', {}, /colour: unknown key; allowed here: listen, database/],
      ['listen = "127.0.0.1:99999"\n', {}, /listen = "127.0.0.1:99999": expected a port from 1 to 65535/],
      ['[ingest]\nwriters = 0\n', {}, /ingest\.writers = 0/],
      ['[kafka]\nbrokers = ["127.0.0.1:1"]\n', {}, /kafka\.brokers: no broker answers at 127\.0\.0\.1:1/],
      ['', { SECLOG_SIEM_ADMIN_PASSWORD: 'short' }, /SECLOG_SIEM_ADMIN_PASSWORD: expected at least 12 characters/],
    ];
    for (const [i, [toml, env, message]] of cases.entries()) {
      const cfg = writeFile(d, `bad${i}.toml`, `data_dir = "./data${i}"\n${toml.startsWith('listen') ? '' : 'listen = "127.0.0.1:0"\n'}${toml}`);
      const saved = { ...process.env };
      Object.assign(process.env, env);
      const r = await runCli(['siem', '--config', cfg]);
      process.env = saved;
      expect(r.code, toml).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(d).filter((f) => f.startsWith('data')), toml).toEqual([]);
    }
  }, 120_000);
});
