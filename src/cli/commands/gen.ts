/** `seclog gen`: generates logs from a config and an actor population. */
import { Command, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../../util/errors.js';
import { genConfigSchema, type GenConfig } from '../../config/gen-config.js';
import { readConfigFile } from '../../util/config-file.js';
import { validate } from '../../util/validate.js';
import { generate, type GenerateOptions } from '../../engine/run.js';
import { SHARD_COUNT } from '../../engine/plan.js';
import type { ExistingOutput } from '../../sinks/plugin.js';
import { checkFileDestination, DestinationError, ensureDir, reason } from '../../util/files.js';
import { MAX_TIMER_MS, pastOrTime, positiveNumber, rfc3339, shardGroupFlag, wholeNumber } from '../args.js';
import { createReporter, summaryText } from '../display.js';
import { stopOnSignals } from '../signals.js';
import { defaultWorkers } from '../workers.js';

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
  append?: boolean;
  overwrite?: boolean;
  shard?: { index: number; count: number };
  from?: number;
  live?: boolean;
}

/** What `gen` and `demo` share: run, print the summary, write it as JSON when asked. */
export async function runAndReport(options: Omit<GenerateOptions, 'onMetrics' | 'stopSignal' | 'onNotice'>, summaryJson?: string): Promise<void> {
  if (summaryJson !== undefined) checkFileDestination(summaryJson, '--summary-json');
  const summary = await generate({
    ...options,
    onMetrics: createReporter(process.stderr),
    onNotice: (text) => process.stderr.write(`[seclog] ${text}\n`),
    stopSignal: stopOnSignals(),
  });
  process.stderr.write(`${summaryText(summary)}\n`);
  if (summaryJson !== undefined) {
    try {
      await ensureDir(dirname(summaryJson));
      await writeFile(summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
    } catch (err) {
      throw err instanceof DestinationError ? new DestinationError(`--summary-json: ${err.message}`) : new DestinationError(`--summary-json ${summaryJson}: ${reason(err)}`);
    }
  }
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

export function genCommand(): Command {
  return new Command('gen')
    .description('generate logs from a config and an actor population')
    .requiredOption('-c, --config <file>', 'config.toml (or .yaml)')
    .option('-o, --output <dir>', "output directory (overrides the file output's dir)")
    .option('--stdout', 'write JSONL to standard output instead of the configured outputs')
    .option('--dry-run', 'print the resolved config (defaults applied) and exit')
    .option('--max-events <n>', 'stop after exactly n events', wholeNumber('--max-events', 1, Number.MAX_SAFE_INTEGER))
    .option('--max-seconds <n>', 'stop after n seconds of wall-clock time', positiveNumber('--max-seconds', 1e9, 'seconds'))
    .option('--until-time <time>', 'stop when the simulated clock reaches this RFC 3339 time', rfc3339('--until-time'))
    .option('--from <time>', 'start the simulated clock here instead of traffic.start_time: an RFC 3339 time, or before now such as -30d', pastOrTime('--from'))
    .option('--live', 'pace to the wall clock itself: a start in the past is generated at full speed, then the run goes on in real time (the records of a run at full speed)')
    .option('--shard <k/n>', `generate group k of n of the run's ${SHARD_COUNT} shards: n processes (or machines) together write what one would`, shardGroupFlag('--shard', SHARD_COUNT))
    .addOption(new Option('--metrics-interval-ms <ms>', 'interval of the metrics line on stderr').default(1000).argParser(wholeNumber('--metrics-interval-ms', 1, MAX_TIMER_MS)))
    .addOption(
      new Option('--workers <n>', 'generation worker threads (output is identical for any count; default: the cores, less those Parquet encoding needs)').argParser(
        wholeNumber('--workers', 1, SHARD_COUNT, ` (a run has ${SHARD_COUNT} shards)`),
      ),
    )
    .option('--summary-json <file>', 'also write the final summary as JSON to this file')
    .addOption(new Option('--append', 'add to the files of an earlier run in the output directory').conflicts('overwrite'))
    .addOption(new Option('--overwrite', "remove the earlier run's files from the output directory first (only files named like seclog's output)").conflicts('append'))
    .action(async (flags: GenFlags) => {
      const config = loadGenConfig(flags.config, { output: flags.output, stdout: flags.stdout });
      if (flags.dryRun) {
        process.stdout.write(`${JSON.stringify(config, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
        return;
      }
      const existing: ExistingOutput = flags.overwrite ? 'overwrite' : flags.append ? 'append' : 'refuse';
      await runAndReport(
        {
          config,
          workers: flags.workers ?? defaultWorkers(config),
          maxEvents: flags.maxEvents,
          maxSeconds: flags.maxSeconds,
          untilMs: flags.untilTime,
          fromMs: flags.from,
          live: flags.live,
          shard: flags.shard,
          metricsIntervalMs: flags.metricsIntervalMs,
          existing,
        },
        flags.summaryJson,
      );
    });
}
