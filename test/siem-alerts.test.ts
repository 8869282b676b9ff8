/**
 * Rules and alerts end to end on the embedded database: a generated run with attacks read from its folder, rules of
 * every kind (a Sigma detection, a Sigma event_count correlation over a detection that raises nothing itself, a
 * process list, a CPU threshold), alerts deduplicated per rule and group with evidence that joins the ground truth,
 * a replay that changes nothing, a new hit reopening a closed alert, the lifecycle and its refusals through the API,
 * rules imported, previewed on history and disabled, and `seclog siem score` on the same run.
 */
import { appendFileSync, readdirSync, readFileSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsFromDatabase, parseLabels, score } from '../src/siem/score.js';
import { siemConfigSchema, type SiemConfig } from '../src/siem/config.js';
import { startSiem, type SiemService } from '../src/siem/service.js';
import { fileOutput, runCli, sourcesConfig, tempDir, until, writeFile } from './helpers.js';

const PASSWORD = 'admin-password-for-tests';
const RULES = join(import.meta.dirname, 'fixtures', 'siem-rules');
const SOURCES = ['cloudtrail', ...['linux-auth', 'linux-auditd', 'host-metrics'].map((p) => ({ type: 'pack', keys: `pack = "${p}"` }))];
const SCENARIOS = ['ssh-brute-force-persistence', 'server-crypto-miner', 'cloudtrail-defense-evasion'];

let dir: string;
let out: string;
let service: SiemService;
let config: SiemConfig;
let url: string;
/** What the webhook receiver got: the `alert` of each notice. */
const notices: { id: string; rule_id: string; severity: string; status: string }[] = [];
let receiver: Server;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = basic('admin', PASSWORD);

async function api(method: string, path: string, auth: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text) };
}

async function stored(): Promise<number> {
  const [r] = await service.db.query<{ n: string }>('SELECT (SELECT count(*) FROM logs) + (SELECT count(*) FROM process_logs) + (SELECT count(*) FROM host_metrics) AS n');
  return Number(r.n);
}

function lineCount(): number {
  let n = 0;
  for (const source of readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory()))
    for (const f of readdirSync(join(out, source.name))) n += readFileSync(join(out, source.name, f), 'utf8').split('\n').filter((l) => l !== '').length;
  return n;
}

const labels = () => parseLabels(readFileSync(join(out, 'labels.jsonl'), 'utf8'), 'labels.jsonl');

async function alertRows(ruleId: string) {
  return service.db.query<{ id: string; count: number; status: string; group_values: Record<string, string> }>('SELECT id::text AS id, count::int AS count, status, group_values FROM alerts WHERE rule_id = $1 ORDER BY id', [ruleId]);
}

beforeAll(async () => {
  dir = tempDir('seclog-siem-alerts-');
  const actorsToml = writeFile(dir, 'actors.toml', 'seed = 5\n[population]\nactor_count = 120\nservice_ratio = 0.2\n');
  const population = join(dir, 'actors.parquet');
  const a = await runCli(['actors', '--config', actorsToml, '--output', population]);
  expect(a.code, a.stderr).toBe(0);
  out = join(dir, 'out');
  const scenarios = `[scenarios]\nenabled = true\ninclude = ${JSON.stringify(SCENARIOS)}\nper_day = 40\nseasonality = "any"\n`;
  const cfg = writeFile(dir, 'gen.toml', sourcesConfig({ seed: 11, population, sources: SOURCES, outputs: fileOutput(out) }) + scenarios);
  const g = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T02:00:00Z']);
  expect(g.code, g.stderr).toBe(0);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      notices.push((JSON.parse(body) as { alert: (typeof notices)[number] }).alert);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  config = siemConfigSchema.parse({ data_dir: join(dir, 'siem-data'), rules: { paths: [RULES], reload_ms: 200 }, notify: { webhooks: [{ url: hook, min_severity: 'HIGH' }] } });
  service = await startSiem(config, { input: out, listen: '127.0.0.1:0', adminPassword: PASSWORD, log: () => {} });
  url = service.url;
  const total = lineCount();
  await until('every record', async () => (await stored()) >= total, 240_000);
  // Every batch's alerts are in its own transaction: once the records are there, so are their alerts.
}, 300_000);

let closed = false;
async function stop(): Promise<void> {
  if (closed) return;
  closed = true;
  await service?.close();
}

afterAll(async () => {
  await stop();
  receiver?.close();
});

