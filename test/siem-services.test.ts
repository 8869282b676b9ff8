/**
 * The SIEM service with the real servers it runs on in production, started by the project's scripts: Kafka
 * (scripts/services/kafka.sh) and PostgreSQL (scripts/services/postgres.sh). `seclog gen` publishes to Kafka; the
 * service's consumer group stores every record once: with a second instance joining and the first leaving in the
 * middle (partitions handed over), and with PostgreSQL restarted in the middle of an ingest; and a run with attacks
 * published to Kafka shows up as alerts in the API within a minute, scored against its labels.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siemConfigSchema } from '../src/siem/config.js';
import { alertsFromApi, parseLabels, score } from '../src/siem/score.js';
import { startSiem, type SiemService } from '../src/siem/service.js';
import { buildPopulationFile, runCli, sourcesConfig, tempDir, until, writeFile, fileOutputEntry } from './helpers.js';
import { release, server, service as runService } from './services.js';

let dir: string;
let population: string;
let bootstrap: string;
let postgresUrl: string;
const running: SiemService[] = [];

beforeAll(async () => {
  dir = tempDir('seclog-siem-services-');
  let broker: Record<string, string>;
  let postgres: Record<string, string>;
  [population, broker, postgres] = await Promise.all([buildPopulationFile(dir, 'seed = 4\n[population]\nactor_count = 300\nservice_ratio = 0.2\n'), server('kafka'), server('postgres')]);
  bootstrap = broker.KAFKA_BOOTSTRAP;
  postgresUrl = postgres.POSTGRES_URL;
}, 16 * 60_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.close().catch(() => {})));
  await Promise.all([release('kafka'), release('postgres')]);
}, 120_000);

/** A database of its own for one test (the server is shared). */
async function freshDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return postgresUrl.replace(/\/[^/]+$/, `/${name}`);
}

/** Generates into Kafka topics `<prefix><source>` and a file copy (a seed per start hour: ids differ); returns how many records it wrote. */
async function generate(prefix: string, name: string, start: string, until: string): Promise<number> {
  const fileDir = join(dir, name);
  const outputs = `[[outputs]]\ntype = "kafka"\nbrokers = [${JSON.stringify(bootstrap)}]\ntopic = "${prefix}{source}"\ncreate_topic = { partitions = 4 }\n\n${fileOutputEntry(fileDir)}`;
  const cfg = writeFile(dir, `${name}.toml`, sourcesConfig({ seed: 8 + Number(start.slice(11, 13)), population, sources: ['okta', 'cloudtrail', { type: 'pack', keys: 'pack = "linux-auth"' }], outputs }).replace('2025-12-01T00:00:00Z', start));
  const r = await runCli(['gen', '--config', cfg, '--until-time', until]);
  expect(r.code, r.stderr).toBe(0);
  let n = 0;
  for (const source of readdirSync(fileDir)) for (const f of readdirSync(join(fileDir, source))) n += readFileSync(join(fileDir, source, f), 'utf8').split('\n').filter((l) => l !== '').length;
  return n;
}

async function startOne(database: string, prefix: string, batchRecords = 2000): Promise<SiemService> {
  const config = siemConfigSchema.parse({
    database,
    kafka: { brokers: [bootstrap], topics: `${prefix.replaceAll('.', '\\.')}.*`, topic_prefix: prefix, group: `${prefix}group`, refresh_ms: 1000, session_timeout_ms: 6000 },
    ingest: { batch_records: batchRecords, batch_ms: 100 },
  });
  const s = await startSiem(config, { listen: '127.0.0.1:0', adminPassword: 'admin-password-for-tests', log: () => {} });
  running.push(s);
  return s;
}

