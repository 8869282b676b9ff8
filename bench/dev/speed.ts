import './main-thread-arena.js';
import { shardContext } from '../../src/engine/plan.js';
import { buildPopulation } from '../../src/population/build.js';
import { actorsConfigSchema } from '../../src/population/config.js';
import { validate } from '../../src/util/validate.js';
import { cloudTrailSource } from '../../src/sources/cloudtrail/index.js';
import { oktaSource } from '../../src/sources/okta/index.js';
import { entraAuditSource, entraSigninSource } from '../../src/sources/entra/index.js';
import { cloudTrailConfigSchema } from '../../src/sources/cloudtrail/config.js';
import { RealisticScheduler } from '../../src/traffic/scheduler.js';
import { createHash } from 'node:crypto';
import { PartWriter, allocatePart } from '../../src/engine/part.js';

const ac = validate(actorsConfigSchema, { seed: 1, population: { actor_count: 2000, service_ratio: 0.25, account_count: 3 } }, 'x');
const pop = buildPopulation(ac, 1);
const only = process.env.ONLY_EVENTS?.split(',');
const cfg = validate(cloudTrailConfigSchema, { type: 'cloudtrail', curated: true, actor_population_path: 'x', ...(only ? { custom_events: (await import('../../src/sources/cloudtrail/catalog/index.js')).CATALOG.filter((e) => !only.includes(e.name)).map((e) => ({ name: e.name, weight: 0 })) } : {}) }, 'x');
// SOURCE=okta measures the Okta source instead (same population, same traffic).
// SOURCE=entra_signin the Entra sign-in source.
const okta = process.env.SOURCE === 'okta';
// SOURCE=entra_audit the Entra audit source.
const entra = process.env.SOURCE === 'entra_signin';
const audit = process.env.SOURCE === 'entra_audit';
const plugin = okta ? oktaSource : entra ? entraSigninSource : audit ? entraAuditSource : cloudTrailSource;
const rt = okta
  ? oktaSource.createRuntime({ type: 'okta' }, '1', pop.actors)
  : entra
    ? entraSigninSource.createRuntime({ type: 'entra_signin', adfs: false }, '1', pop.actors)
    : audit
      ? entraAuditSource.createRuntime({ type: 'entra_audit' }, '1', pop.actors)
      : cloudTrailSource.createRuntime(cfg, '1', pop.actors);
const shards = [];
const start = Date.UTC(2025, 11, 1);
for (let s = 0; s < 32; s++) {
  const ctx = shardContext('1', s, pop.actors);
  shards.push({ sched: new RealisticScheduler(ctx, { time_scale: 0, mode: 'realistic' } as any, start), src: (plugin.createShard as (r: unknown, c: typeof ctx) => import('../../src/sources/source.js').ShardSource)(rt, ctx) });
}
// Parts in the arena, as the engine's workers have them (records are assembled in place).
const part = new PartWriter(allocatePart(4 << 20, 16384, 0), 256 * 1024);
const spare = allocatePart(4 << 20, 16384, 1);
// HASH=1 prints a digest of the output, to check that a change keeps it byte-identical.
const hash = process.env.HASH ? createHash('sha256') : null;
let n = 0, bytes = 0; const t0 = performance.now(); let w = 0;
const LIMIT = Number(process.env.N ?? 600000);
while (n + part.count < LIMIT) {
  const end = start + (++w) * 1000 * 20;
  for (const sh of shards) while (!sh.sched.run(end, part, sh.src)) { n += part.count; bytes += part.w.pos; hash?.update(part.w.buf.subarray(0, part.w.pos)); part.attach(spare); }
}
n += part.count; bytes += part.w.pos; hash?.update(part.w.buf.subarray(0, part.w.pos));
const s = (performance.now() - t0) / 1000;
console.log(`${n} records in ${s.toFixed(2)}s: ${(n / s / 1000).toFixed(0)}k rec/s, ${(bytes / s / 1e6).toFixed(0)} MB/s, ${(bytes / n).toFixed(0)} B/rec${hash ? ` sha256 ${hash.digest('hex').slice(0, 16)}` : ''}`);
