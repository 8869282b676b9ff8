/**
 * The SIEM's sustained ingest rate with Kafka, PostgreSQL and the service on one machine (`npm run bench:siem`):
 * starts PostgreSQL and Kafka with the project's scripts, pre-loads topics with `seclog gen` (every built-in source
 * but the bulkiest host metrics and Windows streams at their organisation's mix), then starts the service on an
 * empty database and times it draining the topics. Prints records/s and, per process, CPU seconds per 1,000 records
 * (service, PostgreSQL's processes, the Kafka broker) so dedicated hardware can be sized.
 *
 *   SECLOG_BENCH_UNTIL=2025-12-01T06:00:00Z   how much simulated time to load (default 6 hours)
 *   SECLOG_BENCH_BATCH=20000, SECLOG_BENCH_WRITERS=2   the service's ingest.batch_records and ingest.writers
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Admin } from '@platformatic/kafka';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { siemConfigSchema } from '../src/siem/config.js';
import { startSiem } from '../src/siem/service.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'seclog.js');
const until = process.env.SECLOG_BENCH_UNTIL ?? '2025-12-01T06:00:00Z';

function script(name: string, command: string): Record<string, string> {
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'services', `${name}.sh`), command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.fromEntries(out.split('\n').map((l) => /^([A-Z_]+)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1], m[2]]));
}

/** CPU seconds (user + system) of the processes whose command line matches. */
function cpuOf(match: RegExp): number {
  const hz = 100;
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!match.test(cmd)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / hz;
    } catch {
      // gone
    }
  }
  return total;
}

const POSTGRES = /postgres/;
const KAFKA = /kafka\.Kafka|kafka-server|org\.apache\.kafka/;

async function main(): Promise<void> {
  const { POSTGRES_URL } = script('postgres', 'start');
  const { KAFKA_BOOTSTRAP } = script('kafka', 'start');
  const dir = mkdtempSync(join(tmpdir(), 'seclog-bench-siem-'));
  const prefix = `bench${Date.now()}-`;
  execFileSync('node', [CLI, 'actors', '--config', join(ROOT, 'examples', 'actors.toml'), '--output', join(dir, 'actors.parquet')], { stdio: 'inherit' });
  const packs = ['linux-auth', 'linux-auditd', 'ecs-alerts', 'nginx-access', 'sysmon', 'windows-security', 'host-metrics'];
  writeFileSync(
    join(dir, 'gen.toml'),
    `seed = 11
[traffic]
start_time = "2025-12-01T00:00:00Z"
time_scale = 0
[population]
path = ${JSON.stringify(join(dir, 'actors.parquet'))}
${['cloudtrail', 'okta', 'entra_signin', 'entra_audit'].map((t) => `[[sources]]\ntype = "${t}"\n`).join('')}${packs.map((p) => `[[sources]]\ntype = "pack"\npack = "${p}"\n`).join('')}
[[outputs]]
type = "kafka"
brokers = [${JSON.stringify(KAFKA_BOOTSTRAP)}]
topic = "${prefix}{source}"
compression = "lz4"
create_topic = { partitions = 4 }
`,
  );
  execFileSync('node', [CLI, 'gen', '--config', join(dir, 'gen.toml'), '--until-time', until, '--summary-json', join(dir, 'summary.json')], { stdio: 'ignore' });
  const loaded = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { events: number }).events;
  const database = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const config = siemConfigSchema.parse({
    database: POSTGRES_URL.replace(/\/[^/]+$/, `/${database}`),
    kafka: { brokers: [KAFKA_BOOTSTRAP], topics: `${prefix}.*`, topic_prefix: prefix, group: `${prefix}group` },
    ingest: { batch_records: Number(process.env.SECLOG_BENCH_BATCH ?? 20_000), writers: Number(process.env.SECLOG_BENCH_WRITERS ?? 2) },
  });
  const cpu0 = { service: process.cpuUsage(), postgres: cpuOf(POSTGRES), kafka: cpuOf(KAFKA) };
  const t0 = Date.now();
  const service = await startSiem(config, { listen: '127.0.0.1:0', adminPassword: 'bench-admin-password', log: () => {} });
  const stored = async () => (await service.metrics.records.get()).values.reduce((a, v) => a + v.value, 0) + ((await service.metrics.duplicates.get()).values[0]?.value ?? 0);
  let last = 0;
  let lastChange = Date.now();
  // Steady state: from the first stored batch (the group joined, topics listed) to the last.
  let first: { at: number; n: number; cpu: NodeJS.CpuUsage; postgres: number; kafka: number } | null = null;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const n = await stored();
    if (n > 0 && first === null) first = { at: Date.now(), n, cpu: process.cpuUsage(), postgres: cpuOf(POSTGRES), kafka: cpuOf(KAFKA) };
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    if (n >= loaded || Date.now() - lastChange > 30_000) break;
  }
  const seconds = (Date.now() - t0) / 1000;
  const steadySeconds = first === null ? seconds : (lastChange - first.at) / 1000;
  const steadyRecords = first === null ? last : last - first.n;
  const steadyCpu = first === null ? null : process.cpuUsage(first.cpu);
  const used = process.cpuUsage(cpu0.service);
  const per1k = (cpuSeconds: number) => ((cpuSeconds / Math.max(1, last)) * 1000).toFixed(4);
  const serviceCpu = (used.user + used.system) / 1e6;
  const per1kOf = (cpuSeconds: number, n: number) => ((cpuSeconds / Math.max(1, n)) * 1000).toFixed(4);
  const result = {
    loaded,
    stored: last,
    seconds_from_start: Number(seconds.toFixed(2)),
    records_per_second_from_start: Math.round(last / seconds),
    steady_seconds: Number(steadySeconds.toFixed(2)),
    steady_records_per_second: Math.round(steadyRecords / steadySeconds),
    cpu_seconds_per_1k_from_start: { service: per1k(serviceCpu), postgres: per1k(cpuOf(POSTGRES) - cpu0.postgres), kafka: per1k(cpuOf(KAFKA) - cpu0.kafka) },
    cpu_seconds_per_1k_steady:
      first === null || steadyCpu === null
        ? null
        : { service: per1kOf((steadyCpu.user + steadyCpu.system) / 1e6, steadyRecords), postgres: per1kOf(cpuOf(POSTGRES) - first.postgres, steadyRecords), kafka: per1kOf(cpuOf(KAFKA) - first.kafka, steadyRecords) },
  };
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
