/**
 * The `seclog` command line: `actors`, `gen`, `demo`, `catalog`.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { actorsConfigSchema } from '../config/actors-config.js';
import { ConfigError, UsageError } from '../config/errors.js';
import { genConfigSchema, type GenConfig } from '../config/gen-config.js';
import { DeliveryError } from '../sinks/delivery.js';
import { readConfigFile } from '../config/load.js';
import { validate } from '../config/validate.js';
import { generate } from '../engine/run.js';
import { buildPopulation } from '../population/build.js';
import { writePopulationParquet } from '../population/parquet.js';
import { CATALOG } from '../sources/cloudtrail/catalog/index.js';
import { SERVICES } from '../sources/cloudtrail/data/services.js';
import { schemaMarkdown } from '../sources/cloudtrail/parquet.js';
import { DEMO_ACTORS, DEMO_UNTIL, demoConfig } from './defaults.js';
import { createReporter, summaryText } from './display.js';
import { formatTable, runScripts } from './duckdb-scripts.js';
import { compareShapes, readJsonl, shapesReport } from './shapes.js';
import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { defaultWorkers } from './workers.js';

function positiveInt(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
    return n;
  };
}

function rfc3339(value: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) || Number.isNaN(ms)) {
    throw new InvalidArgumentError(`--until-time must be an RFC 3339 time such as 2025-12-02T00:00:00Z, got ${JSON.stringify(value)}`);
  }
  return ms;
}

/** SIGINT/SIGTERM: resolve once so the run flushes and closes; a second signal exits at once. */
function stopOnSignals(): Promise<string> {
  return new Promise((resolveSignal) => {
    let seen = false;
    const handler = (signal: NodeJS.Signals) => {
      if (seen) process.exit(130);
      seen = true;
      process.stderr.write(`\n[seclog] ${signal}: flushing and closing files…\n`);
      resolveSignal(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

interface GenFlags {
  config: string;
  output?: string;
  stdout?: boolean;
  dryRun?: boolean;
  maxEvents?: number;
  maxSeconds?: number;
  untilTime?: number;
  metricsIntervalMs: number;
  workers?: number;
  summaryJson?: string;
}

async function runGen(config: GenConfig, flags: GenFlags & { workers: number }, population?: Parameters<typeof generate>[0]['population']): Promise<void> {
  const summary = await generate({
    config,
    population,
    workers: flags.workers,
    maxEvents: flags.maxEvents,
    maxSeconds: flags.maxSeconds,
    untilMs: flags.untilTime,
    metricsIntervalMs: flags.metricsIntervalMs,
    onMetrics: createReporter(process.stderr),
    stopSignal: stopOnSignals(),
  });
  process.stderr.write(`${summaryText(summary)}\n`);
  if (flags.summaryJson) writeFileSync(flags.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
}

/** Records from a JSONL file (plain or gzip) or every such file of a directory. */
function readRecordsFrom(path: string): Record<string, unknown>[] {
  const files = statSync(path).isDirectory() ? readdirSync(path).filter((f) => /\.(jsonl|json\.gz)$/.test(f)).map((f) => join(path, f)) : [path];
  return files.flatMap((f) => {
    const raw = readFileSync(f);
    return (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  });
}

/** The config file with the command line's overrides: `--output` (the file output's dir) and `--stdout`. */
function loadGenConfig(file: string, overrides: { output?: string; stdout?: boolean }): GenConfig {
  const raw = readConfigFile(file) as Record<string, unknown>;
  if (raw && typeof raw === 'object') {
    if (overrides.stdout) {
      delete raw.output;
      raw.outputs = [{ type: 'stdout' }];
    } else if (overrides.output !== undefined) {
      const fileOutput = Array.isArray(raw.outputs) ? (raw.outputs as Record<string, unknown>[]).find((o) => o && o.type === 'file') : undefined;
      if (raw.output === undefined && fileOutput) fileOutput.dir = overrides.output;
      else if (raw.output === undefined && raw.outputs !== undefined) throw new UsageError('--output: the config has no file output ([output] or [[outputs]] with type = "file") to redirect');
      else raw.output = { ...((raw.output ?? {}) as Record<string, unknown>), dir: overrides.output };
    }
  }
  return validate(genConfigSchema, raw, file);
}

// `seclog catalog | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command()
  .name('seclog')
  .description('Realistic security logs at volume: an actor population drives vendor-exact records (AWS CloudTrail first).')
  .showHelpAfterError();

program
  .command('actors')
  .description('build the actor population (people and service accounts) and write it as Parquet')
  .requiredOption('-c, --config <file>', 'actors.toml (or .yaml) describing the population')
  .requiredOption('-o, --output <file>', 'Parquet file to write, e.g. ./actors.parquet')
  .action(async (flags: { config: string; output: string }) => {
    const config = validate(actorsConfigSchema, readConfigFile(flags.config), flags.config);
    const seed = config.seed ?? randomInt(0, 2 ** 31);
    const population = buildPopulation(config, seed);
    await writePopulationParquet(population, flags.output);
    const humans = population.actors.filter((a) => a.kind === 'human').length;
    process.stderr.write(
      `seclog actors: wrote ${population.actors.length} actors (${humans} people, ${population.actors.length - humans} services, ${population.account_ids.length} accounts, seed ${seed}) to ${flags.output}\n`,
    );
  });

const genCommand = program
  .command('gen')
  .description('generate logs from a config and an actor population')
  .requiredOption('-c, --config <file>', 'config.toml (or .yaml)')
  .option('-o, --output <dir>', 'output directory (overrides the file output\'s dir)')
  .option('--stdout', 'write JSONL to standard output instead of the configured outputs')
  .option('--dry-run', 'print the resolved config (defaults applied) and exit')
  .option('--max-events <n>', 'stop after exactly n events', positiveInt('--max-events'))
  .option('--max-seconds <n>', 'stop after n seconds of wall-clock time', positiveNumber('--max-seconds'))
  .option('--until-time <time>', 'stop when the simulated clock reaches this RFC 3339 time', rfc3339)
  .addOption(new Option('--metrics-interval-ms <ms>', 'interval of the metrics line on stderr').default(1000).argParser(positiveInt('--metrics-interval-ms')))
  .addOption(new Option('--workers <n>', 'generation worker threads (output is identical for any count; default: the cores, less those Parquet encoding needs)').argParser(positiveInt('--workers')))
  .option('--summary-json <file>', 'also write the final summary as JSON to this file');
genCommand.action(async (flags: GenFlags) => {
  const config = loadGenConfig(flags.config, { output: flags.output, stdout: flags.stdout });
  if (flags.dryRun) {
    process.stdout.write(`${JSON.stringify(config, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    return;
  }
  await runGen(config, { ...flags, workers: flags.workers ?? defaultWorkers(config) });
});

program
  .command('demo')
  .description('generate one simulated day of CloudTrail for a small organisation into ./out, no files needed')
  .option('-o, --output <dir>', 'output directory', './out')
  .addOption(new Option('--workers <n>', 'worker threads').default(availableParallelism()).argParser(positiveInt('--workers')))
  .action(async (flags: { output: string; workers: number }) => {
    const actorsConfig = validate(actorsConfigSchema, DEMO_ACTORS, '(embedded demo actors)');
    const population = buildPopulation(actorsConfig, actorsConfig.seed ?? 7);
    const config = validate(genConfigSchema, demoConfig(flags.output), '(embedded demo config)');
    await runGen(config, { config: '', workers: flags.workers, metricsIntervalMs: 1000, untilTime: Date.parse(DEMO_UNTIL) }, population);
    process.stderr.write(`\nNext: look at ${resolve(flags.output)}, or build your own population with\n  npx seclog actors --config examples/actors.toml --output ./actors.parquet\n  npx seclog gen --config examples/config.toml --output ./out-test --max-seconds 20\n`);
  });

program
  .command('validate')
  .description('run the DuckDB validation suite (scripts/duckdb/*.sql) over a directory of Parquet or JSONL output')
  .argument('<dir>', 'directory of seclog output files')
  .action(async (dir: string) => {
    if (!existsSync(dir)) throw new UsageError(`no such directory: ${dir}`);
    let failed = 0;
    for (const { script, results } of await runScripts(dir)) {
      process.stdout.write(`\n# ${script}\n`);
      for (const result of results) {
        process.stdout.write(`\n${formatTable(result)}\n`);
        const status = result.columns.indexOf('status');
        if (status >= 0) failed += result.rows.filter((r) => r[status] === 'FAIL').length;
      }
    }
    process.stdout.write(failed === 0 ? '\nAll session-model checks pass.\n' : `\n${failed} session-model check(s) FAIL.\n`);
    if (failed > 0) process.exitCode = 1;
  });

program
  .command('shapes')
  .description('compare the field paths of generated records with real ones, event by event (JSONL files or directories)')
  .argument('<generated>', 'generated records: a .jsonl/.json.gz file or a directory of them')
  .requiredOption('-r, --reference <file>', 'real records, one JSON object per line')
  .option('--worst <n>', 'events to detail', positiveInt('--worst'), 10)
  .action(async (generated: string, flags: { reference: string; worst: number }) => {
    const records = readRecordsFrom(generated);
    process.stdout.write(`${shapesReport(compareShapes(readJsonl(flags.reference), records), flags.worst)}\n`);
  });

program
  .command('schema')
  .description('print the Parquet schema (Markdown): the common envelope and the CloudTrail record columns')
  .action(() => {
    process.stdout.write(schemaMarkdown());
  });

program
  .command('catalog')
  .description('list the CloudTrail events seclog can generate, with service and curated weight')
  .action(() => {
    for (const e of CATALOG) {
      process.stdout.write(`${e.name.padEnd(40)} ${SERVICES[e.service].eventSource.padEnd(38)} ${String(e.weight).padStart(6)}  ${e.readOnly ? 'read ' : 'write'}  ${e.management ? 'management' : 'data'}\n`);
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`seclog: ${err.message}\n`);
    process.exit(2);
  }
  // Undelivered records: the message says what and how many; a stack trace would only bury it.
  if (err instanceof DeliveryError) {
    process.stderr.write(`seclog: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`seclog: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
