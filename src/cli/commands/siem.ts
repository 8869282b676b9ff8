/** `seclog siem`: the SIEM service (src/siem/): ingest from Kafka or a folder into PostgreSQL, and the REST API. */
import { Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSiemConfig, siemConfigSchema } from '../../siem/config.js';
import { alertsFromApi, alertsFromDatabase, formatScore, parseLabels, score } from '../../siem/score.js';
import { openDatabase, startSiem } from '../../siem/service.js';
import { hostPortSchema } from '../../util/address.js';
import { UsageError } from '../../util/errors.js';
import { stopOnSignals } from '../signals.js';

function scoreCommand(): Command {
  return new Command('score')
    .description("precision and recall of the service's alerts against a generator run's ground truth (labels.jsonl), per technique, scenario and rule")
    .requiredOption('--labels <file>', "the run's labels.jsonl")
    .option('-c, --config <file>', "siem.toml: read the alerts from its database (the embedded one only while no service holds it)")
    .option('--url <url>', 'read the alerts through a running service instead (user admin, or SECLOG_SIEM_USER; password from SECLOG_SIEM_PASSWORD or SECLOG_SIEM_ADMIN_PASSWORD)')
    .option('--from <time>', 'only alerts last seen at or after this RFC 3339 time')
    .option('--to <time>', 'only alerts first seen before this RFC 3339 time')
    .option('--json', 'the report as JSON')
    .action(async (own: { labels: string; config?: string; url?: string; from?: string; to?: string; json?: boolean }, cmd: Command) => {
      // `-c` is also `seclog siem`'s option, and commander gives it to the parent wherever it stands.
      const flags = { ...own, config: own.config ?? (cmd.optsWithGlobals() as { config?: string }).config };
      for (const k of ['from', 'to'] as const) if (flags[k] !== undefined && Number.isNaN(Date.parse(flags[k]!))) throw new UsageError(`--${k}: expected an RFC 3339 time, got ${JSON.stringify(flags[k])}`);
      if (!existsSync(flags.labels)) throw new UsageError(`--labels: ${flags.labels}: no such file`);
      let labels;
      try {
        labels = parseLabels(readFileSync(flags.labels, 'utf8'), flags.labels);
      } catch (err) {
        throw new UsageError(`--labels: ${(err as Error).message}`);
      }
      let alerts;
      if (flags.url !== undefined) {
        if (!/^https?:\/\//.test(flags.url)) throw new UsageError(`--url: expected http(s)://host:port, got ${JSON.stringify(flags.url)}`);
        const password = process.env.SECLOG_SIEM_PASSWORD ?? process.env.SECLOG_SIEM_ADMIN_PASSWORD;
        if (password === undefined || password === '') throw new UsageError('--url: set SECLOG_SIEM_PASSWORD (or SECLOG_SIEM_ADMIN_PASSWORD) to the password of SECLOG_SIEM_USER (default admin)');
        const authorization = `Basic ${Buffer.from(`${process.env.SECLOG_SIEM_USER ?? 'admin'}:${password}`).toString('base64')}`;
        alerts = await alertsFromApi(flags.url, authorization, flags.from, flags.to).catch((err: Error) => {
          throw new UsageError(`--url: ${err.message}`);
        });
      } else {
        const config = flags.config === undefined ? siemConfigSchema.parse({}) : loadSiemConfig(flags.config);
        const db = await openDatabase(flags.config === undefined ? { ...config, data_dir: resolve(config.data_dir) } : config, (l) => process.stderr.write(`${l}\n`));
        try {
          alerts = await alertsFromDatabase(db, flags.from, flags.to);
        } catch (err) {
          throw new UsageError(`database: cannot read alerts (${(err as Error).message}); is this the service's database?`);
        } finally {
          await db.close();
        }
      }
      const report = score(labels, alerts);
      process.stdout.write(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatScore(report));
    });
}

export function siemCommand(): Command {
  return new Command('siem')
    .description('run the SIEM service: ingest records from Kafka (or a folder) into PostgreSQL and serve the search API')
    .option('-c, --config <file>', 'siem.toml (default: every key at its default: embedded database in ./siem-data, 127.0.0.1:8080)')
    .option('--input <dir>', "read a generator's output folder (and follow new files) instead of Kafka")
    .option('--listen <host:port>', "address of the API (overrides the config's listen)")
    .addCommand(scoreCommand().exitOverride().configureOutput({ outputError: () => undefined }))
    .action(async (flags: { config?: string; input?: string; listen?: string }) => {
      const config = flags.config === undefined ? siemConfigSchema.parse({}) : loadSiemConfig(flags.config);
      if (flags.listen !== undefined && !hostPortSchema.safeParse(flags.listen).success) throw new UsageError(`--listen: expected "host:port", got ${JSON.stringify(flags.listen)}`);
      if (flags.input !== undefined && !(existsSync(flags.input) && statSync(flags.input).isDirectory())) throw new UsageError(`--input: ${flags.input} is not a folder`);
      if (flags.input === undefined && config.kafka === undefined) process.stderr.write('seclog siem: no [kafka] in the config and no --input: serving the API over what the database holds\n');
      const env = process.env.SECLOG_SIEM_ADMIN_PASSWORD;
      const service = await startSiem(flags.config === undefined ? { ...config, data_dir: resolve(config.data_dir) } : config, {
        input: flags.input === undefined ? undefined : resolve(flags.input),
        listen: flags.listen,
        adminPassword: env === undefined || env === '' ? undefined : env,
      });
      process.stderr.write(`seclog siem: listening on ${service.url} (API ${service.url}/api/v1, OpenAPI ${service.url}/openapi.json)\n`);
      const signal = await stopOnSignals();
      process.stderr.write(`seclog siem: ${signal}: stopping\n`);
      await service.close();
      process.exit(0);
    });
}
