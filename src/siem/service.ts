/**
 * `seclog siem`: opens the database (a PostgreSQL server, or the embedded one), migrates it, sets the admin
 * password, starts the input (Kafka consumer group, or a followed folder) and the API, and runs retention on a timer.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { splitHostPort } from '../util/address.js';
import { UsageError } from '../util/errors.js';
import { packageRoot } from '../util/package.js';
import { Notifier, notifyMetrics } from './alerts/notify.js';
import { Auth, audit, verifyPassword } from './api/auth.js';
import { buildApi } from './api/server.js';
import type { SiemConfig } from './config.js';
import { Inventory } from './enrich/inventory.js';
import { Directory } from './enrich/directory.js';
import { FileInput } from './ingest/files.js';
import { Ingest } from './ingest/ingest.js';
import { KafkaInput, probeKafka } from './ingest/kafka.js';
import { SiemMetrics } from './metrics.js';
import { MAPPINGS } from './normalise/mappings.js';
import type { Database } from './store/database.js';
import { openEmbedded } from './store/embedded.js';
import { migrate } from './store/migrations.js';
import { RECORD_TABLES, type RecordTable } from './store/partitions.js';
import { openPostgres } from './store/postgres.js';
import { RecordWriter } from './store/writer.js';
import { loadRuleFolders, type LoadedRule } from './rules/load.js';
import { RuleRuntime } from './rules/runtime.js';
import { seedRules } from './rules/store.js';

export interface SiemOptions {
  /** Read this generator output folder instead of Kafka. */
  readonly input?: string;
  /** Overrides the config's `listen`. */
  readonly listen?: string;
  /** SECLOG_SIEM_ADMIN_PASSWORD, or undefined. */
  readonly adminPassword?: string;
  readonly log?: (line: string) => void;
}

export interface SiemService {
  /** `http://host:port` the API answers at. */
  readonly url: string;
  readonly db: Database;
  readonly metrics: SiemMetrics;
  readonly kafka: KafkaInput | null;
  readonly files: FileInput | null;
  readonly rules: RuleRuntime;
  /** Runs retention now. */
  retention(): Promise<{ dropped: string[]; audit_deleted: number }>;
  close(): Promise<void>;
}

const RETENTION_KEYS: Record<RecordTable, 'logs_days' | 'process_logs_days' | 'host_metrics_days'> = {
  logs: 'logs_days',
  process_logs: 'process_logs_days',
  host_metrics: 'host_metrics_days',
};

/** The rule folders of the config, or the rules shipped with seclog; a rule that does not parse stops the start. */
export function builtinRules(config: SiemConfig): { rule: LoadedRule; origin: string; enabled: boolean }[] {
  const root = packageRoot();
  const paths = config.rules.paths ?? [`${root}/rules`];
  try {
    return loadRuleFolders(paths, config.rules.paths === undefined ? root : process.cwd());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`rules.paths: ${(err as NodeJS.ErrnoException).path ?? paths.join(', ')}: no such file or folder`);
    throw new UsageError((err as Error).message);
  }
}

