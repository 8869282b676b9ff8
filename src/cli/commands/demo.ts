/** `seclog demo`: one simulated day of a small organisation through the demo's sources, from an embedded population and config. */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { actorsConfigSchema } from '../../population/config.js';
import { genConfigSchema } from '../../config/gen-config.js';
import { validate } from '../../util/validate.js';
import { SHARD_COUNT } from '../../engine/plan.js';
import { buildPopulation } from '../../population/build.js';
import { wholeNumber } from '../args.js';
import { DEMO_ACTORS, DEMO_UNTIL, demoConfig } from '../defaults.js';
import { runAndReport } from './gen.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('generate one simulated day of a small organisation into ./out, no files needed (replaces an earlier demo there)')
    .option('-o, --output <dir>', 'output directory', './out')
    .addOption(
      new Option('--workers <n>', 'worker threads')
        .default(Math.min(availableParallelism(), SHARD_COUNT))
        .argParser(wholeNumber('--workers', 1, SHARD_COUNT, ` (a run has ${SHARD_COUNT} shards)`)),
    )
    .action(async (flags: { output: string; workers: number }) => {
      const actorsConfig = validate(actorsConfigSchema, DEMO_ACTORS, '(embedded demo actors)');
      const population = buildPopulation(actorsConfig, actorsConfig.seed ?? 7);
      const config = validate(genConfigSchema, demoConfig(flags.output), '(embedded demo config)');
      // The demo is run again and again: it replaces its own earlier output (files named like seclog's, nothing else).
      await runAndReport({ config, population, workers: flags.workers, metricsIntervalMs: 1000, untilMs: Date.parse(DEMO_UNTIL), existing: 'overwrite' });
      process.stderr.write(
        `\nNext: look at ${resolve(flags.output)}, or build your own population with\n  npx seclog actors --config examples/actors.toml --output ./actors.parquet\n  npx seclog gen --config examples/config.toml --output ./out-test --max-seconds 20\n`,
      );
    });
}
