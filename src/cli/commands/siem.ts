/** `seclog siem`: the SIEM service (src/siem/): ingest from Kafka or a folder into PostgreSQL, and the REST API. */
import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSiemConfig, siemConfigSchema } from '../../siem/config.js';
import { startSiem } from '../../siem/service.js';
import { hostPortSchema } from '../../util/address.js';
import { UsageError } from '../../util/errors.js';
import { stopOnSignals } from '../signals.js';

export function siemCommand(): Command {
  return new Command('siem')
    .description('run the SIEM service: ingest records from Kafka (or a folder) into PostgreSQL and serve the search API')
    .option('-c, --config <file>', 'siem.toml (default: every key at its default: embedded database in ./siem-data, 127.0.0.1:8080)')
    .option('--input <dir>', "read a generator's output folder (and follow new files) instead of Kafka")
    .option('--listen <host:port>', "address of the API (overrides the config's listen)")
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
