/**
 * The SIEM's ingest rate with Kafka, PostgreSQL and the service on one machine (`npm run bench:siem`): starts
 * PostgreSQL and Kafka with the project's scripts, builds the example organisation, and publishes every built-in
 * source (CloudTrail, Okta, Entra, Windows Security, Sysmon, auditd, auth.log, nginx, ECS alerts, host metrics) with
 * `seclog gen` to Kafka; the service ingests it into an empty database. Two modes:
 *
 *   drain (default)  the topics are loaded first, then the service drains them: its sustained rate (steady: from
 *                    its first stored batch to its last), and CPU seconds per 1,000 records for the service, the
 *                    PostgreSQL processes and the Kafka broker, so dedicated hardware can be sized.
 *   live             the generator publishes at a paced rate while the service ingests: the rate both keep, the
 *                    consumer lag (records published and not yet stored) each second and its peak, and CPU per
 *                    1,000 records per process, the generator's too.
 *
 *   SECLOG_BENCH_MODE=drain|live
 *   SECLOG_BENCH_UNTIL=2025-12-01T06:00:00Z   drain: how much simulated time to load (default 6 hours)
 *   SECLOG_BENCH_SCALE=900                    live: simulated seconds per second (900: about 30,000 records/s)
 *   SECLOG_BENCH_SECONDS=40                   live: how long the generator publishes
 *   SECLOG_BENCH_BATCH, SECLOG_BENCH_WRITERS  the service's ingest.batch_records and ingest.writers (defaults: its own)
 *   SECLOG_BENCH_RULES=on|off                 the shipped rules (default), or none: what detection costs
 *
 * The run carries attack scenarios (each about twice per simulated hour), so the rules raise alerts: the result
 * gives their number and the latency from a record reaching the service to its alert committed (p50, p99 from the
 * service's histogram: bucket bounds).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Admin, Consumer } from '@platformatic/kafka';
import pg from 'pg';
import { siemConfigSchema } from '../src/siem/config.js';
import { startSiem, type SiemService } from '../src/siem/service.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'seclog.js');
const mode = process.env.SECLOG_BENCH_MODE ?? 'drain';
const until = process.env.SECLOG_BENCH_UNTIL ?? '2025-12-01T06:00:00Z';
const scale = Number(process.env.SECLOG_BENCH_SCALE ?? 900);
const liveSeconds = Number(process.env.SECLOG_BENCH_SECONDS ?? 40);
const rules = process.env.SECLOG_BENCH_RULES ?? 'on';

/** The upper bound of the histogram bucket holding quantile q (seconds), or null without observations. */
async function quantile(s: SiemService, q: number): Promise<number | null> {
  const buckets = (await s.metrics.alertLatency.get()).values.filter((v) => v.metricName?.endsWith('_bucket'));
  const total = buckets.find((b) => b.labels.le === '+Inf')?.value ?? 0;
  if (total === 0) return null;
  const hit = buckets.find((b) => b.value >= q * total);
  return hit === undefined || hit.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(hit.labels.le);
}

async function alertStats(s: SiemService) {
  const raised = (await s.metrics.alerts.get()).values;
  return {
    rules_active: (await s.metrics.rulesActive.get()).values[0]?.value ?? 0,
    alerts_opened: raised.filter((v) => v.labels.action === 'created').reduce((a, v) => a + v.value, 0),
    alert_updates: raised.reduce((a, v) => a + v.value, 0),
    alert_latency_p50_le_seconds: await quantile(s, 0.5),
    alert_latency_p99_le_seconds: await quantile(s, 0.99),
  };
}

function script(name: string, command: string): Record<string, string> {
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'services', `${name}.sh`), command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.fromEntries(out.split('\n').map((l) => /^([A-Z_]+)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1], m[2]]));
}

/** CPU seconds (user + system) of the processes whose command line matches. */
function cpuOf(match: RegExp): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!match.test(cmd)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone
    }
  }
  return total;
}

const POSTGRES = /postgres/;
const KAFKA = /kafka\.Kafka|kafka-server|org\.apache\.kafka/;
const GENERATOR = /seclog\.js gen /;

