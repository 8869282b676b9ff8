/**
 * One benchmark scenario, run in its own process so its peak RSS is its own:
 *   node dist/bench/scenario.js '<json ScenarioSpec>'
 * Prints one JSON line with the run's numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Admin } from '@platformatic/kafka';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorsConfigSchema } from '../src/population/config.js';
import { genConfigSchema } from '../src/config/gen-config.js';
import { validate } from '../src/util/validate.js';
import { generate, type RunMetrics } from '../src/engine/run.js';
import { buildPopulation } from '../src/population/build.js';
import { BlackholeSink } from '../src/sinks/blackhole/blackhole-sink.js';
import { BENCH_ACTORS, MIN_MEASURED_MS, SCENARIO_OUTPUTS, WARMUP_MS, type ScenarioSpec } from './spec.js';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as ScenarioSpec;
  // A mistyped output would otherwise measure the file output under the wrong name.
  if (!SCENARIO_OUTPUTS.includes(spec.output)) throw new Error(`output = ${JSON.stringify(spec.output)}: expected one of ${SCENARIO_OUTPUTS.join(', ')}`);
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
      ...(spec.sources ? { population: { path: '(bench)' }, sources: spec.sources.map((type) => (type.startsWith('pack:') ? { type: 'pack', pack: type.slice(5) } : { type })) } : { source: { type: 'cloudtrail', curated: true, actor_population_path: '(bench)' } }),
      ...(spec.scenarios ? { scenarios: { ...spec.scenarios, labels: join(dir, 'labels.jsonl') } } : {}),
    },
    'bench',
  );
  try {
    // Throughput is measured after a warm-up (threads starting, code being optimised), as a long run sees it, and
    // up to the last snapshot before the time limit, not the end of the run: both ends then count events the same
    // way (accepted by the sink), while the end of the run also drains the blocks still in the pipeline. The rate
    // over the whole run, start-up and drain included, is reported too.
    const limitMs = spec.seconds * 1000;
    if (limitMs < WARMUP_MS + MIN_MEASURED_MS) throw new Error(`a run of ${spec.seconds} s is too short: the bench measures after a ${WARMUP_MS / 1000} s warm-up, for at least ${MIN_MEASURED_MS / 1000} s`);
    let warm: RunMetrics | null = null;
    let last: RunMetrics | null = null;
    const summary = await generate({
      config,
      population,
      workers: spec.workers,
      maxSeconds: spec.seconds,
      metricsIntervalMs: 250,
      onMetrics: (m) => {
        if (m.done || m.elapsedMs > limitMs || m.elapsedMs < WARMUP_MS) return;
        warm ??= m;
        last = m;
      },
      sink: spec.output === 'devnull' ? new BlackholeSink('/dev/null') : undefined,
    });
    const seconds = summary.elapsedMs / 1000;
    const from = warm as RunMetrics | null;
    const to = last as RunMetrics | null;
    if (!from || !to || to.elapsedMs - from.elapsedMs < MIN_MEASURED_MS / 2) throw new Error(`too few metrics snapshots between ${WARMUP_MS} ms and ${limitMs} ms to measure a rate`);
    const steadySeconds = (to.elapsedMs - from.elapsedMs) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        name: spec.name,
        events: summary.events,
        bytes: summary.bytes,
        bytesOut: summary.bytesOut,
        seconds,
        eventsPerSecond: (to.events - from.events) / steadySeconds,
        mbPerSecond: (to.bytes - from.bytes) / 1e6 / steadySeconds,
        wholeRunEventsPerSecond: summary.events / seconds,
        peakRssMb: summary.peakRssMb,
        cpuSeconds: summary.cpuSeconds,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // The servers keep what a run sent (gigabytes over a bench): the run's topic or bucket goes with it.
    if (spec.output === 'kafka') await deleteTopic(spec.service!.KAFKA_BOOTSTRAP, `bench-${run}`);
    if (spec.output === 's3') await deleteBucket(spec.service!.S3_ENDPOINT, `bench-${run}`);
  }
}

async function deleteTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Admin({ clientId: 'seclog-bench', bootstrapBrokers: [bootstrap] });
  try {
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.close();
  }
}

async function deleteBucket(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
  try {
    for (;;) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length === 0) break;
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

await main();