async function count(s: SiemService): Promise<number> {
  for (;;) {
    try {
      const [r] = await s.db.query<{ n: string }>('SELECT count(*) AS n FROM logs');
      return Number(r.n);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const ingested = async (s: SiemService) => (await s.metrics.records.get()).values.reduce((a, v) => a + v.value, 0);

describe('seclog siem on Kafka and PostgreSQL', () => {
  it('shares the partitions between two instances as they join and leave, and stores every record once', async () => {
    const prefix = `group${Date.now()}-`;
    const database = await freshDatabase('siem_group');
    const a = await startOne(database, prefix);
    let total = await generate(prefix, 'g1', '2025-12-01T00:00:00Z', '2025-12-01T00:20:00Z');
    await until('the first records', async () => (await count(a)) > 0);
    const b = await startOne(database, prefix);
    total += await generate(prefix, 'g2', '2025-12-01T01:00:00Z', '2025-12-01T01:20:00Z');
    await until('the second run', async () => (await count(b)) >= total * 0.8, 180_000);
    expect(await ingested(a), 'the first instance stored records').toBeGreaterThan(0);
    await a.close();
    running.splice(running.indexOf(a), 1);
    total += await generate(prefix, 'g3', '2025-12-01T02:00:00Z', '2025-12-01T02:20:00Z');
    await until(`all ${total} records`, async () => (await count(b)) >= total, 180_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await count(b)).toBe(total);
    const [d] = await b.db.query<{ n: string }>('SELECT count(DISTINCT (source, record_id)) AS n FROM logs');
    expect(Number(d.n)).toBe(total);
    expect(await ingested(b)).toBeGreaterThan(0);
  }, 600_000);

  it('loses and duplicates nothing when PostgreSQL restarts in the middle of an ingest', async () => {
    const prefix = `restart${Date.now()}-`;
    const database = await freshDatabase('siem_restart');
    // The records wait in Kafka; small batches keep the service writing while the server restarts.
    const total = await generate(prefix, 'r1', '2025-12-01T00:00:00Z', '2025-12-01T06:00:00Z');
    const s = await startOne(database, prefix, 200);
    await until('the first records', async () => (await count(s)) > 0);
    await runService('postgres', 'restart', {});
    await until(`all ${total} records`, async () => (await count(s)) >= total, 180_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await count(s)).toBe(total);
    const [d] = await s.db.query<{ n: string }>('SELECT count(DISTINCT (source, record_id)) AS n FROM logs');
    expect(Number(d.n)).toBe(total);
    const errors = (await s.metrics.errors.get()).values.reduce((a, v) => a + v.value, 0);
    expect(errors, 'the restart was felt (failed writes, retried)').toBeGreaterThan(0);
  }, 600_000);

  it('shows a run’s attacks as alerts in the API within a minute of publishing, and scores them', async () => {
    const prefix = `alerts${Date.now()}.`;
    const s = await startOne(await freshDatabase('siem_alerts'), prefix);
    const fileDir = join(dir, 'alerts-run');
    const outputs = `[[outputs]]\ntype = "kafka"\nbrokers = [${JSON.stringify(bootstrap)}]\ntopic = "${prefix}{source}"\ncreate_topic = { partitions = 4 }\n\n${fileOutputEntry(fileDir)}`;
    const scenarios = '[scenarios]\nenabled = true\ninclude = ["ssh-brute-force-persistence", "cloudtrail-defense-evasion"]\nper_day = 60\nseasonality = "any"\n';
    const sources = ['cloudtrail', ...['linux-auth', 'linux-auditd'].map((p) => ({ type: 'pack', keys: `pack = "${p}"` }))];
    const cfg = writeFile(dir, 'alerts.toml', sourcesConfig({ seed: 21, population, sources, outputs }) + scenarios);
    const r = await runCli(['gen', '--config', cfg, '--until-time', '2025-12-01T02:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const published = Date.now();
    const labels = parseLabels(readFileSync(join(fileDir, 'labels.jsonl'), 'utf8'), 'labels.jsonl');
    const techniques = ['T1110.001', 'T1562.008', 'T1562.001'];
    for (const t of techniques) expect(labels.some((l) => l.technique === t), t).toBe(true);
    const auth = `Basic ${Buffer.from('admin:admin-password-for-tests').toString('base64')}`;
    let report = score(labels, []);
    await until(
      'every instance of the techniques alerted',
      async () => {
        report = score(labels, await alertsFromApi(s.url, auth));
        return techniques.every((t) => report.techniques.find((x) => x.technique === t)?.recall.value === 1);
      },
      60_000,
    );
    const seconds = (Date.now() - published) / 1000;
    expect(seconds, 'alerts within a minute of the last record published').toBeLessThan(60);
    // The shipped rules tagged with these techniques point at the attack whenever they alert.
    const tagged = report.techniques.filter((x) => techniques.includes(x.technique) && x.precision.of > 0);
    expect(tagged.length).toBeGreaterThan(0);
    for (const t of tagged) expect(t.precision.value, `${t.technique}: ${JSON.stringify(t)}`).toBeGreaterThan(0.9);
    const [latency] = (await s.metrics.alertLatency.get()).values.filter((v) => v.metricName?.endsWith('_count'));
    expect(latency.value).toBeGreaterThan(0);
  });
});