export async function openDatabase(config: SiemConfig, log: (line: string) => void): Promise<Database> {
  if (config.database === undefined) return openEmbedded(config.data_dir);
  const db = await openPostgres(config.database, config.database_pool);
  // The server may still be starting (both started by one script): wait up to 30 s.
  for (let i = 0; ; i++) {
    if (await db.ping()) return db;
    if (i === 30) {
      await db.close();
      throw new UsageError(`database: no PostgreSQL answers at ${config.database.replace(/\/\/[^@]*@/, '//')} (start it with scripts/services/postgres.sh start)`);
    }
    if (i === 0) log('seclog siem: waiting for PostgreSQL…');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Sets the admin password when one is given (and differs); creates an admin with a printed password when none exists. */
async function ensureAdmin(db: Database, auth: Auth, password: string | undefined, log: (line: string) => void): Promise<void> {
  if (password !== undefined) {
    const [row] = await db.query<{ password_hash: string; role: string }>("SELECT password_hash, role FROM users WHERE username = 'admin'");
    if (row !== undefined && row.role === 'admin' && (await verifyPassword(password, row.password_hash))) return;
    const result = await auth.setUser('admin', password, 'admin');
    await audit(db, 'seclog-siem', result === 'created' ? 'user.create' : 'user.update', 'admin', { role: 'admin', from: 'startup' }, null);
    return;
  }
  if (await auth.userExists('admin')) return;
  const generated = randomBytes(18).toString('base64url');
  await auth.setUser('admin', generated, 'admin');
  await audit(db, 'seclog-siem', 'user.create', 'admin', { role: 'admin', from: 'startup', password: 'generated' }, null);
  log(`seclog siem: created user admin with password ${generated} (set SECLOG_SIEM_ADMIN_PASSWORD to choose it)`);
}

export async function startSiem(config: SiemConfig, options: SiemOptions = {}): Promise<SiemService> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const password = options.adminPassword ?? config.auth.admin_password;
  if (password !== undefined && password.length < 12) throw new UsageError('SECLOG_SIEM_ADMIN_PASSWORD: expected at least 12 characters');
  const inventory = config.enrich.inventory === undefined ? new Inventory() : Inventory.read(config.enrich.inventory, 'enrich.inventory');
  const directory = config.enrich.directory === undefined ? new Directory() : Directory.read(config.enrich.directory, 'enrich.directory');
  const shipped = builtinRules(config);
  if (options.input === undefined && config.kafka !== undefined) {
    const kafkaConfig = config.kafka;
    await probeKafka(kafkaConfig).catch((err: Error) => {
      throw new UsageError(`kafka.brokers: no broker answers at ${kafkaConfig.brokers.join(', ')} (${err.message.replace(/\.$/, '')}; start one with scripts/services/kafka.sh start)`);
    });
  }
  const db = await openDatabase(config, log);
  let api: FastifyInstance | null = null;
  let kafka: KafkaInput | null = null;
  let files: FileInput | null = null;
  let retentionTimer: NodeJS.Timeout | null = null;
  const metrics = new SiemMetrics();
  const notifier = config.notify === undefined ? null : new Notifier(config.notify, log, notifyMetrics(metrics.registry));
  const rules = new RuleRuntime(db, metrics, {
    dedupMs: config.rules.dedup_minutes * 60_000,
    reloadMs: config.rules.reload_ms,
    notify: notifier === null ? undefined : (n) => notifier.notify(n),
    log,
  });
  const writer = new RecordWriter(db, inventory);
  const ingest = new Ingest(writer, metrics, log, rules);

  const retention = async () => {
    const dropped: string[] = [];
    for (const table of RECORD_TABLES) {
      const days = config.retention[RETENTION_KEYS[table]];
      if (days === undefined) continue;
      // Age is measured from now, or from the newest record when that is older (a backfill of past days keeps the
      // days it covers, relative to its own end).
      const [row] = await db.query<{ newest: string | null }>(`SELECT max(time) AS newest FROM ${table}`);
      const newest = row.newest === null ? Date.now() : new Date(row.newest).getTime();
      dropped.push(...(await writer.partitions.dropOlderThan(table, days, Math.min(Date.now(), newest))));
    }
    let auditDeleted = 0;
    if (config.retention.audit_days !== undefined) {
      const rows = await db.query<{ n: string | number }>(`WITH d AS (DELETE FROM audit_log WHERE time < now() - make_interval(days => $1) RETURNING 1) SELECT count(*) AS n FROM d`, [config.retention.audit_days]);
      auditDeleted = Number(rows[0].n);
    }
    if (dropped.length > 0 || auditDeleted > 0) await audit(db, 'seclog-siem', 'retention.drop', null, { partitions: dropped, audit_deleted: auditDeleted }, null);
    return { dropped, audit_deleted: auditDeleted };
  };

  const close = async () => {
    ingest.stop();
    if (retentionTimer !== null) clearInterval(retentionTimer);
    rules.close();
    await api?.close();
    await kafka?.close();
    await files?.close();
    await notifier?.close(5_000);
    await db.close();
  };

  try {
    await migrate(db);
    const auth = await Auth.open(db, config.auth.jwt_secret, config.auth.token_ttl_minutes);
    await ensureAdmin(db, auth, password, log);
    await seedRules(db, shipped.map((r) => ({ meta: r.rule.meta, yaml: r.rule.yaml, origin: r.origin, enabled: config.rules.enable_new && r.enabled })));
    await rules.start();
    const { host, port } = splitHostPort(options.listen ?? config.listen);
    api = await buildApi({
      db,
      auth,
      config,
      metrics,
      log,
      retention,
      rules,
      inventory,
      directory,
      ready: async () => {
        const checks = { database: await db.ping(), input: kafka !== null ? kafka.ready : files !== null ? files.scans > 0 : true };
        return { ready: checks.database && checks.input, checks };
      },
    });
    try {
      await api.listen({ host, port });
    } catch (err) {
      throw new UsageError(`listen: cannot listen on ${host}:${port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (options.input !== undefined) {
      files = new FileInput(options.input, db, config.ingest, ingest, (s) => Object.hasOwn(MAPPINGS, s), log);
      await files.start();
    } else if (config.kafka !== undefined) {
      kafka = new KafkaInput(config.kafka, config.ingest, ingest, metrics, log);
      await kafka.start();
    }
    await retention();
    retentionTimer = setInterval(() => void retention().catch((err: Error) => log(`seclog siem: retention failed: ${err.message}`)), config.retention.interval_minutes * 60_000);
    retentionTimer.unref();
    const address = api.server.address();
    const url = typeof address === 'object' && address !== null ? `http://${host}:${address.port}` : `http://${host}:${port}`;
    return { url, db, metrics, kafka, files, rules, retention, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
