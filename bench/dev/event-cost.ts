/**
 * Dev tool: the cost of each catalog event in the single-thread writer, weighted by its share of the curated mix,
 * to find which events make the hot path slow. `npx tsx bench/dev/event-cost.ts` (or node dist/bench/dev/event-cost.js)
 */
import './main-thread-arena.js';
import { SessionBoard } from '../../src/traffic/sessions.js';
import { actorsConfigSchema } from '../../src/population/config.js';
import { validate } from '../../src/util/validate.js';
import { PartWriter, allocatePart } from '../../src/engine/part.js';
import { buildPopulation } from '../../src/population/build.js';
import { cloudTrailConfigSchema } from '../../src/sources/cloudtrail/config.js';
import { cloudTrailSource } from '../../src/sources/cloudtrail/index.js';

const ac = validate(actorsConfigSchema, { seed: 1, population: { actor_count: 2000, service_ratio: 0.25, account_count: 3 } }, 'x');
const pop = buildPopulation(ac, 1);
const cfg = validate(cloudTrailConfigSchema, { type: 'cloudtrail', curated: true, actor_population_path: 'x' }, 'x');
const rt = cloudTrailSource.createRuntime(cfg, '1', pop.actors);
const idx = pop.actors.map((_, i) => i);
const shard = cloudTrailSource.createShard(rt, { seed: '1', shard: 0, shardCount: 1, startMs: 0, actors: pop.actors, actorIndexes: idx, sessions: new SessionBoard('1', 0, pop.actors) }) as unknown as {
  state(i: number): { mix: { events: { spec: { name: string } }[] } };
  write(st: unknown, e: unknown, t: number, out: unknown): void;
  startSession(i: number, t: number, out: unknown): boolean;
};
// One part reused for every round, large enough that a round never grows it: fresh memory would add page faults.
const buffers = allocatePart(64 << 20, 1 << 20);
const part = new PartWriter(buffers, 1 << 20);
// How often each event is picked over the population's mixes (by actor).
const share = new Map<string, number>();
const events = new Map<string, unknown>();
for (let i = 0; i < pop.actors.length; i++) {
  const mix = shard.state(i).mix as unknown as { events: { spec: { name: string } }[]; table: { pick(r: { float(): number; u32(): number }): number } };
  for (const e of mix.events) events.set(e.spec.name, e);
}
const rng = { s: 1, float() { this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0; return this.s / 2 ** 32; }, u32() { this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0; return this.s; } };
for (let k = 0; k < 400_000; k++) {
  const mix = shard.state(k % pop.actors.length).mix as unknown as { events: { spec: { name: string } }[]; table: { pick(r: unknown): number } };
  const e = mix.events[mix.table.pick(rng)];
  share.set(e.spec.name, (share.get(e.spec.name) ?? 0) + 1 / 400_000);
}
const t0 = Date.UTC(2025, 11, 1, 12);
for (let i = 0; i < pop.actors.length; i++) shard.startSession(i, t0, part);
const rows: { name: string; ns: number; bytes: number; share: number }[] = [];
for (const [name, e] of events) {
  const sh = share.get(name) ?? 0;
  if (sh === 0) continue;
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < 3; round++) {
    part.attach(buffers);
    const n = 10_000;
    const start = performance.now();
    for (let k = 0; k < n; k++) shard.write(shard.state(k % 500), e, t0 + k, part);
    best = Math.min(best, ((performance.now() - start) * 1e6) / n);
    bytes = part.w.pos / n;
  }
  rows.push({ name, ns: best, bytes, share: sh });
}
const total = rows.reduce((a, r) => a + r.ns * r.share, 0);
rows.sort((a, b) => b.ns * b.share - a.ns * a.share);
console.log(`weighted mean ${total.toFixed(0)} ns/record`);
for (const r of rows.slice(0, Number(process.env.TOP ?? 30))) {
  console.log(`${r.name.padEnd(34)} ${(r.share * 100).toFixed(2).padStart(6)}% ${r.ns.toFixed(0).padStart(6)} ns ${r.bytes.toFixed(0).padStart(6)} B  ${((r.ns * r.share / total) * 100).toFixed(1)}% of time  ${(r.ns / r.bytes).toFixed(2)} ns/B`);
}
