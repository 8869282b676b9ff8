/** `seclog demo`: one simulated day of a small organisation through the demo's sources, from an embedded population and config. */
import { Command, Option } from 'commander';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { actorsConfigSchema } from '../../population/config.js';
import { genConfigSchema } from '../../config/gen-config.js';
import { validate } from '../../util/validate.js';
import { SHARD_COUNT } from '../../engine/plan.js';
import { buildPopulation } from '../../population/build.js';
import { wholeNumber } from '../args.js';
import { builtInPacks } from '../../sources/pack/manifest.js';
import { siemConfigSchema } from '../../siem/config.js';
import { MAPPINGS } from '../../siem/normalise/mappings.js';
import { startSiem } from '../../siem/service.js';
import { hostPortSchema } from '../../util/address.js';
import { UsageError } from '../../util/errors.js';
import { stopOnSignals } from '../signals.js';
import { DEMO_ACTORS, DEMO_UNTIL, demoConfig } from '../defaults.js';
import { runAndReport } from './gen.js';

/**
 * The demo for the SIEM: every source the SIEM reads (the demo's, and the built-in packs it has mappings for), with
 * attacks. The packs run at a tenth of their volume (endpoint and metric packs write gigabytes a day even for this
 * small organisation), so that the embedded database takes the whole day in well under a minute; attacks are not
 * scaled.
 */
function siemDemoConfig(outputDir: string) {
  const base = demoConfig(outputDir);
  const packs = builtInPacks().filter((p) => Object.hasOwn(MAPPINGS, p));
  return { ...base, sources: [...base.sources, ...packs.map((pack) => ({ type: 'pack', pack, scale: 0.1 }))], scenarios: { enabled: true, per_day: 2 } };
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('generate one simulated day of a small organisation into ./out, no files needed (replaces an earlier demo there)')
    .option('-o, --output <dir>', 'output directory', './out')
    .addOption(
      new Option('--workers <n>', 'worker threads')
        .default(Math.min(availableParallelism(), SHARD_COUNT))
        .argParser(wholeNumber('--workers', 1, SHARD_COUNT, ` (a run has ${SHARD_COUNT} shards)`)),
    )
    .option('--siem', 'generate every source the SIEM reads, with attack scenarios, then serve the SIEM (embedded database, rules, alerts, console) over them')
    .option('--listen <host:port>', 'with --siem: address of the console and API', '127.0.0.1:8080')
    .action(async (flags: { output: string; workers: number; siem?: boolean; listen: string }) => {
      if (flags.siem === true && !hostPortSchema.safeParse(flags.listen).success) throw new UsageError(`--listen: expected "host:port", got ${JSON.stringify(flags.listen)}`);
      const actorsConfig = validate(actorsConfigSchema, DEMO_ACTORS, '(embedded demo actors)');
      const population = buildPopulation(actorsConfig, actorsConfig.seed ?? 7);
      const config = validate(genConfigSchema, flags.siem === true ? siemDemoConfig(flags.output) : demoConfig(flags.output), '(embedded demo config)');
      // The demo is run again and again: it replaces its own earlier output (files named like seclog's, nothing else).
      await runAndReport({ config, population, workers: flags.workers, metricsIntervalMs: 1000, untilMs: Date.parse(DEMO_UNTIL), existing: 'overwrite' });
      if (flags.siem === true) return serveSiem(resolve(flags.output), flags.listen);
      process.stderr.write(
        `\nNext: look at ${resolve(flags.output)}, or build your own population with\n  npx seclog actors --config examples/actors.toml --output ./actors.parquet\n  npx seclog gen --config examples/config.toml --output ./out-test --max-seconds 20\n`,
      );
    });
}

/** Serves the SIEM over the demo's folder, on a database of its own that starts empty each time. */
async function serveSiem(output: string, listen: string): Promise<void> {
  const dataDir = join(output, '.siem-data');
  rmSync(dataDir, { recursive: true, force: true });
  const env = process.env.SECLOG_SIEM_ADMIN_PASSWORD;
  const config = siemConfigSchema.parse({ data_dir: dataDir, listen });
  process.stderr.write('\nseclog demo: starting the SIEM over the day (embedded PostgreSQL; the records are searchable as they are read)…\n');
  const service = await startSiem(config, { input: output, adminPassword: env === undefined || env === '' ? undefined : env });
  process.stderr.write(
    `seclog demo: the console is at ${service.url}/ (sign in as admin${env === undefined || env === '' ? ' with the password printed above' : ' with SECLOG_SIEM_ADMIN_PASSWORD'}); API ${service.url}/api/v1\n` +
      `Score the alerts against the ground truth from another terminal:\n  SECLOG_SIEM_PASSWORD=… npx seclog siem score --labels ${join(output, 'labels.jsonl')} --url ${service.url}\n`,
  );
  const signal = await stopOnSignals();
  process.stderr.write(`seclog demo: ${signal}: stopping\n`);
  await service.close();
  process.exit(0);
}