describe('rules on the stream', () => {
  it('raises the attacks of the run, and their evidence is the labelled records', async () => {
    const report = score(labels(), await alertsFromDatabase(service.db));
    const recall = Object.fromEntries(report.techniques.map((t) => [t.technique, t.recall]));
    // Each technique the test rules look for: every scenario instance using it has an alert on its records.
    for (const t of ['T1562.008', 'T1110.001', 'T1496.001']) {
      expect(recall[t]?.of, `${t} in the run`).toBeGreaterThan(0);
      expect(recall[t]?.value, `${t} recall`).toBe(1);
    }
    // The CloudTrail rule and the SSH correlation only ever point at attack records here.
    const rules = Object.fromEntries(report.rules.map((r) => [r.rule_id, r]));
    expect(rules['2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4a01'].precision.value).toBe(1);
    expect(rules['9c3b7a1d-2e4f-4b5a-8c6d-1e2f3a4b5c61'].precision.value).toBe(1);
  });

  it('notifies the webhook of each new alert at or above its severity, once', async () => {
    const high = await service.db.query<{ id: string }>("SELECT id::text AS id FROM alerts WHERE severity IN ('HIGH', 'CRITICAL') ORDER BY id");
    await until('notices', async () => notices.length >= high.length, 10_000);
    expect(notices.map((n) => n.id).sort()).toEqual(high.map((a) => a.id).sort());
    expect(notices.every((n) => n.status === 'open')).toBe(true);
  });

  it('deduplicates by rule, group and window: one guessing alert per attacker and host, counting its failures', async () => {
    const guessing = await alertRows('9c3b7a1d-2e4f-4b5a-8c6d-1e2f3a4b5c61');
    expect(guessing.length).toBeGreaterThan(0);
    const groups = guessing.map((a) => `${a.group_values.host} ${a.group_values.ip}`);
    expect(new Set(groups).size, 'one alert per group within the window').toBe(groups.length);
    const instances = new Set(labels().filter((l) => l.technique === 'T1110.001').map((l) => l.instance));
    expect(guessing.length).toBeLessThanOrEqual(instances.size * 2);
    for (const a of guessing) {
      expect(a.count).toBeGreaterThanOrEqual(1);
      const [e] = await service.db.query<{ n: number; stored: number }>(
        `SELECT count(*)::int AS n, count(l.record_id)::int AS stored FROM alert_evidence e LEFT JOIN logs l USING (source, record_id, time) WHERE e.alert_id = $1`,
        [a.id],
      );
      expect(e.n, 'the records of the window that made it hold').toBeGreaterThanOrEqual(10);
      expect(e.stored, 'evidence points at stored records').toBe(e.n);
    }
    // The detection the correlation counts raises nothing of its own (it is not `generate`d).
    expect(await alertRows('6a1e0f4c-8d2b-4f3a-9c5e-7b1d2a3e4f50')).toEqual([]);
  });

  it('follows host metrics and process lists: the miner by name and by its CPU', async () => {
    const byName = await alertRows('4d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c72');
    const byCpu = await alertRows('1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c83');
    expect(byName.length).toBeGreaterThan(0);
    expect(byCpu.length).toBeGreaterThan(0);
    const minerHosts = new Set(byName.map((a) => a.group_values.host));
    expect(byCpu.some((a) => minerHosts.has(a.group_values.host))).toBe(true);
    const [sev] = await service.db.query<{ severity: string }>('SELECT severity FROM alerts WHERE rule_id = $1 LIMIT 1', ['4d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c72']);
    expect(sev.severity).toBe('CRITICAL');
  });

  it('a replayed file raises nothing again; a new hit reopens a closed alert', async () => {
    const before = await service.db.query<{ id: string; count: number }>('SELECT id::text AS id, count::int AS count FROM alerts ORDER BY id');
    const ct = readdirSync(join(out, 'cloudtrail')).sort()[0];
    copyFileSync(join(out, 'cloudtrail', ct), join(out, 'cloudtrail', `replay-${ct}`));
    await until('the replay read', async () => Number((await service.metrics.duplicates.get()).values[0]?.value ?? 0) > 0);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await service.db.query<{ id: string; count: number }>('SELECT id::text AS id, count::int AS count FROM alerts ORDER BY id');
    expect(after).toEqual(before);

    // Close the CloudTrail alert, then a new StopLogging shortly after its last hit arrives: reopened.
    const [alert] = await alertRows('2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4a01');
    const closed = await api('PATCH', `/api/v1/alerts/${alert.id}`, ADMIN, { status: 'closed', close_reason: 'true positive, trail restored' });
    expect(closed.status, JSON.stringify(closed.json)).toBe(200);
    const evidence = (await api('GET', `/api/v1/alerts/${alert.id}`, ADMIN)).json.evidence as { raw: Record<string, unknown>; time: string }[];
    const stop = evidence.find((e) => e.raw.eventName === 'StopLogging' || e.raw.eventName === 'DeleteTrail')!;
    const again = { ...stop.raw, eventID: '00000000-1111-4222-8333-444444444444', eventTime: new Date(Date.parse(stop.time) + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    appendFileSync(join(out, 'cloudtrail', `replay-${ct}`), `${JSON.stringify({ Records: [again] })}\n`);
    await until('reopened', async () => (await alertRows('2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4a01')).find((a) => a.id === alert.id)?.status === 'reopened');
    const detail = (await api('GET', `/api/v1/alerts/${alert.id}`, ADMIN)).json;
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['raised', 'closed', 'reopened']);
    expect(detail.count).toBe(alert.count + 1);
  });
});

describe('the alerts API', () => {
  let analyst: string;
  let viewer: string;

  beforeAll(async () => {
    for (const [name, role] of [['ana', 'analyst'], ['vic', 'viewer']]) expect((await api('POST', '/api/v1/users', ADMIN, { username: name, password: `${name}-password-123`, role })).status).toBe(201);
    analyst = basic('ana', 'ana-password-123');
    viewer = basic('vic', 'vic-password-123');
  });

  it('lists with filters and a cursor, and shows one alert with evidence and history', async () => {
    const all = await api('GET', '/api/v1/alerts?limit=1000', viewer);
    expect(all.status).toBe(200);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; next: string | null } } = await api('GET', `/api/v1/alerts?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, viewer);
      ids.push(...page.json.items.map((a) => a.id));
      cursor = page.json.next;
    } while (cursor !== null);
    expect(ids).toEqual(all.json.items.map((a: { id: string }) => a.id));
    const high = await api('GET', '/api/v1/alerts?severity=CRITICAL', viewer);
    expect(high.json.items.length).toBeGreaterThan(0);
    expect(high.json.items.every((a: { severity: string }) => a.severity === 'CRITICAL')).toBe(true);
    const one = await api('GET', `/api/v1/alerts/${high.json.items[0].id}`, viewer);
    expect(one.json.evidence.length).toBeGreaterThan(0);
    expect(one.json.evidence[0].raw).not.toBeNull();
    expect((await api('GET', '/api/v1/alerts/999999999', viewer)).status).toBe(404);
    expect((await api('GET', '/api/v1/alerts?status=sleeping', viewer)).json.message).toBe('querystring.status: must be one of open, acknowledged, closed, reopened');
    expect((await api('GET', '/api/v1/alerts?cursor=bogus', viewer)).status).toBe(400);
  });

  it('walks the lifecycle and refuses what does not follow', async () => {
    const [a] = (await api('GET', '/api/v1/alerts?status=open&limit=1', viewer)).json.items;
    const path = `/api/v1/alerts/${a.id}`;
    expect((await api('PATCH', path, viewer, { status: 'acknowledged' })).status).toBe(403);
    const ack = await api('PATCH', path, analyst, { status: 'acknowledged', assignee: 'ana' });
    expect([ack.status, ack.json.status, ack.json.assignee]).toEqual([200, 'acknowledged', 'ana']);
    const noReason = await api('PATCH', path, analyst, { status: 'closed' });
    expect([noReason.status, noReason.json.message]).toEqual([400, 'body.close_reason: required when status is closed']);
    expect((await api('PATCH', path, analyst, { status: 'closed', close_reason: 'benign: admin testing' })).json.status).toBe('closed');
    const wrong = await api('PATCH', path, analyst, { status: 'acknowledged' });
    expect([wrong.status, wrong.json.message]).toEqual([409, `alert ${a.id} is closed: it can become reopened, not acknowledged`]);
    expect((await api('PATCH', path, analyst, { status: 'reopened' })).json.status).toBe('reopened');
    const history = (await api('GET', path, viewer)).json.history.map((h: { action: string }) => h.action);
    expect(history.slice(-3)).toEqual(['acknowledged', 'closed', 'reopened']);
    const [audit] = await service.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'alert.update' AND target = $1", [a.id]);
    expect(audit.n, 'acknowledged, closed, reopened; the refusals change nothing').toBe(3);
  });

  it('changes many at once, each answering for itself', async () => {
    const items = (await api('GET', '/api/v1/alerts?status=open&limit=3', viewer)).json.items as { id: string }[];
    const bulk = await api('PATCH', '/api/v1/alerts', analyst, { ids: [...items.map((i) => i.id), '999999998'], status: 'acknowledged' });
    expect(bulk.status).toBe(200);
    expect(bulk.json.items.filter((r: { ok: boolean }) => r.ok).length).toBe(items.length);
    expect(bulk.json.items.at(-1)).toMatchObject({ id: '999999998', ok: false, error: 'not_found' });
  });
});

describe('the rules API', () => {
  const SIGMA = `title: Console sign-in without MFA (imported)
id: 5b6c7d8e-9f01-4a2b-8c3d-4e5f6a7b8c94
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventName: ConsoleLogin
    additionalEventData.MFAUsed: 'No'
  condition: selection
level: medium
tags: [attack.initial-access, attack.t1078.004]
`;

  it('imports Sigma as admin only, and says what is wrong with a bad rule in one line', async () => {
    const viewer = basic('vic', 'vic-password-123');
    expect((await api('POST', '/api/v1/rules/import', viewer, SIGMA, 'application/yaml')).status).toBe(403);
    const created = await api('POST', '/api/v1/rules/import?enabled=false', ADMIN, SIGMA, 'application/yaml');
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.items).toEqual([{ id: '5b6c7d8e-9f01-4a2b-8c3d-4e5f6a7b8c94', title: 'Console sign-in without MFA (imported)', kind: 'detection', result: 'created' }]);
    const bad = await api('POST', '/api/v1/rules', ADMIN, { yaml: SIGMA.replace('eventName:', 'eventName|sortof:') });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/eventName\|sortof.*sortof/);
    expect(bad.json.message).not.toContain('\n');
    const rule = (await api('GET', '/api/v1/rules/5b6c7d8e-9f01-4a2b-8c3d-4e5f6a7b8c94', viewer)).json;
    expect([rule.enabled, rule.yaml]).toEqual([false, SIGMA]);
  });

  it('previews a rule on stored history without raising anything', async () => {
    const before = await service.db.query('SELECT count(*)::int AS n FROM alerts');
    const yaml = readFileSync(join(RULES, 'rules.yml'), 'utf8').split('\n---\n')[0];
    const preview = await api('POST', '/api/v1/rules/preview', ADMIN, { yaml: yaml.replace('2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4a01', '2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4aff'), from: '2025-11-30T00:00:00Z', to: '2025-12-02T00:00:00Z' });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json.scanned).toBeGreaterThan(1000);
    // The same alerts the stored rule raised (the replayed StopLogging included), under the previewed rule's id.
    const raised = await alertRows('2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4a01');
    expect(preview.json.alerts.length).toBe(raised.length);
    expect(preview.json.alerts.every((a: { rule_id: string }) => a.rule_id === '2f0d6d3e-1c55-4a8e-9d7b-3f0d1c2b4aff')).toBe(true);
    expect(await service.db.query('SELECT count(*)::int AS n FROM alerts')).toEqual(before);
  });

  it('disables a rule for every detector within the reload interval', async () => {
    const active = async () => (await service.metrics.rulesActive.get()).values[0].value;
    const was = await active();
    expect((await api('POST', '/api/v1/rules/4d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c72/disable', ADMIN)).json.enabled).toBe(false);
    await until('recompiled', async () => (await active()) === was - 1, 5_000);
    expect((await api('POST', '/api/v1/rules/4d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c72/enable', ADMIN)).json.enabled).toBe(true);
  });

  it('reports the ingest-to-alert latency', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const count = /seclog_siem_alert_latency_seconds_count (\d+)/.exec(metrics);
    expect(Number(count?.[1])).toBeGreaterThan(0);
  });
});

describe('seclog siem score', () => {
  it('prints precision and recall per technique from the database, after the service stopped', async () => {
    await stop();
    const cfg = writeFile(dir, 'siem.toml', `data_dir = ${JSON.stringify(join(dir, 'siem-data'))}\n[rules]\npaths = [${JSON.stringify(RULES)}]\n`);
    const r = await runCli(['siem', 'score', '--labels', join(out, 'labels.jsonl'), '--config', cfg, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.techniques.find((t: { technique: string }) => t.technique === 'T1110.001').recall.value).toBe(1);
    const bad = await runCli(['siem', 'score', '--labels', join(dir, 'nope.jsonl')]);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, `seclog: --labels: ${join(dir, 'nope.jsonl')}: no such file`]);
  });
});