interface Cpu {
  service: NodeJS.CpuUsage;
  postgres: number;
  kafka: number;
  generator: number;
}

const cpuNow = (): Cpu => ({ service: process.cpuUsage(), postgres: cpuOf(POSTGRES), kafka: cpuOf(KAFKA), generator: cpuOf(GENERATOR) });

/** CPU seconds per 1,000 records since `from`, per process. */
function per1k(from: Cpu, records: number, generatorSince?: number): Record<string, string> {
  const used = process.cpuUsage(from.service);
  const f = (s: number) => ((s / Math.max(1, records)) * 1000).toFixed(4);
  const out: Record<string, string> = { service: f((used.user + used.system) / 1e6), postgres: f(cpuOf(POSTGRES) - from.postgres), kafka: f(cpuOf(KAFKA) - from.kafka) };
  if (generatorSince !== undefined) out.generator = f(generatorSince);
  return out;
}

const stored = async (s: SiemService) => (await s.metrics.records.get()).values.reduce((a, v) => a + v.value, 0) + ((await s.metrics.duplicates.get()).values[0]?.value ?? 0);

async function main(): Promise<void> {
  const { POSTGRES_URL } = script('postgres', 'start');
  const { KAFKA_BOOTSTRAP } = script('kafka', 'start');
  const dir = mkdtempSync(join(tmpdir(), 'seclog-bench-siem-'));
  const prefix = `bench${Date.now()}-`;
  execFileSync('node', [CLI, 'actors', '--config', join(ROOT, 'examples', 'actors.toml'), '--output', join(dir, 'actors.parquet')], { stdio: 'ignore' });
  const packs = ['linux-auth', 'linux-auditd', 'ecs-alerts', 'nginx-access', 'sysmon', 'windows-security', 'host-metrics'];
  writeFileSync(
    join(dir, 'gen.toml'),
    `seed = 11
[traffic]
start_time = "2025-12-01T00:00:00Z"
time_scale = ${mode === 'live' ? scale : 0}
[population]
path = ${JSON.stringify(join(dir, 'actors.parquet'))}
${['cloudtrail', 'okta', 'entra_signin', 'entra_audit'].map((t) => `[[sources]]\ntype = "${t}"\n`).join('')}${packs.map((p) => `[[sources]]\ntype = "pack"\npack = "${p}"\n`).join('')}
[scenarios]
enabled = true
per_day = 48
seasonality = "any"
labels = ${JSON.stringify(join(dir, 'labels.jsonl'))}
[[outputs]]
type = "kafka"
brokers = [${JSON.stringify(KAFKA_BOOTSTRAP)}]
topic = "${prefix}{source}"
compression = "lz4"
create_topic = { partitions = 4 }
`,
  );
  const database = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const config = siemConfigSchema.parse({
    database: POSTGRES_URL.replace(/\/[^/]+$/, `/${database}`),
    kafka: { brokers: [KAFKA_BOOTSTRAP], topics: `${prefix}.*`, topic_prefix: prefix, group: `${prefix}group`, refresh_ms: 1000 },
    ...(rules === 'off' ? { rules: { paths: [mkdtempSync(join(tmpdir(), 'seclog-bench-norules-'))] } } : {}),
    ingest: {
      ...(process.env.SECLOG_BENCH_BATCH ? { batch_records: Number(process.env.SECLOG_BENCH_BATCH) } : {}),
      ...(process.env.SECLOG_BENCH_WRITERS ? { writers: Number(process.env.SECLOG_BENCH_WRITERS) } : {}),
    },
  });
  const genArgs = (extra: string[]) => [CLI, 'gen', '--config', join(dir, 'gen.toml'), '--summary-json', join(dir, 'summary.json'), ...extra];
  let result: Record<string, unknown>;
  let service: SiemService;
  if (mode === 'live') {
    service = await startSiem(config, { listen: '127.0.0.1:0', adminPassword: 'bench-admin-password', log: () => {} });
    const offsets = new Consumer({ clientId: 'seclog-bench', groupId: `${prefix}probe`, bootstrapBrokers: [KAFKA_BOOTSTRAP] });
    const adminKafka = new Admin({ clientId: 'seclog-bench', bootstrapBrokers: [KAFKA_BOOTSTRAP] });
    const published = async () => {
      const topics = (await adminKafka.listTopics()).filter((t) => t.startsWith(prefix));
      if (topics.length === 0) return 0;
      let n = 0;
      for (const ends of (await offsets.listOffsets({ topics })).values()) for (const e of ends) n += Number(e);
      return n;
    };
    const cpu0 = cpuNow();
    const t0 = Date.now();
    const gen = spawn('node', genArgs(['--max-seconds', String(liveSeconds)]), { stdio: 'ignore' });
    let genDone = false;
    let genCpu = 0;
    const exited = new Promise<void>((r) => gen.on('exit', () => r()));
    void exited.then(() => (genDone = true));
    const lags: number[] = [];
    let peak = 0;
    let genEnd = 0;
    let storedAtGenEnd = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!genDone) genCpu = cpuOf(GENERATOR) - cpu0.generator;
      const [p, s] = [await published(), await stored(service)];
      const lag = p - s;
      lags.push(lag);
      peak = Math.max(peak, lag);
      if (genDone && genEnd === 0) {
        genEnd = Date.now();
        storedAtGenEnd = s;
      }
      if (genDone && lag <= 0) break;
      if (genDone && Date.now() - genEnd > 120_000) break;
    }
    const seconds = (genEnd - t0) / 1000;
    const total = await stored(service);
    result = {
      mode,
      published: await published(),
      stored: total,
      generator_seconds: Number(seconds.toFixed(1)),
      published_per_second: Math.round((await published()) / seconds),
      stored_per_second_while_publishing: Math.round(storedAtGenEnd / seconds),
      lag_each_second: lags,
      lag_peak: peak,
      drained_seconds_after_generator: Number(((Date.now() - genEnd) / 1000).toFixed(1)),
      cpu_seconds_per_1k: per1k(cpu0, total, genCpu),
    };
    await offsets.close();
    await adminKafka.close();
  } else {
    execFileSync('node', genArgs(['--until-time', until]), { stdio: 'ignore' });
    const loaded = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { events: number }).events;
    const cpu0 = cpuNow();
    const t0 = Date.now();
    service = await startSiem(config, { listen: '127.0.0.1:0', adminPassword: 'bench-admin-password', log: () => {} });
    let last = 0;
    let lastChange = Date.now();
    // Steady state: from the first stored batch (the group joined, topics listed) to the last.
    let first: { at: number; n: number; cpu: Cpu } | null = null;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const n = await stored(service);
      if (n > 0 && first === null) first = { at: Date.now(), n, cpu: cpuNow() };
      if (n !== last) {
        last = n;
        lastChange = Date.now();
      }
      if (n >= loaded || Date.now() - lastChange > 30_000) break;
    }
    const seconds = (Date.now() - t0) / 1000;
    const steadySeconds = first === null ? seconds : (lastChange - first.at) / 1000;
    const steadyRecords = first === null ? last : last - first.n;
    result = {
      mode,
      loaded,
      stored: last,
      seconds_from_start: Number(seconds.toFixed(2)),
      records_per_second_from_start: Math.round(last / seconds),
      steady_seconds: Number(steadySeconds.toFixed(2)),
      steady_records_per_second: Math.round(steadyRecords / steadySeconds),
      cpu_seconds_per_1k_from_start: per1k(cpu0, last),
      cpu_seconds_per_1k_steady: first === null ? null : per1k(first.cpu, steadyRecords),
    };
  }
  result.ingest = config.ingest;
  result.rules = rules;
  Object.assign(result, await alertStats(service));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await service.close();
  // Leave nothing behind: the database and the topics (hundreds of MB a run).
  const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE ${database} WITH (FORCE)`);
  await cleanup.end();
  const admin2 = new Admin({ clientId: 'seclog-bench', bootstrapBrokers: [KAFKA_BOOTSTRAP] });
  const topics = (await admin2.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin2.deleteTopics({ topics });
  await admin2.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
