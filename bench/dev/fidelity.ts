import type { CloudTrailConfig } from '../../src/sources/cloudtrail/config.js';
/**
 * Dev tool: generate every catalog event (flattened weights) and compare shapes with the reference corpus.
 *   npx tsx bench/dev/fidelity.ts          (env: N=200000 events, EVENTS=AssumeRole,GetObject to focus, WORST=10)
 */
import { existsSync } from 'node:fs';
import { shardContext } from '../../src/engine/plan.js';
import { dirname, join } from 'node:path';
import { actorsConfigSchema } from '../../src/population/config.js';
import { genConfigSchema } from '../../src/config/gen-config.js';
import { validate } from '../../src/util/validate.js';
import { allocatePart, PartWriter } from '../../src/engine/part.js';
import { SHARD_COUNT } from '../../src/engine/plan.js';
import { cloudTrailSource } from '../../src/sources/cloudtrail/index.js';
import { ConstantScheduler } from '../../src/traffic/scheduler.js';
import { buildPopulation } from '../../src/population/build.js';
import { CATALOG } from '../../src/sources/cloudtrail/catalog/index.js';
import { compareShapes, readJsonl, shapesReport } from '../../src/cli/shapes.js';

/**
 * Every catalog event with flattened weights, generated in this process (no worker threads, so `npx tsx` runs the
 * TypeScript sources directly): constant traffic over 64 shards, records parsed back to objects.
 */
export async function generateAllEvents(events: number, options: { population?: object; weights?: Record<string, number> } = {}): Promise<Record<string, unknown>[]> {
  const population = buildPopulation(validate(actorsConfigSchema, { seed: 11, population: options.population ?? { actor_count: 1500, service_ratio: 0.3, account_count: 3, hot_actor_ratio: 0 } }, 'fidelity'), 11);
  const config = validate(
    genConfigSchema,
    {
      seed: 11,
      traffic: { start_time: '2025-12-01T00:00:00Z', time_scale: 0, mode: 'constant', events_per_second: 2000 },
      output: { dir: '/nonexistent', rotation: { target_size_mb: 64 }, format: { type: 'jsonl' } },
      source: { type: 'cloudtrail', curated: true, actor_population_path: '-', custom_events: CATALOG.filter((e) => Object.keys(e.who).length > 0).map((e) => ({ name: e.name, weight: options.weights ? (options.weights[e.name] ?? 0) : 1 })) },
    },
    'fidelity',
  );
  const runtime = cloudTrailSource.createRuntime(config.source as CloudTrailConfig, '11', population.actors);
  const records: Record<string, unknown>[] = [];
  const decoder = new TextDecoder();
  const part = new PartWriter(allocatePart(8 << 20, 32768), 1 << 20);
  const drain = () => {
    for (let i = 0; i < part.count; i++) records.push(JSON.parse(decoder.decode(part.w.buf.subarray(i === 0 ? 0 : part.ends[i - 1], part.ends[i]))));
    part.attach(allocatePart(8 << 20, 32768));
  };
  const start = Date.parse('2025-12-01T00:00:00Z');
  const shards = Array.from({ length: SHARD_COUNT }, (_, s) => {
    const ctx = shardContext('11', s, population.actors);
    return { scheduler: new ConstantScheduler(ctx, config.traffic, start, SHARD_COUNT), source: cloudTrailSource.createShard(runtime, ctx) };
  });
  const seconds = Math.ceil(events / 2000);
  for (const shard of shards) {
    while (!shard.scheduler.run(start + seconds * 1000, part, shard.source)) drain();
  }
  drain();
  return records;
}

/** The checkout this file is in (run from bench/dev with tsx, or from dist/bench/dev). */
function repositoryRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

if (process.argv[1]?.includes('fidelity')) {
  const generated = await generateAllEvents(Number(process.env.N ?? 200_000));
  const reference = readJsonl(process.env.REFERENCE ?? join(repositoryRoot(), 'test/fixtures/reference/cloudtrail/records.jsonl'));
  const shapes = compareShapes(reference, generated);
  const only = process.env.EVENTS?.split(',');
  process.stdout.write(`${shapesReport(only ? shapes.filter((s) => only.includes(s.event)) : shapes, Number(process.env.WORST ?? 10))}\n`);
  const names = new Set(generated.map((r) => r.eventName));
  const missing = [...new Set(reference.map((r) => String(r.eventName)))].filter((n) => !names.has(n));
  process.stdout.write(`reference events not generated (${missing.length}): ${missing.join(', ')}\n`);
}
