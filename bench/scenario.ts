/**
 * One benchmark scenario, run in its own process so its peak RSS is its own:
 *   node dist/bench/scenario.js '<json ScenarioSpec>'
 * Prints one JSON line with the run's numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorsConfigSchema } from '../src/config/actors-config.js';
import { genConfigSchema } from '../src/config/gen-config.js';
import { validate } from '../src/config/validate.js';
import { generate, type RunMetrics } from '../src/engine/run.js';
import { buildPopulation } from '../src/population/build.js';
import { BlackholeSink } from '../src/sinks/blackhole/blackhole-sink.js';
import { BENCH_ACTORS, type ScenarioSpec } from './spec.js';

/** What the throughput leaves out at the start of each run. */
const WARMUP_MS = 2000;

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as ScenarioSpec;
  const population = buildPopulation(validate(actorsConfigSchema, BENCH_ACTORS, 'bench'), 1);
  const dir = mkdtempSync(join(tmpdir(), 'seclog-bench-'));
  const fileOutput = {
    rotation: { target_size_mb: spec.targetMb ?? 256 },
    format: { type: spec.format ?? 'jsonl', ...(spec.format === 'parquet' ? { dictionary: spec.dictionary ?? false } : { compression: spec.compression }), ...(spec.level ? { compression_level: spec.level } : {}) },
  };
  const run = Date.now().toString(36);
  const outputs =
    spec.output === 'kafka'
      ? {
          outputs: [
            {
              type: 'kafka',
              brokers: [spec.service!.KAFKA_BOOTSTRAP],
              topic: `bench-${run}`,
              create_topic: { partitions: 6 },
              compression: 'lz4',
              ...(spec.idempotent === false ? { idempotent: false, acks: 1 } : {}),
            },
          ],
        }
      : spec.output === 's3'
        ? { outputs: [{ type: 's3', endpoint: spec.service!.S3_ENDPOINT, bucket: `bench-${run}`, create_bucket: true, staging_dir: join(dir, 'staging'), ...fileOutput }] }
        : { output: { dir, ...fileOutput } };
  if (spec.output === 's3') {
    process.env.AWS_ACCESS_KEY_ID = spec.service!.S3_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = spec.service!.S3_SECRET_KEY;
  }
  const config = validate(
    genConfigSchema,
    {
      seed: 1,
      traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0 },
      ...outputs,
      source: { type: 'cloudtrail', curated: true, actor_population_path: '(bench)' },
    },
    'bench',
  );
  try {
    // Throughput is measured after a warm-up (threads starting, code being optimised), as a long run sees it; the
    // rate over the whole run, start-up included, is reported too.
    let warm: RunMetrics | null = null;
    const summary = await generate({
      config,
      population,
      workers: spec.workers,
      maxSeconds: spec.seconds,
      metricsIntervalMs: 250,
      onMetrics: (m) => {
        if (!warm && !m.done && m.elapsedMs >= WARMUP_MS) warm = m;
      },
      sink: spec.output === 'devnull' ? new BlackholeSink() : undefined,
    });
    const seconds = summary.elapsedMs / 1000;
    const from: { events: number; bytes: number; elapsedMs: number } = warm ?? { events: 0, bytes: 0, elapsedMs: 0 };
    const steadySeconds = (summary.elapsedMs - from.elapsedMs) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        name: spec.name,
        events: summary.events,
        bytes: summary.bytes,
        bytesOut: summary.bytesOut,
        seconds,
        eventsPerSecond: (summary.events - from.events) / steadySeconds,
        mbPerSecond: (summary.bytes - from.bytes) / 1e6 / steadySeconds,
        wholeRunEventsPerSecond: summary.events / seconds,
        peakRssMb: summary.peakRssMb,
        cpuSeconds: summary.cpuSeconds,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
